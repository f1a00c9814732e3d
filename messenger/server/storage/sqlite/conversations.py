"""Conversation-level operations: read cursors, settings, drafts and the list snapshot."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from messenger.protocol.errors import ConversationNotFound
from messenger.protocol.models import (
    ConversationList,
    ConversationSummary,
    RemindType,
    StateUpdate,
)
from messenger.server.storage.records import PeerRead, ReadOutcome, StateOutcome
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.messages import message_at
from messenger.server.storage.sqlite.rows import PARTICIPANT_COLUMNS, target_of
from messenger.server.storage.sqlite.states import (
    head_version,
    last_seq_of,
    participant_row,
    state_of_row,
)


def _row_or_raise(conn: sqlite3.Connection, conv_id: int, user_id: str) -> Any:
    row = participant_row(conn, conv_id, user_id)
    if row is None:
        raise ConversationNotFound("you are not in this conversation")
    return row


def mark_read(txn: WriteTxn, conv_id: int, key: str, user_id: str, seq: int | None) -> ReadOutcome:
    conn = txn.conn
    row = _row_or_raise(conn, conv_id, user_id)
    kind, old_read, marked = row[3], row[4], bool(row[10])
    last = last_seq_of(conn, conv_id)
    target = last if seq is None else min(seq, last)
    new_read = max(old_read, target)
    if new_read == old_read and not marked:
        state = state_of_row(conn, row, last, txn.version)
        return ReadOutcome(conv_id, kind, state, old_read, old_read, None, changed=False)
    version = txn.next_version()
    moved = new_read != old_read
    conn.execute(
        "UPDATE participants SET read_seq=?, marked_unread=0, version=?, "
        "read_version=CASE WHEN ?=1 THEN ? ELSE read_version END WHERE conv_id=? AND user_id=?",
        (new_read, version, moved, version, conv_id, user_id),
    )
    state = state_of_row(conn, participant_row(conn, conv_id, user_id), last, txn.version)
    peer_read = None
    if moved and kind == "c2c":
        peer = target_of("c2c", key, user_id)
        if peer != user_id:
            peer_read = PeerRead(peer, "C2C" + user_id, new_read, version)
    return ReadOutcome(conv_id, kind, state, old_read, new_read, peer_read)


def update_state(txn: WriteTxn, conv_id: int, user_id: str, update: StateUpdate) -> StateOutcome:
    conn = txn.conn
    _row_or_raise(conn, conv_id, user_id)
    sets: list[str] = []
    args: list[Any] = []
    if update.pinned is not None:
        sets += ["pinned=?", "pin_time=?"]
        args += [int(update.pinned), int(time.time() * 1000) if update.pinned else 0]
        if update.pinned:
            sets.append("hidden_seq=-1")  # pinning brings a hidden conversation back
    if update.remind is not None:
        sets.append("remind=?")
        args.append(RemindType(update.remind).value)
    if update.marked_unread is not None:
        sets.append("marked_unread=?")
        args.append(int(update.marked_unread))
    return _apply(txn, conv_id, user_id, sets, args)


def hide(txn: WriteTxn, conv_id: int, user_id: str) -> StateOutcome:
    _row_or_raise(txn.conn, conv_id, user_id)
    last = last_seq_of(txn.conn, conv_id)
    return _apply(txn, conv_id, user_id, ["hidden_seq=?", "pinned=0", "pin_time=0"], [last])


def clear(txn: WriteTxn, conv_id: int, user_id: str) -> StateOutcome:
    conn = txn.conn
    row = _row_or_raise(conn, conv_id, user_id)
    last = last_seq_of(conn, conv_id)
    sets, args = ["cleared_seq=?", "marked_unread=0"], [last]
    if row[4] < last:
        sets.append("read_seq=?")
        args.append(last)
    return _apply(txn, conv_id, user_id, sets, args)


def set_draft(
    txn: WriteTxn, conv_id: int, user_id: str, text: str, edit_time: int
) -> tuple[StateOutcome, bool]:
    """Save a draft unless a newer edit is stored; returns the state and whether it changed."""
    conn = txn.conn
    row = _row_or_raise(conn, conv_id, user_id)
    draft_text, draft_time = row[11], row[12]
    if edit_time < draft_time or (edit_time == draft_time and text == draft_text):
        last = last_seq_of(conn, conv_id)
        state = state_of_row(conn, row, last, txn.version)
        return StateOutcome(conv_id, user_id, state), False
    return _apply(txn, conv_id, user_id, ["draft_text=?", "draft_time=?"], [text, edit_time]), True


def _apply(
    txn: WriteTxn, conv_id: int, user_id: str, sets: list[str], args: list[Any]
) -> StateOutcome:
    conn = txn.conn
    if sets:
        version = txn.next_version()
        conn.execute(
            f"UPDATE participants SET {', '.join(sets)}, version=? WHERE conv_id=? AND user_id=?",
            (*args, version, conv_id, user_id),
        )
    row = participant_row(conn, conv_id, user_id)
    state = state_of_row(conn, row, last_seq_of(conn, conv_id), txn.version)
    return StateOutcome(conv_id, user_id, state)


def summary_of_row(conn: sqlite3.Connection, row: Any, head: int) -> ConversationSummary:
    """``row`` = PARTICIPANT_COLUMNS + c.last_seq, c.key."""
    conv_id, user_id, kind = row[0], row[1], row[3]
    cleared_seq, joined_seq = row[9], row[14]
    last_seq, key = row[15], row[16]
    state = state_of_row(conn, row, last_seq, head)
    last_message = None
    if last_seq > max(cleared_seq, joined_seq):
        last_message = message_at(conn, conv_id, last_seq, kind, key)
    peer_read_seq = 0
    group_name = ""
    member_count = 0
    if kind == "c2c":
        peer = target_of("c2c", key, user_id)
        peer_row = conn.execute(
            "SELECT read_seq FROM participants WHERE conv_id=? AND user_id=?", (conv_id, peer)
        ).fetchone()
        peer_read_seq = int(peer_row[0]) if peer_row else 0
        member_count = 1 if peer == user_id else 2
    else:
        g = conn.execute(
            "SELECT name, member_count FROM groups WHERE conv_id=?", (conv_id,)
        ).fetchone()
        if g is not None:
            group_name, member_count = g
    return ConversationSummary(
        state=state,
        last_seq=last_seq,
        last_message=last_message,
        peer_read_seq=peer_read_seq,
        group_name=group_name,
        member_count=member_count,
    )


def _summary_query(where: str) -> str:
    return (
        f"SELECT {PARTICIPANT_COLUMNS}, c.last_seq, c.key FROM participants p "
        f"JOIN conversations c ON c.id = p.conv_id WHERE {where}"
    )


def _untouched_c2c(row: Any) -> bool:
    """A one-to-one chat with no message that this user has not touched either: the peer made it
    (a draft of theirs, say). It is not this user's to see, as the change feed never told them."""
    kind, pinned, remind, marked_unread, draft_text, last_seq = (
        row[3],
        row[5],
        row[7],
        row[10],
        row[11],
        row[15],
    )
    return (
        kind == "c2c"
        and last_seq == 0
        and not pinned
        and not marked_unread
        and not draft_text
        and remind == RemindType.NOTIFY.value
    )


def conversation_list(conn: sqlite3.Connection, user_id: str, head: int) -> ConversationList:
    rows = conn.execute(_summary_query("p.user_id=?"), (user_id,)).fetchall()
    summaries = [summary_of_row(conn, r, head) for r in rows if not _untouched_c2c(r)]
    total = 0
    for s in summaries:
        st = s.state
        visible = s.last_seq > st.hidden_seq
        if visible and st.remind == RemindType.NOTIFY:
            total += st.unread_count or (1 if st.marked_unread else 0)
    return ConversationList(conversations=summaries, version=head, total_unread=total)


def conversation_summary(
    conn: sqlite3.Connection, conv_id: int, user_id: str
) -> ConversationSummary:
    row = conn.execute(_summary_query("p.conv_id=? AND p.user_id=?"), (conv_id, user_id)).fetchone()
    if row is None:
        raise ConversationNotFound("you are not in this conversation")
    return summary_of_row(conn, row, head_version(conn))
