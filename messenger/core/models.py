"""Client-side value types: messages as the local store keeps them, conversations as the list
shows them, and the connection state."""

from __future__ import annotations

import enum
from typing import Any

import msgspec

from messenger.protocol.bodies import Body, TextBody
from messenger.protocol.ids import ConversationType
from messenger.protocol.kinds import decode_body
from messenger.protocol.models import (
    ConversationState,
    ErrorBody,
    Message,
    Reaction,
    RemindType,
    ReplyRef,
)


class MessageState(enum.StrEnum):
    SENDING = "sending"  # in the outbox, not acknowledged yet
    SENT = "sent"  # stored by the server (has message_id and seq)
    FAILED = "failed"  # refused for good; ``resend`` puts it back in the outbox


class ConnectionState(enum.StrEnum):
    CONNECTED = "connected"  # caught up, live changes flowing
    CONNECTING = "connecting"  # opening the socket or catching up
    OFFLINE = "offline"  # waiting for the next attempt, signed out or kicked


class LocalMessage(msgspec.Struct, frozen=True, kw_only=True):
    """A message as this device knows it: the server's fields plus local delivery state.

    While the message is being sent ``message_id`` is ``""`` and ``seq`` is 0.
    """

    conversation_id: str  # from the viewer's side (``C2Cbob`` for Alice)
    message_id: str
    conv_type: str
    target: str
    sender: str
    seq: int
    client_msg_id: str
    time: int
    kind: str
    body: dict[str, Any] = {}
    mentions: tuple[str, ...] = ()
    mention_all: bool = False
    reply_to: ReplyRef | None = None
    recalled: bool = False
    recalled_by: str | None = None
    recall_time: int | None = None
    version: int = 0
    state: MessageState = MessageState.SENT
    error: ErrorBody | None = None
    is_self: bool = False
    edit_time: int = 0  # when the text was last edited (0: never)
    reactions: tuple[Reaction, ...] = ()
    forwarded: bool = False
    deleted: bool = False  # deleted for me: kept as a placeholder, never shown
    via: str = ""  # inside a merged forward: the card's message ID (its files come through it)

    @property
    def content(self) -> Body | None:
        """The typed body, or None for a kind this version does not know (or a broken body)."""
        return decode_body(self.kind, self.body)

    @property
    def text(self) -> str:
        """The text of a text message, else ``""``."""
        content = self.content
        return content.text if isinstance(content, TextBody) else ""


class Conversation(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the conversation list, from this user's point of view."""

    conversation_id: str
    type: ConversationType
    target: str  # peer user ID or group ID ("" for the system conversation)
    last_seq: int = 0
    last_message: LocalMessage | None = None
    cleared_seq: int = 0  # my history up to here was cleared
    joined_seq: int = 0  # groups: I see the messages after it (joined late)
    read_seq: int = 0
    peer_read_seq: int = 0  # C2C: how far the peer has read
    unread_count: int = 0
    mention_seqs: tuple[int, ...] = ()  # unread messages that @mention me or @all
    pinned: bool = False
    pin_time: int = 0
    remind: RemindType = RemindType.NOTIFY
    hidden: bool = False
    marked_unread: bool = False
    draft_text: str = ""
    draft_time: int = 0
    group_name: str = ""
    member_count: int = 0
    activity_time: int = 0  # time of the last message (or of the group's creation)

    @property
    def mention(self) -> bool:
        """An unread message @mentions me or @all."""
        return bool(self.mention_seqs)

    @property
    def badge(self) -> int:
        """What the unread badge shows: the count, or 1 for a conversation marked unread."""
        if self.unread_count:
            return self.unread_count
        return 1 if self.marked_unread else 0


class Accepted(msgspec.Struct, frozen=True):
    """The server's answer to my send: its copy of the message and, when sending read messages
    that were unread (the server moves my read cursor to my message), my new state of the
    conversation."""

    message: Message
    my_state: ConversationState | None = None
