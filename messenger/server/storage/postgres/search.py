"""Message search on PostgreSQL, with the results of SQLite's FTS5 index (``sqlite/search.py``):
the database's full-text index (``search_index``) narrows the user's readable messages down to
those holding every term, and Python keeps those whose indexed words (``protocol.fulltext``)
match as FTS5 would: each term a phrase, its last word by prefix, CJK characters one by one,
the kind filter on the tags. Newest first, or by relevance: the newest ``RANKED_MATCHES``
matches ranked as FTS5's BM25 ranks them (term frequency against the message's length, rarer
terms weighing more, over those matches), as SQLite does. At most ``SCANNED`` candidates, newest
first, are looked at.
"""

from __future__ import annotations

import math
from typing import Any

from messenger.protocol.fulltext import MAX_TERMS, RANKED_MATCHES, index_fields, index_text
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


def _occurrences(words: list[str], phrase: list[str]) -> int:
    """How often ``phrase`` stands in ``words`` (its last word by prefix)."""
    n, found = len(phrase), 0
    for start in range(len(words) - n + 1):
        if words[start : start + n - 1] == phrase[:-1] and words[start + n - 1].startswith(
            phrase[-1]
        ):
            found += 1
    return found


def _has_phrase(words: list[str], phrase: list[str]) -> bool:
    return _occurrences(words, phrase) > 0


def ranked(matched: list[tuple[SearchHit, list[str]]], phrases: list[list[str]]) -> list[SearchHit]:
    """Best first by BM25 (k1 1.2, b 0.75, as FTS5), the newest first among equals; the IDF and
    the average length are those of ``matched`` (the newest matches, newest first)."""
    k1, b = 1.2, 0.75
    total = len(matched)
    average = sum(len(words) for _, words in matched) / max(1, total)
    counts = [[_occurrences(words, phrase) for phrase in phrases] for _, words in matched]
    holding = [sum(1 for c in counts if c[i]) for i in range(len(phrases))]
    idf = [math.log((total - n + 0.5) / (n + 0.5) + 1.0) for n in holding]
    scores = []
    for (_, words), found in zip(matched, counts, strict=True):
        norm = k1 * (1 - b + b * len(words) / max(average, 1.0))
        scores.append(sum(w * f * (k1 + 1) / (f + norm) for w, f in zip(idf, found, strict=True)))
    order = sorted(range(total), key=lambda i: -scores[i])  # stable: newest first among equals
    return [matched[i][0] for i in order]


def matched_words(
    kind: str, body: dict[str, Any], phrases: list[list[str]], kind_filter: str
) -> list[str] | None:
    """The message's indexed words when it matches as FTS5 would, else None."""
    words, tags = index_fields(kind, body)
    if not words:
        return None
    if kind_filter and not (_KIND_TAGS[kind_filter] & set(tags.split())):
        return None
    indexed = tokens(words)
    return indexed if all(_has_phrase(indexed, phrase) for phrase in phrases) else None


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
    found: list[tuple[SearchHit, list[str]]] = []
    # By relevance: the newest RANKED_MATCHES matches are ranked (pages end there, as SQLite's).
    wanted = RANKED_MATCHES if f.by_relevance else f.offset + f.limit + 1
    # The index finds what FTS5 would (``matched_words`` only confirms it), so the first page of
    # candidates is nearly always enough; more are read only when some were not confirmed.
    scanned, chunk = 0, min(wanted + 8, SCANNED)
    while len(found) < wanted and scanned < SCANNED:
        rows = conn.execute(sql, [*params, chunk, scanned]).fetchall()
        for row in rows:
            n = MESSAGE_COLUMN_COUNT
            message = message_from_row(row, row[n + 1], target_of(row[n + 1], row[n + 2], row[2]))
            words = matched_words(message.kind, message.body, phrases, f.kind)
            if words is not None:
                found.append((SearchHit(conversation_id=row[n], message=message), words))
                if len(found) >= wanted:
                    break
        scanned += len(rows)
        if len(rows) < chunk:
            break
        chunk = min(chunk * 4, SCANNED - scanned)
    hits = ranked(found, phrases) if f.by_relevance else [hit for hit, _ in found]
    page = hits[f.offset : f.offset + f.limit]
    return page, len(hits) > f.offset + f.limit
