"""Conversions between SQLite rows and the client's value types."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import msgspec

from messenger.core.models import Conversation, LocalMessage, MessageState
from messenger.protocol.ids import ConversationType, parse_conversation_id
from messenger.protocol.models import ErrorBody, Message, Reaction, RemindType, ReplyRef

MESSAGE_COLUMNS = (
    "id, conversation_id, message_id, seq, client_msg_id, conv_type, target, sender, time, kind, "
    "body, mentions, mention_all, reply_to, recalled, recalled_by, recall_time, version, state, "
    "error, is_self, edit_time, reactions, forwarded, deleted"
)
MESSAGE_INSERT = (
    f"INSERT INTO messages ({MESSAGE_COLUMNS.removeprefix('id, ')}) "
    f"VALUES ({', '.join('?' for _ in range(MESSAGE_COLUMNS.count(',')))})"
)
MESSAGE_UPDATE = (
    "UPDATE messages SET message_id = ?, seq = ?, time = ?, body = ?, mentions = ?, "
    "mention_all = ?, reply_to = ?, recalled = ?, recalled_by = ?, recall_time = ?, version = ?, "
    "state = ?, error = ?, edit_time = ?, reactions = ?, forwarded = ?, deleted = ? WHERE id = ?"
)

_decode_reply = msgspec.json.Decoder(ReplyRef | None).decode
_decode_reactions = msgspec.json.Decoder(tuple[Reaction, ...]).decode
_decode_error = msgspec.json.Decoder(ErrorBody | None).decode
_decode_mentions = msgspec.json.Decoder(tuple[str, ...]).decode
_decode_seqs = msgspec.json.Decoder(list[int]).decode
_decode_body = msgspec.json.Decoder(dict[str, Any]).decode
encode = msgspec.json.encode


def local_message(msg: Message, conversation_id: str, me: str) -> LocalMessage:
    """The local form of a server message."""
    return LocalMessage(
        conversation_id=conversation_id,
        message_id=msg.message_id,
        conv_type=msg.conv_type,
        target=msg.target,
        sender=msg.sender,
        seq=msg.seq,
        client_msg_id=msg.client_msg_id,
        time=msg.time,
        kind=msg.kind,
        body=msg.body,
        mentions=tuple(msg.mentions),
        mention_all=msg.mention_all,
        reply_to=msg.reply_to,
        recalled=msg.recalled,
        recalled_by=msg.recalled_by,
        recall_time=msg.recall_time,
        version=msg.version,
        state=MessageState.SENT,
        is_self=msg.sender == me,
        edit_time=msg.edit_time,
        reactions=tuple(msg.reactions),
        forwarded=msg.forwarded,
        deleted=msg.deleted,
    )


def message_from_row(row: Sequence[Any]) -> LocalMessage:
    """``row`` holds ``MESSAGE_COLUMNS`` in order."""
    return LocalMessage(
        conversation_id=row[1],
        message_id=row[2] or "",
        seq=row[3] or 0,
        client_msg_id=row[4],
        conv_type=row[5],
        target=row[6],
        sender=row[7],
        time=row[8],
        kind=row[9],
        body=_decode_body(row[10]),
        mentions=_decode_mentions(row[11]) if row[11] else (),
        mention_all=bool(row[12]),
        reply_to=_decode_reply(row[13]) if row[13] else None,
        recalled=bool(row[14]),
        recalled_by=row[15],
        recall_time=row[16],
        version=row[17],
        state=MessageState(row[18]),
        error=_decode_error(row[19]) if row[19] else None,
        is_self=bool(row[20]),
        edit_time=row[21] or 0,
        reactions=_decode_reactions(row[22]) if row[22] else (),
        forwarded=bool(row[23]),
        deleted=bool(row[24]),
    )


def insert_params(m: LocalMessage) -> tuple[Any, ...]:
    """Parameters of ``MESSAGE_INSERT``."""
    return (
        m.conversation_id,
        m.message_id or None,
        m.seq or None,
        m.client_msg_id,
        m.conv_type,
        m.target,
        m.sender,
        m.time,
        m.kind,
        encode(m.body),
        encode(m.mentions) if m.mentions else None,
        int(m.mention_all),
        encode(m.reply_to) if m.reply_to else None,
        int(m.recalled),
        m.recalled_by,
        m.recall_time,
        m.version,
        m.state.value,
        encode(m.error) if m.error else None,
        int(m.is_self),
        *_op_params(m),
    )


def _op_params(m: LocalMessage) -> tuple[Any, ...]:
    return (
        m.edit_time,
        encode(m.reactions) if m.reactions else None,
        int(m.forwarded),
        int(m.deleted),
    )


def update_params(m: LocalMessage, row_id: int) -> tuple[Any, ...]:
    """Parameters of ``MESSAGE_UPDATE``."""
    return (
        m.message_id or None,
        m.seq or None,
        m.time,
        encode(m.body),
        encode(m.mentions) if m.mentions else None,
        int(m.mention_all),
        encode(m.reply_to) if m.reply_to else None,
        int(m.recalled),
        m.recalled_by,
        m.recall_time,
        m.version,
        m.state.value,
        encode(m.error) if m.error else None,
        *_op_params(m),
        row_id,
    )


@dataclasses.dataclass(slots=True)
class ConversationRow:
    """A mutable ``conversations`` row; field order = column order."""

    conversation_id: str
    conv_type: str
    target: str
    last_seq: int = 0
    last_id: int | None = None
    activity_time: int = 0
    read_seq: int = 0
    peer_read_seq: int = 0
    pinned: bool = False
    pin_time: int = 0
    remind: str = RemindType.NOTIFY.value
    hidden_seq: int = -1
    cleared_seq: int = 0
    marked_unread: bool = False
    draft_text: str = ""
    draft_time: int = 0
    draft_dirty: bool = False
    unread_count: int = 0
    unread_at_seq: int = 0
    mention_seqs: list[int] = dataclasses.field(default_factory=list)
    unread_version: int = 0
    joined_seq: int = 0
    state_version: int = 0
    group_name: str = ""
    member_count: int = 0

    @classmethod
    def new(cls, conversation_id: str) -> ConversationRow:
        ref = parse_conversation_id(conversation_id)
        return cls(conversation_id, ref.type.value, ref.target)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ConversationRow:
        values = list(row[: len(CONVERSATION_FIELDS)])
        for index in _BOOL_FIELDS:
            values[index] = bool(values[index])
        values[_SEQS_FIELD] = _decode_seqs(values[_SEQS_FIELD])
        return cls(*values)

    def params(self) -> tuple[Any, ...]:
        values: list[Any] = [getattr(self, name) for name in CONVERSATION_FIELDS]
        for index in _BOOL_FIELDS:
            values[index] = int(values[index])
        values[_SEQS_FIELD] = encode(self.mention_seqs)
        return tuple(values)

    def snapshot(self) -> tuple[Any, ...]:
        """A comparable copy, to tell whether a batch changed the row."""
        return tuple(
            tuple(v) if isinstance(v, list) else v
            for v in (getattr(self, name) for name in CONVERSATION_FIELDS)
        )

    @property
    def visible(self) -> bool:
        return self.last_seq > self.hidden_seq


CONVERSATION_FIELDS = tuple(f.name for f in dataclasses.fields(ConversationRow))
CONVERSATION_COLUMNS = ", ".join(CONVERSATION_FIELDS)
CONVERSATION_UPSERT = (
    f"INSERT OR REPLACE INTO conversations ({CONVERSATION_COLUMNS}) "
    f"VALUES ({', '.join('?' for _ in CONVERSATION_FIELDS)})"
)
_BOOL_FIELDS = tuple(
    CONVERSATION_FIELDS.index(name) for name in ("pinned", "marked_unread", "draft_dirty")
)
_SEQS_FIELD = CONVERSATION_FIELDS.index("mention_seqs")

# Conversation columns followed by the previewed message's columns.
CONVERSATION_SELECT = (
    f"SELECT {', '.join('c.' + name for name in CONVERSATION_FIELDS)}, "
    f"{', '.join('m.' + name.strip() for name in MESSAGE_COLUMNS.split(','))} "
    "FROM conversations c LEFT JOIN messages m ON m.id = c.last_id"
)
# Listed: not hidden, and showing something (a message, a draft, or a group I am in).
VISIBLE = (
    "c.last_seq > c.hidden_seq AND (c.last_id IS NOT NULL OR c.last_seq > 0 "
    "OR c.draft_text != '' OR c.conv_type = 'group')"
)
TOTAL_UNREAD = (
    "SELECT COALESCE(SUM(CASE WHEN c.unread_count > 0 THEN c.unread_count "
    "WHEN c.marked_unread THEN 1 ELSE 0 END), 0) FROM conversations c "
    f"WHERE c.remind = 'notify' AND {VISIBLE}"
)


def conversation_from_row(row: Sequence[Any]) -> Conversation:
    """``row`` is a ``CONVERSATION_SELECT`` row."""
    c = ConversationRow.from_row(row)
    rest = row[len(CONVERSATION_FIELDS) :]
    return Conversation(
        conversation_id=c.conversation_id,
        type=ConversationType(c.conv_type),
        target=c.target,
        last_seq=c.last_seq,
        last_message=message_from_row(rest) if rest[0] is not None else None,
        cleared_seq=c.cleared_seq,
        joined_seq=c.joined_seq,
        read_seq=c.read_seq,
        peer_read_seq=c.peer_read_seq,
        unread_count=c.unread_count,
        mention_seqs=tuple(c.mention_seqs),
        pinned=c.pinned,
        pin_time=c.pin_time,
        remind=RemindType(c.remind),
        hidden=not c.visible,
        marked_unread=c.marked_unread,
        draft_text=c.draft_text,
        draft_time=c.draft_time,
        group_name=c.group_name,
        member_count=c.member_count,
        activity_time=c.activity_time,
    )
