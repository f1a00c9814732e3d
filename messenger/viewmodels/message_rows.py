"""One message as the chat paints it: ``MessageRow``, made from the core's ``LocalMessage``,
the message before it and the chat's context (names, read cursors, receipts)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from messenger.core.models import LocalMessage, MessageState
from messenger.protocol.bodies import MergedBody, NoticeBody, TipBody
from messenger.protocol.ids import ConversationType
from messenger.protocol.kinds import MEDIA_KINDS, counts_unread, is_event
from messenger.viewmodels.cards import card_of, merged_card_lines, previewed_senders
from messenger.viewmodels.formatting import (
    clock_time,
    separator_time,
    single_line,
    starts_time_group,
)
from messenger.viewmodels.texts import message_text
from messenger.viewmodels.thumbnails import picture_size


def _tr(text: str) -> str:
    return QCoreApplication.translate("Chat", text)


class RowStyle(enum.StrEnum):
    BUBBLE = "bubble"  # a message someone wrote
    EVENT = "event"  # a centred line: group tips, system notices, recall placeholders


def message_key(message: LocalMessage) -> str:
    """Stable across the echo → sent change: my own messages by client_msg_id."""
    return f"c:{message.client_msg_id}" if message.is_self else f"m:{message.message_id}"


@dataclass(slots=True)
class RowContext:
    """What rows depend on besides the message itself."""

    me: str
    type: ConversationType = ConversationType.C2C
    group_id: str = ""
    name_of: Callable[[str], str] = str
    now_ms: int = 0
    peer_read_seq: int = 0
    receipts: dict[int, int] = field(default_factory=dict)  # seq → read count (my group messages)
    unread_marker_key: str = ""  # the first unread message when the chat was opened
    # Texts of my messages recalled while this session watched (the server and the store drop
    # a recalled body; these make "Re-edit" possible).
    recalled_texts: dict[str, str] = field(default_factory=dict)
    recalled_mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Chip:
    """One emoji under a bubble: how many reacted with it, whether I did, and who."""

    emoji: str
    count: int
    mine: bool
    users: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity (caches)
class MessageRow:
    key: str
    message: LocalMessage
    style: RowStyle
    text: str
    mine: bool
    sender_id: str
    sender_name: str  # shown above the bubble ("" when not: mine, C2C, same sender as before)
    avatar_name: str  # whose initials the avatar shows (the sender's name, always)
    show_avatar: bool  # the first bubble of a run of others' messages
    first_in_run: bool  # not a follow-up of the same sender's previous bubble
    time_text: str
    separator: str  # a time separator above the row, or ""
    unread_marker: bool  # the "Unread messages" bar above the row
    state: MessageState
    receipt: str  # "Read" (C2C), "2 read" (groups) or ""
    receipt_clickable: bool  # groups: click for who read it
    mention_me: bool
    reply_name: str
    reply_text: str
    reedit: bool  # my recalled text can go back into the composer
    picture: tuple[int, int] | None = None  # an image bubble's reserved size
    uploading: bool = False  # my file message still sending: room for progress and cancel
    card: str = ""  # drawn as a card of a fixed size ("file"; ``cards.card_of``), not as text
    card_lines: tuple[str, ...] = ()  # a chat history card's title, preview lines and footer
    reactions: tuple[Chip, ...] = ()  # chips under the bubble, in the order first used

    def layout_key(self) -> tuple[object, ...]:
        """Everything the row's size depends on."""
        return (
            self.key,
            self.style,
            self.text,
            self.sender_name,
            self.show_avatar,
            self.first_in_run,
            self.separator,
            self.unread_marker,
            self.reply_name,
            self.reply_text,
            self.reedit,
            self.mine,
            self.state,
            self.receipt,
            self.receipt_clickable,
            self.picture,
            self.uploading,
            self.card,
            self.card_lines,
            tuple((c.emoji, c.count, c.mine) for c in self.reactions),
        )


def _style(message: LocalMessage) -> RowStyle:
    if message.recalled or is_event(message.kind):
        return RowStyle.EVENT
    return RowStyle.BUBBLE


def message_row(
    message: LocalMessage, previous: LocalMessage | None, ctx: RowContext
) -> MessageRow:
    style = _style(message)
    mine = message.is_self or message.sender == ctx.me
    separator = ""
    if starts_time_group(previous.time if previous is not None else None, message.time):
        separator = separator_time(message.time, ctx.now_ms)
    continues = (
        previous is not None
        and not separator
        and previous.sender == message.sender
        and _style(previous) is RowStyle.BUBBLE
    )
    others = style is RowStyle.BUBBLE and not mine and ctx.type != ConversationType.SYSTEM
    receipt, clickable = "", False
    if mine and style is RowStyle.BUBBLE and message.state is MessageState.SENT and message.seq:
        if ctx.type == ConversationType.C2C and message.seq <= ctx.peer_read_seq:
            receipt = _tr("Read")
        elif ctx.type == ConversationType.GROUP and message.seq in ctx.receipts:
            receipt = _tr("{count} read").format(count=ctx.receipts[message.seq])
            clickable = True
    reply = message.reply_to
    name = ctx.name_of(message.sender)
    picture = picture_size(message)
    card = card_of(message)
    content = message.content if card == "merged" else None
    card_lines = merged_card_lines(content, ctx.name_of) if isinstance(content, MergedBody) else ()
    return MessageRow(
        key=message_key(message),
        message=message,
        style=style,
        text="" if picture is not None or card else message_text(message, ctx.me, ctx.name_of),
        mine=mine,
        sender_id=message.sender,
        sender_name=name if others and ctx.type == ConversationType.GROUP and not continues else "",
        avatar_name=name,
        show_avatar=others and not continues,
        first_in_run=not continues,
        time_text=_meta_time(message),
        separator=separator,
        unread_marker=bool(ctx.unread_marker_key) and ctx.unread_marker_key == message_key(message),
        state=message.state,
        receipt=receipt,
        receipt_clickable=clickable,
        mention_me=not mine and (message.mention_all or ctx.me in message.mentions),
        reply_name=ctx.name_of(reply.sender) if reply is not None else "",
        reply_text=single_line(reply.preview, 80) if reply is not None else "",
        reedit=mine and message.recalled and bool(recalled_text(message, ctx)),
        picture=picture,
        uploading=mine and message.state is MessageState.SENDING and message.kind in MEDIA_KINDS,
        card=card,
        card_lines=card_lines,
        reactions=tuple(
            Chip(r.emoji, len(r.users), ctx.me in r.users, tuple(r.users))
            for r in message.reactions
            if r.users
        ),
    )


def _meta_time(message: LocalMessage) -> str:
    """The time in the bubble, after "forwarded" and "edited" marks when they apply."""
    marks = []
    if message.forwarded and not message.recalled:
        marks.append(_tr("forwarded"))
    if message.edit_time and not message.recalled:
        marks.append(_tr("edited"))
    return " · ".join([*marks, clock_time(message.time)])


def recalled_text(message: LocalMessage, ctx: RowContext) -> str:
    """The text of my recalled message, if this device still knows it (this session saw it
    go, or the store kept it: ``RowContext.recalled_texts``)."""
    return message.text or ctx.recalled_texts.get(message_key(message), "")


def people_in(messages: Iterable[LocalMessage]) -> list[str]:
    """Every user a row of these messages names: senders, quoted senders, tip operators and
    targets, recallers, the senders of a chat history card's preview lines."""
    found: list[str] = []
    for message in messages:
        found.append(message.sender)
        if message.reply_to is not None:
            found.append(message.reply_to.sender)
        if message.recalled_by:
            found.append(message.recalled_by)
        content = message.content
        if isinstance(content, TipBody | NoticeBody) and content.operator:
            found.append(content.operator)
        if isinstance(content, TipBody):
            found.extend(content.targets)
        if isinstance(content, MergedBody):
            found.extend(previewed_senders(content))
    return list(dict.fromkeys(found))


def counts_as_unread(message: LocalMessage) -> bool:
    return not message.is_self and not message.recalled and counts_unread(message.kind)
