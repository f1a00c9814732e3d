"""Storing, recalling and paging messages."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from messenger.protocol.errors import (
    AlreadyExists,
    MessageNotFound,
    NotRecallable,
    PermissionDenied,
    RecallWindowExpired,
)
from messenger.protocol.kinds import is_recallable
from messenger.protocol.models import Message
from messenger.server.storage.records import (
    NewMessage,
    PeerRead,
    ReadOutcome,
    RecallOutcome,
    RecallRequest,
    StoredMessage,
)
from messenger.server.storage.sqlite.database import Rollback, WriteTxn
from messenger.server.storage.sqlite.media_index import add_refs, check_kept
from messenger.server.storage.sqlite.rows import (
    MESSAGE_COLUMN_COUNT,
    MESSAGE_COLUMNS,
    encode_json,
    encode_mentions,
    message_from_row,
    target_of,
)
from messenger.server.storage.sqlite.states import participant_row, state_of_row


def get_or_create_c2c(txn: WriteTxn, key: str) -> int:
    conn = txn.conn
    row = conn.execute("SELECT id FROM conversations WHERE key=? AND kind='c2c'", (key,)).fetchone()
    if row is not None:
        return int(row[0])
    cur = conn.execute(
        "INSERT INTO conversations(kind, key) VALUES ('c2c', ?) RETURNING id", (key,)
    )
    conv_id = int(cur.fetchone()[0])
    a, _, b = key.partition("|")
    now = int(time.time() * 1000)
    pairs = [(a, b)] if a == b else [(a, b), (b, a)]
    conn.executemany(
        "INSERT INTO participants(conv_id, user_id, conversation_id, kind, join_time) "
        "VALUES (?, ?, ?, 'c2c', ?)",
        [(conv_id, user, "C2C" + peer, now) for user, peer in pairs],
    )
    return conv_id


def load_by_client_id(conn: sqlite3.Connection, sender: str, client_msg_id: str) -> Any:
    return conn.execute(
        f"SELECT {MESSAGE_COLUMNS}, c.id, c.kind, c.key FROM messages m "
        "JOIN conversations c ON c.id = m.conv_id WHERE m.sender=? AND m.client_msg_id=?",
        (sender, client_msg_id),
    ).fetchone()


def original(conn: sqlite3.Connection, new: NewMessage) -> StoredMessage:
    """The message already stored under ``new``'s (sender, client_msg_id)."""
    existing = load_by_client_id(conn, new.sender, new.client_msg_id)
    n = MESSAGE_COLUMN_COUNT
    if (existing[n + 1], existing[n + 2]) != (new.kind_of_conv, new.key):
        raise AlreadyExists(
            "this client_msg_id was already used for a message to another conversation",
            field="client_msg_id",
        )
    return _row_to_stored(existing, duplicate=True)


def _row_to_stored(row: Any, duplicate: bool) -> StoredMessage:
    n = MESSAGE_COLUMN_COUNT
    conv_id, kind, key = row[n], row[n + 1], row[n + 2]
    message = message_from_row(row, kind, target_of(kind, key, row[2]))
    return StoredMessage(conv_id, kind, message, duplicate)


def insert_message(txn: WriteTxn, new: NewMessage) -> StoredMessage:
    """Store a message once: a known (sender, client_msg_id) returns the original instead.

    The common path is three statements: take the next seq, insert, move the sender's cursor.
    A duplicate is noticed by the insert itself and rolled back (``Rollback``)."""
    conn = txn.conn
    conv_id = new.conv_id
    if conv_id is None:
        conv_id = get_or_create_c2c(txn, new.key)
    version = txn.next_version()
    now_ms = int(time.time() * 1000)
    seq, now = conn.execute(
        "UPDATE conversations SET last_seq=last_seq+1, "
        "last_time=CASE WHEN last_time > ? THEN last_time ELSE ? END, version=? "
        "WHERE id=? RETURNING last_seq, last_time",
        (now_ms, now_ms, version, conv_id),
    ).fetchone()
    reply = encode_json(new.reply_to) if new.reply_to is not None else None
    inserted = conn.execute(
        "INSERT INTO messages(conv_id, seq, message_id, sender, client_msg_id, time, kind, body, "
        "mentions, mention_all, reply_to, version, forwarded) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(sender, client_msg_id) DO NOTHING",
        (
            conv_id,
            seq,
            new.message_id,
            new.sender,
            new.client_msg_id,
            now,
            new.kind,
            encode_json(new.body),
            encode_mentions(new.mentions),
            int(new.mention_all),
            reply,
            version,
            int(new.forwarded),
        ),
    ).rowcount
    if not inserted:
        raise Rollback(original(conn, new))
    if new.media_ids:
        check_kept(conn, new.media_ids)  # (collected since the send checked them: refused)
        add_refs(conn, new.media_ids, new.message_id)
    message = message_of(new, seq, now, version)
    sender_read = _advance_sender_cursor(txn, conv_id, new, seq)
    return StoredMessage(conv_id, new.kind_of_conv, message, False, sender_read)


def message_of(new: NewMessage, seq: int, now: int, version: int) -> Message:
    """The message ``new`` as stored at ``seq``."""
    return Message(
        message_id=new.message_id,
        conv_type=new.kind_of_conv,
        target=target_of(new.kind_of_conv, new.key, new.sender),
        sender=new.sender,
        seq=seq,
        client_msg_id=new.client_msg_id,
        time=now,
        kind=new.kind,
        body=new.body,
        mentions=sorted(set(new.mentions)),
        mention_all=new.mention_all,
        reply_to=new.reply_to,
        version=version,
        forwarded=new.forwarded,
    )


def moves_sender_cursor(new: NewMessage) -> bool:
    """Sending implies having read what came before. A notice in my system conversation, or a
    group tip, is not sent by me even when my own action caused it: neither moves my cursor."""
    return new.kind_of_conv != "system" and new.kind != "tip"


def _advance_sender_cursor(
    txn: WriteTxn, conv_id: int, new: NewMessage, seq: int
) -> ReadOutcome | None:
    """A quiet update when nothing was unread; a real read (``read_on_send``) when something
    was."""
    if not moves_sender_cursor(new):
        return None
    quiet = txn.conn.execute(
        "UPDATE participants SET read_seq=? WHERE conv_id=? AND user_id=? "
        "AND read_seq>=? AND marked_unread=0",
        (seq, conv_id, new.sender, seq - 1),
    ).rowcount
    if quiet:  # nothing was unread: no new version
        return None
    return read_on_send(txn, conv_id, new, seq)


def read_on_send(txn: WriteTxn, conv_id: int, new: NewMessage, seq: int) -> ReadOutcome | None:
    """The sender had unread messages before ``seq``: a real read, with new versions pushed to
    their devices and to the peer."""
    conn = txn.conn
    row = conn.execute(
        "SELECT read_seq FROM participants WHERE conv_id=? AND user_id=?",
        (conv_id, new.sender),
    ).fetchone()
    if row is None:  # a server-made message by a non-member (e.g. an operator's tip)
        return None
    old_read = row[0]
    version = txn.next_version()
    conn.execute(
        "UPDATE participants SET read_seq=?, read_version=?, version=?, marked_unread=0 "
        "WHERE conv_id=? AND user_id=?",
        (seq, version, version, conv_id, new.sender),
    )
    state = state_of_row(conn, participant_row(conn, conv_id, new.sender), seq, txn.version)
    peer_read = None
    if new.kind_of_conv == "c2c":
        peer = target_of("c2c", new.key, new.sender)
        if peer != new.sender:
            peer_read = PeerRead(peer, "C2C" + new.sender, seq, version)
    return ReadOutcome(conv_id, new.kind_of_conv, state, old_read, seq, peer_read)


def load_message(
    conn: sqlite3.Connection, conv_id: int, message_id: str, kind: str, key: str
) -> Message:
    row = conn.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.message_id=? AND m.conv_id=?",
        (message_id, conv_id),
    ).fetchone()
    if row is None:
        raise MessageNotFound("no such message in this conversation")
    return message_from_row(row, kind, target_of(kind, key, row[2]))


def recall_message(txn: WriteTxn, request: RecallRequest) -> RecallOutcome:
    """Recall a message. Recalling one's own recall again changes nothing; a message recalled by
    someone else, or a tip, is not recallable."""
    conn = txn.conn
    conv_id, kind, key, by = request.conv_id, request.kind, request.key, request.by
    message_id, window_ms = request.message_id, request.window_ms
    may_recall_others = request.may_recall_others
    message = load_message(conn, conv_id, message_id, kind, key)
    if not is_recallable(message.kind):
        raise NotRecallable(f"{message.kind} messages cannot be recalled")
    if message.sender != by and not may_recall_others:
        raise PermissionDenied("only the sender or a group admin may recall this message")
    if message.recalled:
        if message.recalled_by == by:
            return RecallOutcome(message, False, [])
        raise NotRecallable("this message was already recalled", recalled_by=message.recalled_by)
    now = int(time.time() * 1000)
    if not may_recall_others and now - message.time > window_ms:
        raise RecallWindowExpired(
            f"messages can be recalled for {window_ms / 1000:g} s after sending",
            window_ms=window_ms,
        )
    version = txn.next_version()
    conn.execute(
        "UPDATE messages SET recalled=1, recalled_by=?, recall_time=?, body='{}', mentions='', "
        "mention_all=0, reply_to=NULL, reactions='', version=? WHERE conv_id=? AND seq=?",
        (by, now, version, conv_id, message.seq),
    )
    conn.execute("UPDATE conversations SET version=? WHERE id=?", (version, conv_id))
    recalled = load_message(conn, conv_id, message_id, kind, key)
    viewers = [
        row[0]
        for row in conn.execute(
            "SELECT user_id FROM participants WHERE conv_id=? AND remind!='block' "
            "AND joined_seq<? AND cleared_seq<?",
            (conv_id, message.seq, message.seq),
        )
    ]
    return RecallOutcome(recalled, True, viewers)


def history(
    conn: sqlite3.Connection,
    *,
    conv_id: int,
    kind: str,
    key: str,
    floor_seq: int,
    before_seq: int | None,
    after_seq: int | None,
    limit: int,
    only_kind: str = "",
) -> tuple[list[Message], bool]:
    """A page of messages above ``floor_seq`` (what this user may see), ascending by seq; with
    ``only_kind``, only the messages of that kind not recalled."""
    only, more = ("AND m.kind=? AND m.recalled=0 ", (only_kind,)) if only_kind else ("", ())
    if after_seq is not None:
        rows = conn.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.conv_id=? AND m.seq>? {only}"
            "ORDER BY m.seq LIMIT ?",
            (conv_id, max(after_seq, floor_seq), *more, limit + 1),
        ).fetchall()
        has_more = len(rows) > limit
        rows = rows[:limit]
    else:
        upper = before_seq if before_seq is not None else 1 << 62
        rows = conn.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.conv_id=? AND m.seq<? AND m.seq>? "
            f"{only}ORDER BY m.seq DESC LIMIT ?",
            (conv_id, upper, floor_seq, *more, limit + 1),
        ).fetchall()
        has_more = len(rows) > limit
        rows = rows[:limit][::-1]
    return [message_from_row(r, kind, target_of(kind, key, r[2])) for r in rows], has_more


def message_at(
    conn: sqlite3.Connection, conv_id: int, seq: int, kind: str, key: str
) -> Message | None:
    row = conn.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.conv_id=? AND m.seq=?", (conv_id, seq)
    ).fetchone()
    return message_from_row(row, kind, target_of(kind, key, row[2])) if row else None


def first_seq_since(
    conn: sqlite3.Connection, conv_id: int, user_id: str, time_ms: int
) -> int | None:
    """The first seq at or after ``time_ms`` that ``user_id`` may read (above their cleared and
    joined cursors). A conversation's times never go down as seqs go up (each message takes at
    least its predecessor's time), so a binary search over seqs finds it in a few lookups."""
    row = conn.execute(
        "SELECT max(p.cleared_seq, p.joined_seq), c.last_seq FROM participants p "
        "JOIN conversations c ON c.id = p.conv_id WHERE p.conv_id = ? AND p.user_id = ?",
        (conv_id, user_id),
    ).fetchone()
    if row is None:
        return None
    low, high = int(row[0]) + 1, int(row[1]) + 1  # the answer is in [low, high); high: none
    while low < high:
        middle = (low + high) // 2
        at = conn.execute(
            "SELECT seq, time FROM messages WHERE conv_id = ? AND seq >= ? ORDER BY seq LIMIT 1",
            (conv_id, middle),
        ).fetchone()
        if at is None or at[1] >= time_ms:
            high = middle
        else:
            low = int(at[0]) + 1
    return low if low <= int(row[1]) else None
