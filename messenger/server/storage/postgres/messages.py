"""Storing a message on PostgreSQL in one statement: the conversation's seq bump, the insert,
the record of the files it uses (only while they are all kept) and the sender's quiet cursor
move (``sqlite/messages.py`` makes three or four of them, and a round trip to the database
costs far more than a call into SQLite).

A message already stored under its (sender, client_msg_id) is found by the same statement
before anything is written, so the job never has to undo itself: it is ``atomic`` (the writer
runs a run of them under one savepoint). Only writers holding the version counter's row write
messages, one batch at a time, so nobody can store that pair between the check and the insert.
"""

from __future__ import annotations

import time

from messenger.server.storage.records import NewMessage, StoredMessage
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.media_index import check_kept
from messenger.server.storage.sqlite.messages import (
    get_or_create_c2c,
    load_by_client_id,
    message_of,
    moves_sender_cursor,
    original,
    read_on_send,
)
from messenger.server.storage.sqlite.rows import encode_json, encode_mentions

_BUMP = (
    "WITH bump AS (UPDATE conversations SET last_seq = last_seq + 1, "
    "last_time = GREATEST(last_time, ?), version = ? WHERE id = ? AND NOT EXISTS "
    "(SELECT 1 FROM messages WHERE sender = ? AND client_msg_id = ?) "
)
# a message with files is stored only while every one of them is kept (media_index.py)
_ALL_KEPT = "AND (SELECT count(*) FROM media WHERE media_id = ANY(?::text[])) = ? "
_INSERT = (
    "RETURNING last_seq, last_time), "
    "stored AS (INSERT INTO messages(conv_id, seq, message_id, sender, client_msg_id, time, kind, "
    "body, mentions, mention_all, reply_to, version, forwarded) "
    "SELECT ?, last_seq, ?, ?, ?, last_time, ?, ?, ?, ?, ?, ?, ? FROM bump RETURNING seq)"
)
# nothing was unread before the new message: the sender's cursor moves without a new version
_QUIET_READ = (
    ", quiet AS (UPDATE participants p SET read_seq = s.seq FROM stored s "
    "WHERE p.conv_id = ? AND p.user_id = ? AND p.read_seq >= s.seq - 1 AND p.marked_unread = 0 "
    "RETURNING 1) SELECT last_seq, last_time, (SELECT count(*) FROM quiet) FROM bump"
)
_PLAIN = " SELECT last_seq, last_time, 0 FROM bump"
# the files the message uses (``media_index.py``), in the same statement
_REFS = (
    ", refs AS (INSERT INTO media_refs(media_id, message_id) "
    "SELECT unnest(?::text[]), ? FROM stored ON CONFLICT DO NOTHING)"
)
_STATEMENTS = {  # (moves the sender's cursor, uses files) -> the statement
    (True, False): _BUMP + _INSERT + _QUIET_READ,
    (False, False): _BUMP + _INSERT + _PLAIN,
    (True, True): _BUMP + _ALL_KEPT + _INSERT + _REFS + _QUIET_READ,
    (False, True): _BUMP + _ALL_KEPT + _INSERT + _REFS + _PLAIN,
}


def insert_message(txn: WriteTxn, new: NewMessage) -> StoredMessage:
    """What ``sqlite.messages.insert_message`` does, in one statement on the common path."""
    conn = txn.conn
    conv_id = new.conv_id
    if conv_id is None:
        conv_id = get_or_create_c2c(txn, new.key)
    version = txn.next_version()
    now_ms = int(time.time() * 1000)
    reply = encode_json(new.reply_to) if new.reply_to is not None else None
    params: list[object] = [now_ms, version, conv_id, new.sender, new.client_msg_id]
    if new.media_ids:
        params += [list(new.media_ids), len(set(new.media_ids))]
    params += [
        conv_id,
        new.message_id,
        new.sender,
        new.client_msg_id,
        new.kind,
        encode_json(new.body),
        encode_mentions(new.mentions),
        int(new.mention_all),
        reply,
        version,
        int(new.forwarded),
    ]
    if new.media_ids:
        params += [list(new.media_ids), new.message_id]
    moves = moves_sender_cursor(new)
    if moves:
        params += [conv_id, new.sender]
    row = conn.execute(_STATEMENTS[moves, bool(new.media_ids)], params).fetchone()
    if row is None:  # stored before (a resend): the original, nothing written
        txn.give_back(version)
        if new.media_ids and load_by_client_id(conn, new.sender, new.client_msg_id) is None:
            check_kept(conn, new.media_ids)  # (not a resend: a file is no longer kept)
        return original(conn, new)
    seq, now, quiet = row
    message = message_of(new, seq, now, version)
    sender_read = read_on_send(txn, conv_id, new, seq) if moves and not quiet else None
    return StoredMessage(conv_id, new.kind_of_conv, message, False, sender_read)
