"""Message search on PostgreSQL, with the results of SQLite's FTS5 index (``sqlite/search.py``):
the database's full-text index (``search_index``) narrows the user's readable messages down to
those holding every term, and Python keeps those whose indexed words (``protocol.fulltext``)
match as FTS5 would: each term a phrase, its last word by prefix, CJK characters one by one,
the kind filter on the tags. Newest first; "by relevance" is newest first too (no ranking). At
most ``SCANNED`` candidates, newest first, are looked at.
"""

from __future__ import annotations

from typing import Any

from messenger.protocol.fulltext import MAX_TERMS, index_fields, index_text
from messenger.protocol.models import SearchHit
from messenger.server.storage.postgres import search_index
from messenger.server.storage.postgres.search_index import tokens
from messenger.server.storage.records import SearchFilter
from messenger.server.storage.sqlite.rows import (
    MESSAGE_COLUMN_COUNT,
    MESSAGE_COLUMNS,
    message_from_row,
    target_of,
)

SCANNED = 10_000
_KIND_TAGS = {"text": {"text"}, "file": {"file", "image", "video"}, "link": {"link"}}


def query_phrases(query: str) -> list[list[str]]:
    phrases = []
    for term in query.split()[:MAX_TERMS]:
        if not any(ch.isalnum() for ch in term):
            continue
        words = tokens(index_text(term))
        if words:
            phrases.append(words)
    return phrases


def _has_phrase(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    for start in range(len(words) - n + 1):
        if words[start : start + n - 1] == phrase[:-1] and words[start + n - 1].startswith(
            phrase[-1]
        ):
            return True
    return False


def matches(kind: str, body: dict[str, Any], phrases: list[list[str]], kind_filter: str) -> bool:
    words, tags = index_fields(kind, body)
    if not words:
        return False
    if kind_filter and not (_KIND_TAGS[kind_filter] & set(tags.split())):
        return False
    indexed = tokens(words)
    return all(_has_phrase(indexed, phrase) for phrase in phrases)


def search(conn: Any, user_id: str, f: SearchFilter) -> tuple[list[SearchHit], bool]:
    phrases = query_phrases(f.query)
    if not phrases:
        return [], False
    tags = sorted(_KIND_TAGS[f.kind]) if f.kind else []
    sql = (
        f"SELECT {MESSAGE_COLUMNS}, p.conversation_id, c.kind, c.key FROM participants p "
        "JOIN conversations c ON c.id = p.conv_id "
        "JOIN messages m ON m.conv_id = p.conv_id "
        "JOIN message_words w ON w.conv_id = m.conv_id AND w.seq = m.seq "
        "WHERE p.user_id = ? AND w.words @@ ?::tsquery "
        "AND m.seq > max(p.cleared_seq, p.joined_seq) AND m.recalled = 0 "
        "AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = p.user_id "
        "AND h.conv_id = m.conv_id AND h.seq = m.seq)"  # (deleted for me)
    )
    params: list[object] = [user_id, search_index.query(phrases, tags)]
    if f.conv_id is not None:
        sql += " AND p.conv_id = ?"
        params.append(f.conv_id)
    if f.sender:
        sql += " AND m.sender = ?"
        params.append(f.sender)
    if f.since:
        sql += " AND m.time >= ?"
        params.append(f.since)
    if f.until:
        sql += " AND m.time < ?"
        params.append(f.until)
    sql += " ORDER BY m.time DESC, m.conv_id, m.seq DESC LIMIT ? OFFSET ?"
    found: list[SearchHit] = []
    wanted = f.offset + f.limit + 1
    # The index finds what FTS5 would (``matches`` only confirms it), so the first page of
    # candidates is nearly always enough; more are read only when some were not confirmed.
    scanned, chunk = 0, wanted + 8
    while len(found) < wanted and scanned < SCANNED:
        rows = conn.execute(sql, [*params, chunk, scanned]).fetchall()
        for row in rows:
            n = MESSAGE_COLUMN_COUNT
            message = message_from_row(row, row[n + 1], target_of(row[n + 1], row[n + 2], row[2]))
            if matches(message.kind, message.body, phrases, f.kind):
                found.append(SearchHit(conversation_id=row[n], message=message))
                if len(found) >= wanted:
                    break
        scanned += len(rows)
        if len(rows) < chunk:
            break
        chunk = min(chunk * 4, SCANNED - scanned)
    page = found[f.offset : f.offset + f.limit]
    return page, len(found) > f.offset + f.limit
