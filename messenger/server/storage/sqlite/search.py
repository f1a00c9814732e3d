"""Full-text search of stored messages, limited to what one user may read.

The index (``message_index``, FTS5; created by ``migrations/v0003_search_index.py``) follows the
messages table by itself through triggers. Its rowid packs the message's key:
``conv_id << 32 | seq``, so the messages of one conversation are one rowid range. What is indexed (``words``, ``tags``) and how a
query matches are ``protocol.fulltext``'s, shared with the client's cache.
"""

from __future__ import annotations

import sqlite3

from messenger.protocol.fulltext import (
    RANKED_MATCHES,
    indexed_tags,
    indexed_words,
    search_expression,
)
from messenger.protocol.models import SearchHit
from messenger.server.storage.records import SearchFilter
from messenger.server.storage.sqlite.rows import (
    MESSAGE_COLUMN_COUNT,
    MESSAGE_COLUMNS,
    message_from_row,
    target_of,
)


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the index triggers call (every connection that writes messages)."""
    conn.create_function("indexed_words", 2, indexed_words, deterministic=True)
    conn.create_function("indexed_tags", 2, indexed_tags, deterministic=True)


def search(conn: sqlite3.Connection, user_id: str, f: SearchFilter) -> tuple[list[SearchHit], bool]:
    """A page of the messages ``user_id`` may read now (member of the conversation, above what
    they cleared and what came before they joined) that match; newest or best first."""
    expression = search_expression(f.query, f.kind)
    if expression is None:
        return [], False
    if f.by_relevance:
        return _by_relevance(conn, user_id, f, expression)
    return _newest(conn, user_id, f, expression)


_NOT_HIDDEN = (  # (deleted for me)
    "NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = p.user_id "
    "AND h.conv_id = m.conv_id AND h.seq = m.seq)"
)

# The matches the user may read, found in one pass over the index: each match's conversation
# (the rowid's high half) looked up among the user's own (the participants' key), then its
# message. The index comes first (CROSS JOIN): FTS5 reads a term's matches once for every
# conversation, rather than once per conversation.
_READABLE_MATCHES = (
    "FROM message_index i "
    "CROSS JOIN participants p ON p.conv_id = (i.rowid >> 32) AND p.user_id = ? "
    "CROSS JOIN messages m ON m.conv_id = p.conv_id AND m.seq = (i.rowid & 4294967295) "
    f"WHERE message_index MATCH ? AND m.seq > max(p.cleared_seq, p.joined_seq) AND {_NOT_HIDDEN}"
)
_NEWEST = "m.time DESC, m.conv_id, m.seq DESC"


def _readable(user_id: str, f: SearchFilter, expression: str) -> tuple[str, list[object]]:
    """``_READABLE_MATCHES`` with the filter's conditions, and its parameters."""
    sql = _READABLE_MATCHES
    params: list[object] = [user_id, expression]
    if f.conv_id is not None:
        sql += " AND i.rowid >= ? AND i.rowid < ?"
        params += [f.conv_id << 32, (f.conv_id + 1) << 32]
    for condition, value in (
        ("m.sender = ?", f.sender),
        ("m.time >= ?", f.since),
        ("m.time < ?", f.until),
    ):
        if value:
            sql += f" AND {condition}"
            params.append(value)
    return sql, params


def _newest(
    conn: sqlite3.Connection, user_id: str, f: SearchFilter, expression: str
) -> tuple[list[SearchHit], bool]:
    """Newest first: the readable matches ordered by time, the page cut from the top."""
    readable, params = _readable(user_id, f, expression)
    page = (
        f"SELECT m.conv_id, m.seq, m.time, p.conversation_id, 0 AS score {readable} "
        f"ORDER BY {_NEWEST} LIMIT ? OFFSET ?"
    )
    return _page(conn, page, [*params, f.limit + 1, f.offset], f)


def _by_relevance(
    conn: sqlite3.Connection, user_id: str, f: SearchFilter, expression: str
) -> tuple[list[SearchHit], bool]:
    """Best first (BM25) among the newest ``RANKED_MATCHES`` readable matches (ranking every
    match of a common word costs a pass over all of them); pages end there."""
    readable, params = _readable(user_id, f, expression)
    ranked = (
        "SELECT * FROM (SELECT m.conv_id, m.seq, m.time, p.conversation_id, "
        f"bm25(message_index) AS score {readable} ORDER BY {_NEWEST} LIMIT {RANKED_MATCHES}) "
        "ORDER BY score, time DESC, conv_id, seq DESC LIMIT ? OFFSET ?"
    )
    return _page(conn, ranked, [*params, f.limit + 1, f.offset], f)


def _page(
    conn: sqlite3.Connection, found: str, params: list[object], f: SearchFilter
) -> tuple[list[SearchHit], bool]:
    """The hits of ``found`` (a page and one more of conv_id, seq, time, conversation ID,
    score; in order), their messages read only now; and whether there are more."""
    sql = (
        f"SELECT {MESSAGE_COLUMNS}, w.conversation_id, c.kind, c.key FROM ({found}) w "
        "CROSS JOIN messages m ON m.conv_id = w.conv_id AND m.seq = w.seq "
        "CROSS JOIN conversations c ON c.id = w.conv_id "
        "ORDER BY w.score, w.time DESC, w.conv_id, w.seq DESC"
    )
    rows = conn.execute(sql, params).fetchall()
    n = MESSAGE_COLUMN_COUNT
    hits = [
        SearchHit(
            conversation_id=row[n],
            message=message_from_row(row, row[n + 1], target_of(row[n + 1], row[n + 2], row[2])),
        )
        for row in rows[: f.limit]
    ]
    return hits, len(rows) > f.limit
