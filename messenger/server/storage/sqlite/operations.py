"""Edits, reactions, delete for me, merged-forward bundles and C2C pins on SQLite.

An edit or a reaction rewrites the message row with a new version, so the feed sends the
message again to everyone who sees it. Delete for me is a row per (user, message) in
``hidden_messages``: that user's history and feed show the message as a placeholder with no
body (``deleted``), everyone else's are untouched.
"""

from __future__ import annotations

import sqlite3
import time

import msgspec

from messenger.protocol.errors import (
    EditWindowExpired,
    MessageNotFound,
    NotEditable,
    TooManyPinned,
    TooManyReactions,
)
from messenger.protocol.frames import AnyChange, MessageChange, PinsChange
from messenger.protocol.kinds import is_event
from messenger.protocol.models import Message, Reaction
from messenger.server.storage.op_records import (
    EditOp,
    HideOutcome,
    MessageOp,
    OpOutcome,
    PinsOutcome,
    ReactOp,
)
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.messages import load_message
from messenger.server.storage.sqlite.rows import (
    MESSAGE_COLUMN_COUNT,
    MESSAGE_COLUMNS,
    encode_json,
    encode_mentions,
    message_from_row,
    target_of,
)

_pins_decoder = msgspec.json.Decoder(list[str])


def deleted_copy(message: Message, version: int = 0) -> Message:
    """The placeholder a user who deleted ``message`` for themselves sees."""
    return msgspec.structs.replace(
        message,
        body={},
        mentions=[],
        mention_all=False,
        reply_to=None,
        reactions=[],
        deleted=True,
        version=max(version, message.version),
    )


def _viewers(conn: sqlite3.Connection, conv_id: int, seq: int) -> list[str]:
    """Members whose history holds the message and who have not blocked the conversation."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT user_id FROM participants WHERE conv_id=? AND remind!='block' "
            "AND joined_seq<? AND cleared_seq<?",
            (conv_id, seq, seq),
        )
    ]


def _touch(txn: WriteTxn, conv_id: int) -> int:
    version = txn.next_version()
    txn.conn.execute("UPDATE conversations SET version=? WHERE id=?", (version, conv_id))
    return version


def _load(conn: sqlite3.Connection, op: MessageOp) -> Message:
    return load_message(conn, op.conv_id, op.message_id, op.kind, op.key)


# -- edit -----------------------------------------------------------------------------------------------
def edit_message(txn: WriteTxn, op: EditOp) -> OpOutcome:
    conn = txn.conn
    message = _load(conn, op.target)
    if message.sender != op.target.by or message.kind != "text" or message.recalled:
        raise NotEditable("only your own text messages can be edited")
    now = int(time.time() * 1000)
    if now - message.time > op.window_ms:
        raise EditWindowExpired(
            f"messages can be edited for {op.window_ms / 1000:g} s after sending",
            window_ms=op.window_ms,
        )
    mentions = sorted(set(op.mentions))
    if (message.body, message.mentions, message.mention_all) == (
        op.body,
        mentions,
        op.mention_all,
    ):
        return OpOutcome(message, False, [])
    version = _touch(txn, op.target.conv_id)
    conn.execute(
        "UPDATE messages SET body=?, mentions=?, mention_all=?, edit_time=?, version=? "
        "WHERE conv_id=? AND seq=?",
        (
            encode_json(op.body),
            encode_mentions(mentions),
            int(op.mention_all),
            now,
            version,
            op.target.conv_id,
            message.seq,
        ),
    )
    edited = _load(conn, op.target)
    return OpOutcome(edited, True, _viewers(conn, op.target.conv_id, message.seq))


# -- reactions ------------------------------------------------------------------------------------------
def react(txn: WriteTxn, op: ReactOp) -> OpOutcome:
    conn = txn.conn
    message = _load(conn, op.target)
    if message.recalled or is_event(message.kind):
        raise MessageNotFound("this message takes no reactions")
    reactions = [Reaction(emoji=r.emoji, users=list(r.users)) for r in message.reactions]
    found = next((r for r in reactions if r.emoji == op.emoji), None)
    user = op.target.by
    if op.add:
        if found is None:
            if len(reactions) >= op.limit:
                raise TooManyReactions(
                    f"a message carries at most {op.limit} different emoji", limit=op.limit
                )
            reactions.append(Reaction(emoji=op.emoji, users=[user]))
        elif user in found.users:
            return OpOutcome(message, False, [])
        else:
            found.users.append(user)
    else:
        if found is None or user not in found.users:
            return OpOutcome(message, False, [])
        found.users.remove(user)
        if not found.users:
            reactions.remove(found)
    version = _touch(txn, op.target.conv_id)
    conn.execute(
        "UPDATE messages SET reactions=?, version=? WHERE conv_id=? AND seq=?",
        (encode_json(reactions) if reactions else "", version, op.target.conv_id, message.seq),
    )
    changed = _load(conn, op.target)
    return OpOutcome(changed, True, _viewers(conn, op.target.conv_id, message.seq))


# -- delete for me --------------------------------------------------------------------------------------
def hide_messages(
    txn: WriteTxn, conv_id: int, kind: str, key: str, user_id: str, message_ids: list[str]
) -> HideOutcome:
    """Delete for ``user_id`` only; every ID must be a message of the conversation (else
    ``MessageNotFound`` and nothing changes). Already deleted ones are left as they are."""
    conn = txn.conn
    targets = [load_message(conn, conv_id, mid, kind, key) for mid in dict.fromkeys(message_ids)]
    done: list[Message] = []
    for message in targets:
        exists = conn.execute(
            "SELECT 1 FROM hidden_messages WHERE user_id=? AND conv_id=? AND seq=?",
            (user_id, conv_id, message.seq),
        ).fetchone()
        if exists:
            continue
        version = txn.next_version()  # one each: a feed page may end between any two
        conn.execute(
            "INSERT INTO hidden_messages(user_id, conv_id, seq, version) VALUES (?, ?, ?, ?)",
            (user_id, conv_id, message.seq, version),
        )
        done.append(deleted_copy(message, version))
    return HideOutcome(user_id, done)


def hidden_seqs(
    conn: sqlite3.Connection, user_id: str, conv_id: int, low: int, high: int
) -> set[int]:
    return {
        row[0]
        for row in conn.execute(
            "SELECT seq FROM hidden_messages WHERE user_id=? AND conv_id=? AND seq BETWEEN ? AND ?",
            (user_id, conv_id, low, high),
        )
    }


def mark_hidden(
    conn: sqlite3.Connection, user_id: str, conv_id: int, messages: list[Message]
) -> list[Message]:
    """``messages`` as ``user_id`` sees them: the ones they deleted as placeholders."""
    if not messages:
        return messages
    hidden = hidden_seqs(conn, user_id, conv_id, messages[0].seq, messages[-1].seq)
    if not hidden:
        return messages
    return [deleted_copy(m) if m.seq in hidden else m for m in messages]


def hidden_feed(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> list[AnyChange]:
    """My deletions after ``since``, as placeholders of the messages."""
    rows = conn.execute(
        f"SELECT {MESSAGE_COLUMNS}, c.kind, c.key, h.version FROM hidden_messages h "
        "JOIN messages m ON m.conv_id = h.conv_id AND m.seq = h.seq "
        "JOIN conversations c ON c.id = h.conv_id "
        "WHERE h.user_id=? AND h.version>? ORDER BY h.version LIMIT ?",
        (user_id, since, limit),
    ).fetchall()
    n = MESSAGE_COLUMN_COUNT
    changes: list[AnyChange] = []
    for r in rows:
        kind, key, version = r[n], r[n + 1], r[n + 2]
        message = deleted_copy(message_from_row(r, kind, target_of(kind, key, r[2])), version)
        changes.append(MessageChange(v=version, message=message))
    return changes


# -- merged-forward bundles -----------------------------------------------------------------------------
def put_bundle(txn: WriteTxn, bundle_id: str, owner: str, content: bytes) -> None:
    txn.conn.execute(
        "INSERT INTO bundles(bundle_id, owner, created, content) VALUES (?, ?, ?, ?)",
        (bundle_id, owner, int(time.time() * 1000), content),
    )


def get_bundle(conn: sqlite3.Connection, bundle_id: str) -> tuple[str, bytes] | None:
    row = conn.execute(
        "SELECT owner, content FROM bundles WHERE bundle_id=?", (bundle_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]))


# -- C2C pins -------------------------------------------------------------------------------------------
def c2c_pins(conn: sqlite3.Connection, conv_id: int) -> list[str]:
    row = conn.execute("SELECT pins FROM conversations WHERE id=?", (conv_id,)).fetchone()
    return _pins_decoder.decode(row[0]) if row and row[0] else []


def set_c2c_pin(
    txn: WriteTxn, conv_id: int, kind: str, key: str, message_id: str, pin: bool, limit: int
) -> PinsOutcome:
    conn = txn.conn
    pins = c2c_pins(conn, conv_id)
    participants: list[tuple[str, str]] = [
        (str(u), str(c))
        for u, c in conn.execute(
            "SELECT user_id, conversation_id FROM participants WHERE conv_id=?", (conv_id,)
        )
    ]
    if pin:
        message = load_message(conn, conv_id, message_id, kind, key)
        if message.recalled or is_event(message.kind):
            raise MessageNotFound("this message cannot be pinned")
        if message_id in pins:
            return PinsOutcome(pins, 0, participants)
        if len(pins) >= limit:
            raise TooManyPinned(f"at most {limit} pinned messages", limit=limit)
        pins.append(message_id)
    else:
        if message_id not in pins:
            return PinsOutcome(pins, 0, participants)
        pins.remove(message_id)
    version = txn.next_version()
    conn.execute(
        "UPDATE conversations SET pins=?, pins_version=? WHERE id=?",
        (encode_json(pins) if pins else "", version, conv_id),
    )
    return PinsOutcome(pins, version, participants)


def pins_feed(conn: sqlite3.Connection, user_id: str, since: int, limit: int) -> list[AnyChange]:
    rows = conn.execute(
        "SELECT p.conversation_id, c.pins, c.pins_version FROM participants p "
        "JOIN conversations c ON c.id = p.conv_id "
        "WHERE p.user_id=? AND p.kind='c2c' AND c.pins_version>? ORDER BY c.pins_version LIMIT ?",
        (user_id, since, limit),
    ).fetchall()
    return [
        PinsChange(v=v, conversation_id=cid, pinned=_pins_decoder.decode(pins) if pins else [])
        for cid, pins, v in rows
    ]
