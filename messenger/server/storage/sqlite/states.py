"""Participant rows: a user's own state of a conversation, with unread counts computed on demand."""

from __future__ import annotations

import sqlite3
from typing import Any

from messenger.protocol.errors import ConversationNotFound
from messenger.protocol.kinds import uncounted_sql
from messenger.protocol.models import ConversationState
from messenger.server.storage.sqlite.rows import PARTICIPANT_COLUMNS, state_from_row

MAX_MENTION_SEQS = 100


def unread_of(
    conn: sqlite3.Connection, conv_id: int, user_id: str, after_seq: int, kind: str
) -> tuple[int, list[int]]:
    """Messages after ``after_seq`` that count as unread for ``user_id``, and those mentioning them."""
    (count,) = conn.execute(
        "SELECT COUNT(*) FROM messages WHERE conv_id=? AND seq>? AND sender!=? "
        f"AND {uncounted_sql()} AND recalled=0",
        (conv_id, after_seq, user_id),
    ).fetchone()
    mentions: list[int] = []
    if count and kind == "group":
        mentions = [
            r[0]
            for r in conn.execute(
                "SELECT seq FROM messages WHERE conv_id=? AND seq>? AND sender!=? AND recalled=0 "
                "AND (mention_all=1 OR (mentions!='' AND instr(mentions, ?)>0)) "
                "ORDER BY seq LIMIT ?",
                (conv_id, after_seq, user_id, f'"{user_id}"', MAX_MENTION_SEQS),
            )
        ]
    return int(count), mentions


def head_version(conn: sqlite3.Connection) -> int:
    """The last committed version, as of this connection's snapshot."""
    (value,) = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
    return int(value)


def state_of_row(
    conn: sqlite3.Connection, row: Any, last_seq: int, counted_at: int
) -> ConversationState:
    """The full state of a participant row (``PARTICIPANT_COLUMNS``) with a fresh unread count,
    which reflects every change up to version ``counted_at``."""
    conv_id, user_id, kind = row[0], row[1], row[3]
    read_seq, remind, cleared_seq, joined_seq = row[4], row[7], row[9], row[14]
    mentions: list[int] = []
    count = 0
    if remind != "block":
        count, mentions = unread_of(
            conn, conv_id, user_id, max(read_seq, cleared_seq, joined_seq), kind
        )
    return state_from_row(
        row,
        unread_count=count,
        unread_at_seq=last_seq,
        mention_seqs=mentions,
        unread_version=counted_at,
    )


def participant_row(conn: sqlite3.Connection, conv_id: int, user_id: str) -> Any:
    return conn.execute(
        f"SELECT {PARTICIPANT_COLUMNS} FROM participants p WHERE p.conv_id=? AND p.user_id=?",
        (conv_id, user_id),
    ).fetchone()


def last_seq_of(conn: sqlite3.Connection, conv_id: int) -> int:
    row = conn.execute("SELECT last_seq FROM conversations WHERE id=?", (conv_id,)).fetchone()
    if row is None:
        raise ConversationNotFound("no such conversation")
    return int(row[0])
