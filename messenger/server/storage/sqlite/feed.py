"""The change feed: what a user's devices must apply after a version, computed, not copied.

Five sources, each already ordered by version: messages of my conversations (new or recalled),
my own participant rows (state changes), my C2C peers' read cursors, my groups' profiles, and the
groups I left (quit, kicked, dismissed). A
page takes up to ``limit`` from each, merges them and cuts at ``limit``: everything at or below the
cut is complete, so the next page starts right after it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from messenger.protocol.frames import (
    AnyChange,
    GroupChange,
    MessageChange,
    PeerReadChange,
    StateChange,
)
from messenger.server.storage.records import FeedPage
from messenger.server.storage.sqlite.friends import feed_sources as people_feed
from messenger.server.storage.sqlite.groups import _GROUP_COLUMNS, _info
from messenger.server.storage.sqlite.operations import deleted_copy, hidden_feed, pins_feed
from messenger.server.storage.sqlite.rows import (
    MESSAGE_COLUMN_COUNT,
    MESSAGE_COLUMNS,
    PARTICIPANT_COLUMNS,
    message_from_row,
    target_of,
)
from messenger.server.storage.sqlite.states import head_version, state_of_row


def _messages(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> list[AnyChange]:
    rows = conn.execute(
        f"SELECT {MESSAGE_COLUMNS}, c.kind, c.key, h.seq IS NOT NULL FROM participants p "
        "JOIN conversations c ON c.id = p.conv_id "
        "JOIN messages m ON m.conv_id = p.conv_id AND m.version > ? "
        "LEFT JOIN hidden_messages h ON h.user_id = p.user_id AND h.conv_id = m.conv_id "
        "AND h.seq = m.seq "
        "WHERE p.user_id=? AND p.remind!='block' AND c.version>? "
        "AND m.seq>p.cleared_seq AND m.seq>p.joined_seq "
        "ORDER BY m.version LIMIT ?",
        (since, user_id, since, limit),
    ).fetchall()
    changes: list[AnyChange] = []
    n = MESSAGE_COLUMN_COUNT
    for r in rows:
        kind, key = r[n], r[n + 1]
        message = message_from_row(r, kind, target_of(kind, key, r[2]))
        if r[n + 2]:
            message = deleted_copy(message)
        changes.append(MessageChange(v=message.version, message=message))
    return changes


def _states(
    conn: sqlite3.Connection, user_id: str, since: int, limit: int, head: int
) -> list[AnyChange]:
    rows = conn.execute(
        f"SELECT {PARTICIPANT_COLUMNS}, c.last_seq FROM participants p "
        "JOIN conversations c ON c.id = p.conv_id "
        "WHERE p.user_id=? AND p.version>? ORDER BY p.version LIMIT ?",
        (user_id, since, limit),
    ).fetchall()
    return [StateChange(v=r[13], state=state_of_row(conn, r, r[15], head)) for r in rows]


def _peer_reads(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> list[AnyChange]:
    rows = conn.execute(
        "SELECT me.conversation_id, peer.read_seq, peer.read_version FROM participants me "
        "JOIN participants peer ON peer.conv_id = me.conv_id AND peer.user_id != me.user_id "
        "WHERE me.user_id=? AND me.kind='c2c' AND peer.read_version>? "
        "ORDER BY peer.read_version LIMIT ?",
        (user_id, since, limit),
    ).fetchall()
    return [PeerReadChange(v=v, conversation_id=cid, read_seq=seq) for cid, seq, v in rows]


def _groups(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> list[AnyChange]:
    rows = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM participants p JOIN groups g ON g.conv_id = p.conv_id "
        "WHERE p.user_id=? AND p.kind='group' AND g.version>? ORDER BY g.version LIMIT ?",
        (user_id, since, limit),
    ).fetchall()
    return [GroupChange(v=r[9], group=_info(r)) for r in rows]


def _departures(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> list[AnyChange]:
    rows = conn.execute(
        f"SELECT {_GROUP_COLUMNS}, d.version FROM group_departures d "
        "JOIN groups g ON g.conv_id = d.conv_id "
        "WHERE d.user_id=? AND d.version>? ORDER BY d.version LIMIT ?",
        (user_id, since, limit),
    ).fetchall()
    return [GroupChange(v=r[-1], group=_info(r), member=False) for r in rows]


def feed_page(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> FeedPage:
    head = head_version(conn)
    if since >= head:
        return FeedPage([], head, False)
    sources = [
        _messages(conn, user_id, since, limit),
        _states(conn, user_id, since, limit, head),
        _peer_reads(conn, user_id, since, limit),
        _groups(conn, user_id, since, limit),
        *people_feed(conn, user_id, since, limit),
        _departures(conn, user_id, since, limit),
        hidden_feed(conn, user_id, since, limit),
        pins_feed(conn, user_id, since, limit),
    ]
    truncated = any(len(s) >= limit for s in sources)
    merged: list[Any] = sorted((c for s in sources for c in s), key=lambda c: c.v)
    if len(merged) > limit:
        merged = merged[:limit]
        truncated = True
    if truncated:
        return FeedPage(merged, merged[-1].v, True)
    return FeedPage(merged, head, False)
