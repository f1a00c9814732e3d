"""Full-text search of stored messages, limited to what one user may read.

The index (``message_index``, FTS5; created by ``migrations/v0003_search_index.py``) follows the
messages table by itself through triggers. Its rowid packs the message's key:
``conv_id << 32 | seq``, so the messages of one conversation are one rowid range. What is indexed (``words``, ``tags``) and how a
query matches are ``protocol.fulltext``'s, shared with the client's cache.
"""

from __future__ import annotations

import sqlite3

from messenger.protocol.fulltext import indexed_tags, indexed_words, search_expression
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
    "NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ? "
    "AND h.conv_id = m.conv_id AND h.seq = m.seq)"
)


def _filters(f: SearchFilter) -> tuple[str, list[object]]:
    sql = ""
    params: list[object] = []
    if f.sender:
        sql += " AND m.sender = ?"
        params.append(f.sender)
    if f.since:
        sql += " AND m.time >= ?"
        params.append(f.since)
    if f.until:
        sql += " AND m.time < ?"
        params.append(f.until)
    return sql, params


def _newest(
    conn: sqlite3.Connection, user_id: str, f: SearchFilter, expression: str
) -> tuple[list[SearchHit], bool]:
    """Newest first: each readable conversation's matches are one rowid range of the index,
    read newest first up to the page's end, then merged by time. The cost follows the
    conversations searched and the page, not the number of matches."""
    readable = (
        "SELECT p.conv_id, p.conversation_id, max(p.cleared_seq, p.joined_seq), c.kind, c.key "
        "FROM participants p JOIN conversations c ON c.id = p.conv_id WHERE p.user_id = ?"
    )
    args: list[object] = [user_id]
    if f.conv_id is not None:
        readable += " AND p.conv_id = ?"
        args.append(f.conv_id)
    extra, extra_params = _filters(f)
    sql = (
        f"SELECT {MESSAGE_COLUMNS} FROM message_index i CROSS JOIN messages m "
        "ON m.conv_id = ? AND m.seq = (i.rowid & 4294967295) "
        f"WHERE message_index MATCH ? AND i.rowid > ? AND i.rowid < ?{extra} AND {_NOT_HIDDEN} "
        "ORDER BY i.rowid DESC LIMIT ?"
    )
    wanted = f.offset + f.limit + 1
    found: list[tuple[int, int, int, SearchHit]] = []
    for conv_id, conversation_id, floor, kind, key in conn.execute(readable, args).fetchall():
        low, high = (conv_id << 32) + floor, (conv_id + 1) << 32
        params = [conv_id, expression, low, high, *extra_params, user_id, wanted]
        for row in conn.execute(sql, params):
            message = message_from_row(row, kind, target_of(kind, key, row[2]))
            hit = SearchHit(conversation_id=conversation_id, message=message)
            found.append((-message.time, conv_id, -message.seq, hit))
    found.sort(key=lambda item: item[:3])
    page = [item[3] for item in found[f.offset : f.offset + f.limit]]
    return page, len(found) > f.offset + f.limit


def _by_relevance(
    conn: sqlite3.Connection, user_id: str, f: SearchFilter, expression: str
) -> tuple[list[SearchHit], bool]:
    """Best first (BM25): every readable match is ranked."""
    sql = (
        f"SELECT {MESSAGE_COLUMNS}, p.conversation_id, c.kind, c.key FROM message_index i "
        "JOIN participants p ON p.user_id = ? AND p.conv_id = (i.rowid >> 32) "
        "JOIN conversations c ON c.id = p.conv_id "
        "JOIN messages m ON m.conv_id = p.conv_id AND m.seq = (i.rowid & 4294967295) "
        "WHERE message_index MATCH ? AND m.seq > max(p.cleared_seq, p.joined_seq) "
        f"AND {_NOT_HIDDEN}"
    )
    params: list[object] = [user_id, expression, user_id]
    if f.conv_id is not None:
        sql += " AND i.rowid >= ? AND i.rowid < ?"
        params += [f.conv_id << 32, (f.conv_id + 1) << 32]
    extra, extra_params = _filters(f)
    sql += f"{extra} ORDER BY i.rank, m.time DESC LIMIT ? OFFSET ?"
    params += [*extra_params, f.limit + 1, f.offset]
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
