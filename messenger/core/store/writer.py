"""One write transaction of the store: upserts, conversation state and the unread rules.

A ``Batch`` runs on the store's thread inside ``BEGIN … COMMIT``. It keeps the touched
conversation rows in memory, writes back those that changed and records what changed in a
``StoreDelta``. Every operation is idempotent: applying the same message or state twice changes
nothing the second time and so reports nothing.

Unread rules (docs/protocol.md): a message counts for me when I did not send it, it is not a tip,
not recalled, its seq is above my read, cleared and joined cursors and the conversation is not
blocked.
The server's ``unread_count``/``mention_seqs`` hold up to ``unread_at_seq`` and reflect every
change up to ``unread_version``; every stored message above ``unread_at_seq`` that counts is added
here, and a recall newer than the count takes back what was counted for the recalled message.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from messenger.core.events import DraftChanged
from messenger.core.models import LocalMessage, MessageState
from messenger.core.store.delta import StoreDelta
from messenger.core.store.rows import (
    CONVERSATION_COLUMNS,
    CONVERSATION_SELECT,
    CONVERSATION_UPSERT,
    MESSAGE_COLUMNS,
    MESSAGE_INSERT,
    MESSAGE_UPDATE,
    TOTAL_UNREAD,
    ConversationRow,
    conversation_from_row,
    encode,
    insert_params,
    local_message,
    message_from_row,
    update_params,
)
from messenger.protocol.ids import ConversationType, conversation_id_for, group_conversation_id
from messenger.protocol.kinds import counts_unread
from messenger.protocol.models import (
    ConversationState,
    ErrorBody,
    GroupInfo,
    Message,
    MessageKind,
    RemindType,
    SendRequest,
)

log = logging.getLogger(__name__)

_SELECT_MESSAGE = f"SELECT {MESSAGE_COLUMNS} FROM messages"
DEPARTED = 2**53 - 1  # hidden_seq of a group I am no longer in: hidden whatever arrives
OUTBOX_HELD = 2  # outbox.failed: 0 waiting, 1 refused, 2 held (its file is still uploading)


def kv_get(conn: sqlite3.Connection, key: str) -> bytes | None:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else bytes(row[0])


def kv_set(conn: sqlite3.Connection, key: str, value: bytes) -> None:
    conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))


class Batch:
    def __init__(self, conn: sqlite3.Connection, me: str) -> None:
        self._conn = conn
        self._me = me
        self._rows: dict[str, ConversationRow] = {}
        self._before: dict[str, tuple[Any, ...] | None] = {}
        self._preview_changed: set[str] = set()
        self.delta = StoreDelta()

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    # -- conversations ---------------------------------------------------------------------------
    def conversation(self, conversation_id: str) -> ConversationRow:
        row = self._rows.get(conversation_id)
        if row is None:
            found = self._conn.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            if found:
                row = ConversationRow.from_row(found)
            else:
                row = ConversationRow.new(conversation_id)
                if row.conv_type == ConversationType.C2C:
                    row.member_count = 1 if row.target == self._me else 2
            self._before[conversation_id] = row.snapshot() if found else None
            self._rows[conversation_id] = row
        return row

    def put_state(self, state: ConversationState) -> None:
        """My state of a conversation, with the server's unread count."""
        row = self.conversation(state.conversation_id)
        if state.version < row.state_version:
            return  # an older answer overtaken by a newer change
        row.state_version = state.version
        row.read_seq = max(row.read_seq, state.read_seq)  # a read cursor only moves forward
        row.pinned = state.pinned
        row.pin_time = state.pin_time
        if row.remind == RemindType.BLOCK and state.remind != RemindType.BLOCK:
            # The feed held this conversation's messages back; the count covers them, so they
            # exist up to unread_at_seq: history fills the hole and the newest are fetched.
            row.last_seq = max(row.last_seq, state.unread_at_seq)
            self.delta.unblocked.append(row.conversation_id)
        row.remind = str(state.remind)
        row.hidden_seq = state.hidden_seq
        row.marked_unread = state.marked_unread
        row.joined_seq = state.joined_seq
        if state.cleared_seq > row.cleared_seq:
            self._clear(row, state.cleared_seq)
        self._merge_remote_draft(row, state.draft_text, state.draft_time)
        row.unread_count = state.unread_count
        row.mention_seqs = list(state.mention_seqs)
        row.unread_at_seq = state.unread_at_seq
        # A count is never older than its state (an older server may leave the field out).
        row.unread_version = max(state.unread_version, state.version)
        self._count_stored_after(row, state.unread_at_seq)

    def put_peer_read(self, conversation_id: str, read_seq: int) -> None:
        row = self.conversation(conversation_id)
        if read_seq > row.peer_read_seq:
            row.peer_read_seq = read_seq
            self.delta.peer_read[conversation_id] = read_seq

    def put_group(self, group: GroupInfo, member: bool) -> None:
        row = self.conversation(group_conversation_id(group.group_id))
        found = self._conn.execute(
            "SELECT info, member, version FROM groups WHERE group_id = ?", (group.group_id,)
        ).fetchone()
        info = encode(group)
        if found is not None and (
            found[2] > group.version or (bytes(found[0]) == info and bool(found[1]) == member)
        ):
            return
        self._conn.execute(
            "INSERT OR REPLACE INTO groups (group_id, info, member, version) VALUES (?, ?, ?, ?)",
            (group.group_id, info, int(member), group.version),
        )
        self.delta.groups.append((group, member))
        if not member:  # left, removed or dismissed: out of my list (history kept) until I am back
            row.hidden_seq = DEPARTED
        elif row.hidden_seq == DEPARTED:
            row.hidden_seq = -1
        self.put_pins(row.conversation_id, list(group.pinned))
        row.group_name = group.name
        row.member_count = group.member_count
        row.activity_time = row.activity_time or group.create_time

    def put_summary_fields(
        self, conversation_id: str, last_seq: int, group_name: str, member_count: int
    ) -> None:
        row = self.conversation(conversation_id)
        row.last_seq = max(row.last_seq, last_seq)
        if group_name:
            row.group_name = group_name
        if member_count:
            row.member_count = member_count

    def set_local_draft(self, conversation_id: str, text: str, edit_time: int) -> None:
        row = self.conversation(conversation_id)
        if text == row.draft_text:
            return
        row.draft_text = text
        row.draft_time = max(edit_time, row.draft_time + 1)
        row.draft_dirty = True
        self.delta.drafts.append(DraftChanged(conversation_id, text, row.draft_time, False))

    def mark_draft_saved(self, conversation_id: str, edit_time: int) -> None:
        row = self.conversation(conversation_id)
        if row.draft_time == edit_time:
            row.draft_dirty = False

    # -- messages --------------------------------------------------------------------------------
    def put_message(self, msg: Message, version: int = 0) -> None:
        """Store a server message (new, or a changed copy of a known one)."""
        conversation_id = conversation_id_for(self._me, msg.conv_type, msg.sender, msg.target)
        row = self.conversation(conversation_id)
        if msg.seq <= row.cleared_seq:
            row.last_seq = max(row.last_seq, msg.seq)
            return  # cleared for me: never comes back
        local = local_message(msg, conversation_id, self._me)
        if version > local.version:
            local = msgspec.structs.replace(local, version=version)
        found = self._find(msg)
        if found is None:
            row_id = self._insert(local)
            self._count_new(row, local)
            self.delta.added.setdefault(conversation_id, []).append(local)
        else:
            row_id, previous = found
            self._update(row, row_id, previous, local)
        if msg.seq >= row.last_seq:
            row.last_seq = msg.seq
            if not msg.deleted:
                row.last_id = row_id
                row.activity_time = max(row.activity_time, msg.time)
        self._sender_has_read(row, local)

    def _sender_has_read(self, row: ConversationRow, m: LocalMessage) -> None:
        """Sending implies having read what came before (the server moves the sender's cursor
        without a change of its own when nothing was unread)."""
        if m.is_self and row.conv_type != ConversationType.SYSTEM and m.kind != MessageKind.TIP:
            # (notices and tips are the server's, whoever's action caused them)
            if row.read_seq >= m.seq - 1 and not row.marked_unread:
                row.read_seq = max(row.read_seq, m.seq)
        elif row.conv_type == ConversationType.C2C and m.seq > row.peer_read_seq:
            row.peer_read_seq = m.seq
            self.delta.peer_read[row.conversation_id] = m.seq

    def add_outgoing(self, message: LocalMessage, request: SendRequest, held: bool = False) -> None:
        """My new message: local echo plus outbox entry (``held``: not sent until released,
        e.g. until its file is uploaded; later messages are sent meanwhile)."""
        row = self.conversation(message.conversation_id)
        row_id = self._insert(message)
        self._conn.execute(
            "INSERT INTO outbox (client_msg_id, conversation_id, request, failed) "
            "VALUES (?, ?, ?, ?)",
            (
                message.client_msg_id,
                message.conversation_id,
                encode(request),
                OUTBOX_HELD if held else 0,
            ),
        )
        row.last_id = row_id
        row.activity_time = max(row.activity_time, message.time)
        self.delta.added.setdefault(message.conversation_id, []).append(message)
        if message.kind == "text":
            self._conn.execute(
                "INSERT OR IGNORE INTO sent_here (client_msg_id) VALUES (?)",
                (message.client_msg_id,),
            )

    def release_outgoing(self, client_msg_id: str) -> bool:
        """A held message may go now: it joins the end of the outbox, after the messages written
        while it was held (the server fills in its file's facts when it stores it)."""
        held = self._conn.execute(
            "SELECT conversation_id, request FROM outbox WHERE client_msg_id = ? AND failed = ?",
            (client_msg_id, OUTBOX_HELD),
        ).fetchone()
        if held is None:
            return False
        self._conn.execute("DELETE FROM outbox WHERE client_msg_id = ?", (client_msg_id,))
        self._conn.execute(
            "INSERT INTO outbox (client_msg_id, conversation_id, request) VALUES (?, ?, ?)",
            (client_msg_id, held[0], held[1]),
        )
        return True

    def fail_outgoing(self, client_msg_id: str, error: ErrorBody) -> LocalMessage | None:
        found = self._find_own(client_msg_id)
        if found is None or found[1].state is not MessageState.SENDING:
            return None
        row_id, previous = found
        failed = msgspec.structs.replace(previous, state=MessageState.FAILED, error=error)
        self._write_update(row_id, failed)
        self._conn.execute("UPDATE outbox SET failed = 1 WHERE client_msg_id = ?", (client_msg_id,))
        return failed

    def requeue(self, client_msg_id: str, now: int, held: bool = False) -> LocalMessage | None:
        """Put a failed message back at the end of the outbox (``held``: until its file is
        uploaded again); ``None`` if unknown."""
        found = self._find_own(client_msg_id)
        if found is None:
            return None
        row_id, previous = found
        if previous.state is not MessageState.FAILED:
            return previous
        request = self._conn.execute(
            "SELECT request FROM outbox WHERE client_msg_id = ?", (client_msg_id,)
        ).fetchone()
        if request is None:
            return None
        self._conn.execute("DELETE FROM outbox WHERE client_msg_id = ?", (client_msg_id,))
        self._conn.execute(
            "INSERT INTO outbox (client_msg_id, conversation_id, request, failed) "
            "VALUES (?, ?, ?, ?)",
            (client_msg_id, previous.conversation_id, request[0], OUTBOX_HELD if held else 0),
        )
        again = msgspec.structs.replace(
            previous, state=MessageState.SENDING, error=None, time=max(now, previous.time)
        )
        self._write_update(row_id, again)
        row = self.conversation(previous.conversation_id)
        row.activity_time = max(row.activity_time, again.time)
        return again

    def _find(self, msg: Message) -> tuple[int, LocalMessage] | None:
        found = self._conn.execute(
            f"{_SELECT_MESSAGE} WHERE message_id = ?", (msg.message_id,)
        ).fetchone()
        if found is not None:
            return found[0], message_from_row(found)
        if msg.sender == self._me:
            return self._find_own(msg.client_msg_id)
        return None

    def _find_own(self, client_msg_id: str) -> tuple[int, LocalMessage] | None:
        found = self._conn.execute(
            f"{_SELECT_MESSAGE} WHERE client_msg_id = ? AND is_self = 1", (client_msg_id,)
        ).fetchone()
        return None if found is None else (found[0], message_from_row(found))

    def _insert(self, m: LocalMessage) -> int:
        params = insert_params(m)
        try:
            cursor = self._conn.execute(MESSAGE_INSERT, params)
        except sqlite3.IntegrityError:
            # Another message already holds this seq: the server's copy wins.
            log.warning("replacing a stored message at %s seq %d", m.conversation_id, m.seq)
            self._delete_messages(
                "conversation_id = ? AND seq = ?", (m.conversation_id, m.seq or None)
            )
            cursor = self._conn.execute(MESSAGE_INSERT, params)
        row_id = cursor.lastrowid
        assert row_id is not None
        return row_id  # (the search index follows by itself: schema triggers)

    def _update(
        self, row: ConversationRow, row_id: int, previous: LocalMessage, new: LocalMessage
    ) -> None:
        if previous.recalled and not new.recalled:
            return  # a recall is final; an older copy does not undo it
        if previous.deleted and not new.deleted:
            return  # so is a delete for me
        if new.version < previous.version:
            new = msgspec.structs.replace(new, version=previous.version)
        if new.edit_time < previous.edit_time:
            return  # an older copy of an edited message
        if new == previous:
            return
        self._write_update(row_id, new)
        if previous.state is not MessageState.SENT:
            self._conn.execute(
                "DELETE FROM outbox WHERE client_msg_id = ?", (previous.client_msg_id,)
            )
        if new.recalled and not previous.recalled:
            self._keep_recalled_draft(previous, new)
            self._count_recall(row, new)
        elif new.deleted and not previous.deleted and row.last_id == row_id:
            # (its body is gone: out of the search index too, by the schema's triggers)
            row.last_id = self._newest_shown(row.conversation_id)
            self._preview_changed.add(row.conversation_id)
        if (
            new.edit_time > previous.edit_time
            and self._mentions_me(new.mentions, new.mention_all)
            and not self._mentions_me(previous.mentions, previous.mention_all)
        ):
            self._mentioned_by_edit(row, new)

    def _mentioned_by_edit(self, row: ConversationRow, m: LocalMessage) -> None:
        """An edit added me to the mentions: an unread message now counts as @me, and I am told
        (those mentioned before are not told again)."""
        if self._counts(row, m.seq, m.sender, m.kind) and m.seq not in row.mention_seqs:
            row.mention_seqs.append(m.seq)
        self.delta.mentioned.append(m)

    def _newest_shown(self, conversation_id: str) -> int | None:
        found = self._conn.execute(
            "SELECT id FROM messages WHERE conversation_id = ? AND deleted = 0 "
            "AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
            (conversation_id,),
        ).fetchone()
        return None if found is None else int(found[0])

    def _keep_recalled_draft(self, previous: LocalMessage, new: LocalMessage) -> None:
        """My text sent from this device and now recalled: kept here (only) for "Re-edit"."""
        if not previous.is_self or previous.kind != "text" or not previous.text:
            return
        sent_here = self._conn.execute(
            "DELETE FROM sent_here WHERE client_msg_id = ?", (previous.client_msg_id,)
        ).rowcount
        if not sent_here:
            return
        self._conn.execute(
            "INSERT OR REPLACE INTO recalled_drafts (message_id, conversation_id, text, "
            "mentions, mention_all, reply_to, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                new.message_id,
                new.conversation_id,
                previous.text,
                encode(previous.mentions) if previous.mentions else None,
                int(previous.mention_all),
                encode(previous.reply_to) if previous.reply_to else None,
                new.recall_time or previous.time,
            ),
        )

    def put_pins(self, conversation_id: str, pinned: list[str]) -> None:
        """The pinned messages of a conversation (oldest pin first)."""
        data = encode(pinned)
        found = self._conn.execute(
            "SELECT pinned FROM conversation_pins WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        if found is not None and bytes(found[0]) == data:
            return
        self._conn.execute(
            "INSERT OR REPLACE INTO conversation_pins (conversation_id, pinned) VALUES (?, ?)",
            (conversation_id, data),
        )
        self.delta.pins[conversation_id] = tuple(pinned)

    def _write_update(self, row_id: int, new: LocalMessage) -> None:
        row = self.conversation(new.conversation_id)
        try:
            self._conn.execute(MESSAGE_UPDATE, update_params(new, row_id))
        except sqlite3.IntegrityError:
            # Another stored message holds this seq (or server ID): the server's word for this
            # one wins, as in ``_insert`` (else an ack would fail here for ever).
            log.warning("replacing a stored message at %s seq %d", new.conversation_id, new.seq)
            gone = self._delete_messages(
                "id != ? AND ((conversation_id = ? AND seq = ?) OR message_id = ?)",
                (row_id, new.conversation_id, new.seq or None, new.message_id or None),
            )
            if row.last_id in gone:
                row.last_id = row_id
            self._conn.execute(MESSAGE_UPDATE, update_params(new, row_id))
        self.delta.updated.append(new)
        if row.last_id == row_id:
            self._preview_changed.add(new.conversation_id)

    def _clear(self, row: ConversationRow, cleared_seq: int) -> None:
        where = "conversation_id = ? AND seq <= ?"
        deleted = self._delete_messages(where, (row.conversation_id, cleared_seq))
        if row.last_id in deleted:
            row.last_id = None
        row.cleared_seq = cleared_seq

    def _delete_messages(self, where: str, params: tuple[Any, ...]) -> set[int]:
        ids = {r[0] for r in self._conn.execute(f"SELECT id FROM messages WHERE {where}", params)}
        self._conn.execute(f"DELETE FROM messages WHERE {where}", params)
        return ids

    # -- unread ----------------------------------------------------------------------------------
    def _counts(self, row: ConversationRow, seq: int, sender: str, kind: str) -> bool:
        """Whether a (not recalled) message is unread for me."""
        return (
            sender != self._me
            and counts_unread(kind)
            and seq > row.read_seq
            and seq > row.cleared_seq
            and seq > row.joined_seq
            and row.remind != RemindType.BLOCK
        )

    def _mentions_me(self, mentions: Iterable[str], mention_all: bool) -> bool:
        return mention_all or self._me in mentions

    def _count_new(self, row: ConversationRow, m: LocalMessage) -> None:
        if m.deleted or not self._counts(row, m.seq, m.sender, m.kind):
            return
        if m.recalled:
            # Recalled before I saw it: the server counted it if it recalled it after counting.
            if m.seq <= row.unread_at_seq and m.version > row.unread_version:
                self._uncount(row, m.seq)
        elif m.seq > row.unread_at_seq:
            row.unread_count += 1
            if self._mentions_me(m.mentions, m.mention_all):
                row.mention_seqs.append(m.seq)

    def _count_recall(self, row: ConversationRow, m: LocalMessage) -> None:
        counted = m.seq > row.unread_at_seq or m.version > row.unread_version
        if counted and self._counts(row, m.seq, m.sender, m.kind):
            self._uncount(row, m.seq)
        elif m.seq in row.mention_seqs:
            row.mention_seqs.remove(m.seq)

    @staticmethod
    def _uncount(row: ConversationRow, seq: int) -> None:
        row.unread_count = max(0, row.unread_count - 1)
        if seq in row.mention_seqs:
            row.mention_seqs.remove(seq)

    def _count_stored_after(self, row: ConversationRow, after_seq: int) -> None:
        """Add the stored messages the server's count does not cover yet."""
        stored = self._conn.execute(
            "SELECT seq, sender, kind, mentions, mention_all FROM messages "
            "WHERE conversation_id = ? AND seq > ? AND recalled = 0 AND deleted = 0",
            (row.conversation_id, after_seq),
        )
        for seq, sender, kind, mentions, mention_all in stored:
            if self._counts(row, seq, sender, kind):
                row.unread_count += 1
                names = msgspec.json.decode(mentions, type=list[str]) if mentions else []
                if self._mentions_me(names, bool(mention_all)):
                    row.mention_seqs.append(seq)

    def _merge_remote_draft(self, row: ConversationRow, text: str, edit_time: int) -> None:
        """The newest edit wins; the server holding my own edit means it is saved."""
        if edit_time > row.draft_time:
            row.draft_text = text
            row.draft_time = edit_time
            row.draft_dirty = False
            self.delta.drafts.append(DraftChanged(row.conversation_id, text, edit_time, True))
        elif edit_time == row.draft_time:
            row.draft_dirty = False

    # -- end of the transaction ------------------------------------------------------------------
    def finish(self, last_total: int | None) -> None:
        """Write back changed conversations and report them and the total unread."""
        changed: list[str] = []
        for conversation_id, row in self._rows.items():
            row.mention_seqs = sorted(
                {s for s in row.mention_seqs if s > row.read_seq and s > row.cleared_seq}
            )
            if (
                row.snapshot() != self._before[conversation_id]
                or conversation_id in self._preview_changed
            ):
                self._conn.execute(CONVERSATION_UPSERT, row.params())
                changed.append(conversation_id)
        if not changed:
            return
        self.delta.conversations = list(load_conversations(self._conn, changed))
        total = int(self._conn.execute(TOTAL_UNREAD).fetchone()[0])
        if total != last_total:
            self.delta.total_unread = total


def load_conversations(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterable[Any]:
    """``Conversation`` values of ``ids``, in no particular order."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for found in conn.execute(
            f"{CONVERSATION_SELECT} WHERE c.conversation_id IN ({marks})", chunk
        ):
            yield conversation_from_row(found)
