"""Each user's system conversation (``@TIM#SYSTEM``): read-only notices addressed to them."""

from __future__ import annotations

import sqlite3
import time

from messenger.protocol.ids import SYSTEM_CONVERSATION_ID
from messenger.protocol.models import Message, MessageKind, NoticeBody
from messenger.server.storage.records import NewMessage, system_key
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.messages import insert_message


def find_system(conn: sqlite3.Connection, user_id: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM conversations WHERE key=? AND kind='system'", (system_key(user_id),)
    ).fetchone()
    return int(row[0]) if row else None


def get_or_create_system(txn: WriteTxn, user_id: str) -> int:
    conv_id = find_system(txn.conn, user_id)
    if conv_id is not None:
        return conv_id
    cur = txn.conn.execute(
        "INSERT INTO conversations(kind, key) VALUES ('system', ?) RETURNING id",
        (system_key(user_id),),
    )
    conv_id = int(cur.fetchone()[0])
    txn.conn.execute(
        "INSERT INTO participants(conv_id, user_id, conversation_id, kind, join_time, version) "
        "VALUES (?, ?, ?, 'system', ?, ?)",
        (conv_id, user_id, SYSTEM_CONVERSATION_ID, int(time.time() * 1000), txn.next_version()),
    )
    return conv_id


def post_notice(txn: WriteTxn, user_id: str, notice: NoticeBody, message_id: str) -> Message | None:
    """Store a notice in ``user_id``'s system conversation (created on first use); returns it to
    be pushed, or None if the user blocked their system conversation (it is kept in history)."""
    conv_id = get_or_create_system(txn, user_id)
    new = NewMessage(
        conv_id=conv_id,
        kind_of_conv="system",
        key=system_key(user_id),
        sender=notice.operator or user_id,
        client_msg_id="notice-" + message_id,
        kind=MessageKind.NOTICE,
        body={
            "notice": notice.notice,
            "operator": notice.operator,
            "group_id": notice.group_id,
            "group_name": notice.group_name,
            "detail": notice.detail,
        },
        mentions=[],
        mention_all=False,
        reply_to=None,
        message_id=message_id,
    )
    message = insert_message(txn, new).message
    (remind,) = txn.conn.execute(
        "SELECT remind FROM participants WHERE conv_id=? AND user_id=?", (conv_id, user_id)
    ).fetchone()
    return None if remind == "block" else message
