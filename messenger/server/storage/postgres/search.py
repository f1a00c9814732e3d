"""Message search on PostgreSQL, with the results of SQLite's FTS5 index (``sqlite/search.py``)
but without an index of its own: the database narrows the user's readable messages down to
those whose stored body holds every word of the query (``ILIKE``), and Python keeps those whose
indexed words (``protocol.fulltext``) match as FTS5 would: each term a phrase, its last word by
prefix, CJK characters one by one, the kind filter on the tags. Newest first; "by relevance"
is newest first too (no ranking). At most ``SCANNED`` candidates, newest first, are looked at.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from messenger.protocol.fulltext import MAX_TERMS, index_fields, index_text
from messenger.protocol.models import SearchHit
from messenger.server.storage.records import SearchFilter
from messenger.server.storage.sqlite.rows import (
    MESSAGE_COLUMN_COUNT,
    MESSAGE_COLUMNS,
    message_from_row,
    target_of,
)

SCANNED = 10_000
_TOKEN = re.compile(r"[^\W_]+")
_KIND_TAGS = {"text": {"text"}, "file": {"file", "image", "video"}, "link": {"link"}}


def tokens(text: str) -> list[str]:
    """Words as FTS5's ``unicode61`` tokenizer sees them: letters and digits, case and
    diacritics folded."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN.findall(plain)


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


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(conn: Any, user_id: str, f: SearchFilter) -> tuple[list[SearchHit], bool]:
    phrases = query_phrases(f.query)
    if not phrases:
        return [], False
    sql = (
        f"SELECT {MESSAGE_COLUMNS}, p.conversation_id, c.kind, c.key FROM participants p "
        "JOIN conversations c ON c.id = p.conv_id "
        "JOIN messages m ON m.conv_id = p.conv_id "
        "WHERE p.user_id = ? AND m.seq > max(p.cleared_seq, p.joined_seq) AND m.recalled = 0 "
        "AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = p.user_id "
        "AND h.conv_id = m.conv_id AND h.seq = m.seq)"  # (deleted for me)
    )
    params: list[object] = [user_id]
    for word in {w for phrase in phrases for w in phrase}:
        sql += " AND m.body ILIKE ?"
        params.append(_like(word))
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
    sql += " ORDER BY m.time DESC, m.conv_id, m.seq DESC LIMIT ?"
    params.append(SCANNED)
    found: list[SearchHit] = []
    wanted = f.offset + f.limit + 1
    for row in conn.execute(sql, params):
        n = MESSAGE_COLUMN_COUNT
        message = message_from_row(row, row[n + 1], target_of(row[n + 1], row[n + 2], row[2]))
        if matches(message.kind, message.body, phrases, f.kind):
            found.append(SearchHit(conversation_id=row[n], message=message))
            if len(found) >= wanted:
                break
    page = found[f.offset : f.offset + f.limit]
    return page, len(found) > f.offset + f.limit
