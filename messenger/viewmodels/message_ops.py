"""``MessageOpsViewModel``: what can be done with the open chat's messages beyond sending:
forward (one by one or merged), edit my text, delete for me, react, pin, select several, copy
a link, re-edit a recalled text.

It belongs to the ``ChatViewModel`` (``chat.ops``) and reads its message window; the pinned
messages of the open conversation are kept here too (``pinned``, cycled by the pinned bar).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from messenger.core import LocalMessage, MessageState
from messenger.core.events import Event, PinsChanged
from messenger.protocol.bodies import MergedBody
from messenger.protocol.errors import MessengerError
from messenger.protocol.ids import ConversationType
from messenger.protocol.kinds import SENDABLE_KINDS
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.conversation_rows import conversation_name
from messenger.viewmodels.formatting import single_line
from messenger.viewmodels.message_rows import RowStyle, message_key
from messenger.viewmodels.refusals import refusal_text
from messenger.viewmodels.tasks import TaskSet
from messenger.viewmodels.texts import message_text

if TYPE_CHECKING:
    from messenger.viewmodels.chat import ChatViewModel

log = logging.getLogger(__name__)
T = TypeVar("T")

LINK_SCHEME = "messenger"
DEFAULT_RECENT = ("👍", "❤️", "😂", "😮", "😢", "🎉")
RECENT_MAX = 8
MAX_PINS_SHOWN = 10


def _tr(text: str) -> str:
    return QCoreApplication.translate("Chat", text)


def message_link(conversation_id: str, message_id: str) -> str:
    """``messenger://message/<conversation ID>/<message ID>`` (docs/protocol.md)."""
    return f"{LINK_SCHEME}://message/{conversation_id}/{message_id}"


def parse_message_link(url: str) -> tuple[str, str] | None:
    """(conversation ID, message ID) of a ``message_link``, or None for any other text."""
    prefix = f"{LINK_SCHEME}://message/"
    if not url.startswith(prefix):
        return None
    conversation_id, slash, message_id = url[len(prefix) :].rpartition("/")
    if not slash or not conversation_id or not message_id:
        return None
    return conversation_id, message_id


class MessageOpsViewModel(QObject):
    selection_changed = Signal()  # selecting started / ended, or the selected rows changed
    pins_changed = Signal()
    recent_changed = Signal()
    error_occurred = Signal(str)
    done = Signal(str)  # a short confirmation ("Forwarded", "Deleted") for a status line

    def __init__(self, client: ClientApi, chat: ChatViewModel) -> None:
        super().__init__(chat)
        self._client = client
        self._chat = chat
        self._tasks = TaskSet()
        self.selecting = False
        self._selected: list[str] = []
        self.recent: list[str] = list(DEFAULT_RECENT)
        self.pinned: list[LocalMessage] = []  # the open chat's pinned messages, oldest pin first
        self.pin_index = 0  # the one the bar shows
        self._pin_ids: list[str] = []
        self._token = 0
        chat.opened.connect(self._chat_shown)

    def follow_link(self, url: str) -> None:
        """``open_link`` in the background (from a click)."""
        self._tasks.spawn(self._follow(url))

    async def _follow(self, url: str) -> None:
        await self.open_link(url)

    async def open_link(self, url: str) -> bool:
        """Open the chat of a message link at that message (found on this device by its ID: the
        link names the chat as the one who copied it sees it, which differs in a one-to-one
        chat); a group's chat at its latest when the message is not here."""
        parsed = parse_message_link(url)
        if parsed is None:
            return False
        conversation_id, message_id = parsed
        found = await self._client.stored_message(message_id)
        if found is not None and found.seq:
            await self._chat.open(found.conversation_id, at_seq=found.seq)
            return True
        if conversation_id.startswith("GROUP"):
            await self._chat.open(conversation_id)
        self.error_occurred.emit(_tr("That message is not on this device."))
        return False

    # -- the open conversation -------------------------------------------------------------------
    def opened(self, conversation_id: str) -> None:
        """A conversation was opened (or "" for none): no selection, no pins until it is shown."""
        self._token += 1
        self.stop_selecting()
        self.pinned, self._pin_ids, self.pin_index = [], [], 0
        self.pins_changed.emit()

    def _chat_shown(self, conversation_id: str) -> None:
        """The opened chat's first window is shown: now its pins (not while it loads)."""
        if self._chat.type != ConversationType.SYSTEM:
            self._tasks.spawn(self._load_pins(self._token, conversation_id))

    def on_event(self, event: Event) -> None:
        if (
            isinstance(event, PinsChanged)
            and event.conversation_id == self._chat.current_conversation_id
        ):
            self._tasks.spawn(self._show_pins(self._token, list(event.pinned)))

    async def _load_pins(self, token: int, conversation_id: str) -> None:
        try:  # (the core asks the server only when never learnt; sync keeps them after)
            ids = await self._client.pinned_messages(conversation_id)
        except MessengerError as exc:
            log.info("pins of %s not loaded: %r", conversation_id, exc)
            return
        await self._show_pins(token, ids)

    async def _show_pins(self, token: int, ids: list[str]) -> None:
        found = []
        for message_id in ids[:MAX_PINS_SHOWN]:
            message = await self._client.stored_message(message_id)
            if message is not None and not message.recalled and not message.deleted:
                found.append(message)
        if token != self._token:
            return
        self._pin_ids = ids
        self.pinned = found
        self.pin_index = min(self.pin_index, max(0, len(found) - 1))
        self.pins_changed.emit()

    @property
    def current_pin(self) -> LocalMessage | None:
        return self.pinned[self.pin_index] if self.pinned else None

    def pin_text(self, message: LocalMessage) -> str:
        return single_line(message_text(message, self._chat.me, self._chat.display_name), 120)

    async def jump_to_pin(self) -> None:
        """Show the pinned message the bar names, and move the bar on to the next (older) one."""
        message = self.current_pin
        if message is None:
            return
        if len(self.pinned) > 1:
            self.pin_index = (self.pin_index - 1) % len(self.pinned)
            self.pins_changed.emit()
        await self._chat.jump_to_seq(message.seq, "center")

    def is_pinned(self, message: LocalMessage) -> bool:
        return bool(message.message_id) and message.message_id in self._pin_ids

    def can_pin(self) -> bool:
        """C2C: both sides; groups: the owner and admins."""
        chat = self._chat
        if chat.type == ConversationType.C2C:
            return True
        return chat.type == ConversationType.GROUP and chat.group.is_admin

    async def pin(self, key: str, pinned: bool = True) -> None:
        message = self._chat.messages.message(key)
        if message is None or not message.message_id:
            return
        cid = self._chat.current_conversation_id
        ids = await self._run(self._client.pin_message_in(cid, message.message_id, pinned))
        if isinstance(ids, list):
            if pinned:
                self.pin_index = len(ids) - 1  # the bar shows the new pin
            await self._show_pins(self._token, ids)

    # -- what a message offers -------------------------------------------------------------------
    def actions_for(self, key: str) -> list[str]:
        """The operations' part of the message menu."""
        chat = self._chat
        message = chat.messages.message(key)
        if message is None or not message.message_id or message.recalled:
            return []
        position = chat.messages.position(key)
        bubble = position >= 0 and chat.messages.row(position).style is RowStyle.BUBBLE
        actions = []
        if bubble and message.kind in SENDABLE_KINDS:
            actions.append("forward")
        actions.append("copy_link")
        if self.can_edit(message):
            actions.append("edit")
        if bubble and chat.type != ConversationType.SYSTEM:
            actions.append("react")
            if message.reactions:
                actions.append("reactions")
            if self.can_pin():
                actions.append("unpin" if self.is_pinned(message) else "pin")
        actions.append("select")
        actions.append("delete_for_me")
        return actions

    def can_edit(self, message: LocalMessage) -> bool:
        if not message.is_self or message.kind != "text" or message.recalled:
            return False
        if not message.message_id or message.state is not MessageState.SENT:
            return False
        limits = self._client.limits
        window = limits.edit_window_ms if limits is not None else 24 * 3600 * 1000
        return self._chat.clock() - message.time < window

    def link_of(self, key: str) -> str:
        message = self._chat.messages.message(key)
        if message is None or not message.message_id:
            return ""
        return message_link(self._chat.current_conversation_id, message.message_id)

    # -- selecting several -----------------------------------------------------------------------
    @property
    def selected(self) -> list[str]:
        """The selected rows' keys, in the chat's order."""
        position = self._chat.messages.position
        return sorted(self._selected, key=position)

    def start_selecting(self, key: str = "") -> None:
        self.selecting = True
        self._selected = [key] if key and self._selectable(key) else []
        self.selection_changed.emit()

    def toggle(self, key: str) -> None:
        if not self.selecting or not self._selectable(key):
            return
        if key in self._selected:
            self._selected.remove(key)
        else:
            self._selected.append(key)
        self.selection_changed.emit()

    def stop_selecting(self) -> None:
        if self.selecting or self._selected:
            self.selecting = False
            self._selected = []
            self.selection_changed.emit()

    def _selectable(self, key: str) -> bool:
        """Messages someone wrote (bubbles), not tips, notices or recall placeholders."""
        model = self._chat.messages
        position = model.position(key)
        if position < 0:
            return False
        row = model.row(position)
        return row.style is RowStyle.BUBBLE and bool(row.message.message_id)

    def _messages(self, keys: Sequence[str]) -> list[LocalMessage]:
        found = [self._chat.messages.message(k) for k in keys]
        return [m for m in found if m is not None]

    def copy_text(self, keys: Sequence[str]) -> str:
        """Several messages as text: "name, time:\\ntext" each, in the chat's order."""
        if len(keys) == 1:
            return self._chat.text_of(keys[0])
        parts = []
        for message in self._messages(sorted(keys, key=self._chat.messages.position)):
            text = message_text(message, self._chat.me, self._chat.display_name)
            parts.append(f"{self._chat.display_name(message.sender)}:\n{text}")
        return "\n\n".join(parts)

    # -- forwarding ------------------------------------------------------------------------------
    def forwardable(self, keys: Sequence[str]) -> list[LocalMessage]:
        return [
            m
            for m in self._messages(keys)
            if m.message_id and not m.recalled and not m.deleted and m.kind in SENDABLE_KINDS
        ]

    async def targets(self) -> list[tuple[str, str]]:
        """Where a forward may go: (conversation ID, name) of my chats, most recent first."""
        try:
            conversations = await self._client.conversations()
        except MessengerError as exc:
            log.info("chats not listed: %r", exc)
            return []
        conversations.sort(key=lambda c: c.activity_time, reverse=True)
        return [
            (c.conversation_id, conversation_name(c, self._chat.names))
            for c in conversations
            if c.type != ConversationType.SYSTEM
        ]

    def merged_title(self) -> str:
        chat = self._chat
        if chat.type == ConversationType.GROUP:
            return _tr("Chat history of {name}").format(name=chat.title)
        return _tr("Chat history with {name}").format(name=chat.title)

    async def forward(
        self, keys: Sequence[str], targets: Sequence[str], *, comment: str = "", merged: bool
    ) -> bool:
        messages = self.forwardable(keys)
        if not messages or not targets:
            return False
        if merged:
            work = self._client.forward_merged(
                messages, targets, title=self.merged_title(), comment=comment
            )
        else:
            work = self._client.forward(messages, targets, comment=comment)
        if await self._run(work) is None:
            return False
        self.stop_selecting()
        self.done.emit(_tr("Forwarded"))
        return True

    async def open_merged(self, key: str, bundle_id: str = "") -> list[LocalMessage] | None:
        message = self._chat.messages.message(key)
        if message is None or not isinstance(message.content, MergedBody):
            return None
        return await self._open(message, bundle_id)

    async def _open(self, card: LocalMessage, bundle_id: str) -> list[LocalMessage] | None:
        found = await self._run(self._client.open_merged(card, bundle_id))
        return found if isinstance(found, list) else None

    async def open_nested(
        self, card: LocalMessage, inner: LocalMessage
    ) -> list[LocalMessage] | None:
        """A merged forward inside one being viewed (opened through the outer card)."""
        body = inner.content
        if not isinstance(body, MergedBody):
            return None
        return await self._open(card, body.bundle_id)

    # -- edit, delete, react ---------------------------------------------------------------------
    def last_editable(self) -> LocalMessage | None:
        """My newest text message that may still be edited (Up in an empty composer)."""
        for message in reversed(self._chat.messages.messages()):
            if message.is_self and message.kind == "text" and not message.recalled:
                return message if self.can_edit(message) else None
        return None

    def edit(self, key: str) -> bool:
        message = self._chat.messages.message(key)
        if message is None or not self.can_edit(message):
            return False
        self._chat.composer.start_edit(message)
        return True

    def edit_last(self) -> bool:
        message = self.last_editable()
        if message is None:
            return False
        self._chat.composer.start_edit(message)
        return True

    async def delete_for_me(self, keys: Sequence[str]) -> None:
        ids = [m.message_id for m in self._messages(keys) if m.message_id]
        if not ids:
            return
        if (
            await self._run(self._client.delete_for_me(self._chat.current_conversation_id, ids))
            is None
        ):
            return
        self.stop_selecting()

    async def react(self, key: str, emoji: str) -> None:
        """Add my reaction, or take it back when it is already there."""
        message = self._chat.messages.message(key)
        if message is None or not message.message_id:
            return
        mine = any(r.emoji == emoji and self._chat.me in r.users for r in message.reactions)
        if not mine:
            self._used(emoji)
        await self._run(self._client.react(message, emoji, add=not mine))

    def _used(self, emoji: str) -> None:
        recent = [e for e in self.recent if e != emoji]
        self.recent = [emoji, *recent][:RECENT_MAX]
        self.recent_changed.emit()

    def reacted_by(self, key: str, emoji: str) -> list[str]:
        """Names of who reacted with ``emoji`` ("You" for me), for the chip's tooltip."""
        message = self._chat.messages.message(key)
        if message is None:
            return []
        users = next((r.users for r in message.reactions if r.emoji == emoji), [])
        me = self._chat.me
        return [_tr("You") if u == me else self._chat.display_name(u) for u in users]

    def reactions_of(self, key: str) -> list[tuple[str, list[str]]]:
        """Each emoji on the message with the names of who reacted with it, in chip order."""
        message = self._chat.messages.message(key)
        if message is None:
            return []
        return [(r.emoji, self.reacted_by(key, r.emoji)) for r in message.reactions if r.users]

    # -- re-edit ---------------------------------------------------------------------------------
    async def remember_recalled(self, messages: Sequence[LocalMessage]) -> None:
        """My recalled texts kept by this device's store: "Re-edit" works after a restart."""
        context = self._chat.messages.context
        found = False
        for message in messages:
            key = message_key(message)
            if message.recalled and message.is_self and key not in context.recalled_texts:
                draft = await self._client.recalled_draft(message.message_id)
                if draft is not None:
                    context.recalled_texts[key] = draft.text
                    context.recalled_mentions[key] = draft.mentions
                    found = True
        if found:
            self._chat.messages.refresh()

    async def _run(self, work: Awaitable[T]) -> T | None:
        try:
            return await work
        except MessengerError as exc:
            log.info("message operation failed: %r", exc)
            self.error_occurred.emit(refusal_text(exc))
            return None

    def close(self) -> None:
        self._token += 1
        self._tasks.close()
