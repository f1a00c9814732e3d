"""Desktop notifications: which new messages deserve one, and bursts turned into one.

The policy (pure, ``should_notify``): only live messages, never my own, none while
notifications are off, none for the conversation open in the focused window; a muted
("silent") conversation stays quiet unless the message @mentions me (or @all); a blocked one
never notifies; group tips do not notify. "Live" means the session was connected (caught up)
when the message arrived: the catch-up after sign-in or a reconnect brings old news, which
the unread badges already show.

``NotificationsViewModel`` applies it to the session's ``messages_arrived`` and coalesces what
passes during ``coalesce_ms`` into one ``Notification`` (one message, several in one chat, or
several chats), which the tray shows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from messenger.core.models import Conversation, LocalMessage
from messenger.protocol.ids import SYSTEM_CONVERSATION_ID, ConversationType
from messenger.protocol.kinds import counts_unread, is_event
from messenger.protocol.models import RemindType
from messenger.viewmodels.settings import SettingsViewModel
from messenger.viewmodels.texts import message_text

log = logging.getLogger(__name__)

_PREVIEW_CHARS = 120
_LINES = 3  # conversations listed in a summary of several


@dataclass(frozen=True, slots=True)
class NotifyContext:
    """What the policy needs to know besides the message, taken when the message arrived."""

    my_user_id: str
    live: bool  # connected and caught up, not the catch-up after (re)connecting
    open_conversation_id: str  # open in a focused window ("" if none or not focused)
    enabled: bool  # notifications are on


def mentions_me(message: LocalMessage, my_user_id: str) -> bool:
    return message.mention_all or my_user_id in message.mentions


def should_notify(message: LocalMessage, remind: RemindType, ctx: NotifyContext) -> bool:
    if not ctx.enabled or not ctx.live:
        return False
    if message.is_self or message.sender == ctx.my_user_id:
        return False
    if not counts_unread(message.kind) or message.recalled:
        return False
    if message.conversation_id == ctx.open_conversation_id:
        return False
    if remind is RemindType.BLOCK:
        return False
    if remind is RemindType.SILENT:
        return mentions_me(message, ctx.my_user_id)
    return True


@dataclass(frozen=True, slots=True)
class Pending:
    """A message that passed the policy, with what the notification says about its chat."""

    message: LocalMessage
    title: str  # the conversation's name
    group_id: str  # "" outside groups
    mentioned: bool


@dataclass(frozen=True, slots=True)
class Notification:
    title: str
    body: str
    conversation_id: str  # the one conversation it is about, "" for several
    sound: bool


@dataclass(frozen=True, slots=True)
class Summary:
    """A burst, grouped: one conversation (``conversation_id`` set) or several."""

    conversation_id: str
    count: int
    chats: int
    latest: tuple[Pending, ...]  # the newest message of each chat, newest chat first


def summarize(items: Sequence[Pending]) -> Summary:
    latest: dict[str, Pending] = {}
    for item in items:
        latest.pop(item.message.conversation_id, None)
        latest[item.message.conversation_id] = item  # re-inserted: last = newest
    newest_first = tuple(reversed(latest.values()))
    only = newest_first[0].message.conversation_id if len(latest) == 1 else ""
    return Summary(only, len(items), len(latest), newest_first)


NameOf = Callable[[str, str], str]  # (user ID, group ID or "") → name card, nickname or ID


def _user_id(user_id: str, _group_id: str) -> str:
    return user_id


class NotificationSource(Protocol):
    """The parts of ``SessionViewModel`` the notifications use."""

    messages_arrived: Any  # Signal(str, list[LocalMessage])

    @property
    def user_id(self) -> str: ...
    @property
    def connection_state(self) -> str: ...


class ConversationLookup(Protocol):
    async def conversation(self, conversation_id: str) -> Conversation | None: ...


class NotificationsViewModel(QObject):
    notification_ready = Signal(object)  # Notification

    def __init__(
        self,
        session: NotificationSource,
        conversations: ConversationLookup,
        settings: SettingsViewModel,
        window_focused: Callable[[], bool],
        *,
        name_of: NameOf = _user_id,
        coalesce_ms: int = 700,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._name_of = name_of
        self._conversations = conversations
        self._settings = settings
        self._window_focused = window_focused
        self._pending: list[Pending] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self.flush)
        session.messages_arrived.connect(self._on_messages)

    def close(self) -> None:
        """Stop: nothing more is shown for this session."""
        try:
            self._session.messages_arrived.disconnect(self._on_messages)
        except (RuntimeError, TypeError):
            pass
        self._timer.stop()
        self._pending.clear()
        for task in self._tasks:
            task.cancel()

    def context(self) -> NotifyContext:
        """The policy's view of this moment."""
        chat = getattr(self._session, "chat", None)  # the messaging UI's chat view-model
        open_id = getattr(chat, "current_conversation_id", "") or ""
        return NotifyContext(
            my_user_id=self._session.user_id,
            live=self._session.connection_state == "connected",
            open_conversation_id=open_id if self._window_focused() else "",
            enabled=self._settings.settings.notifications,
        )

    def _on_messages(self, conversation_id: str, messages: list[LocalMessage]) -> None:
        ctx = self.context()  # now: "live" and "open" are about the moment they arrived
        if not ctx.enabled or not ctx.live:
            return
        task = asyncio.get_running_loop().create_task(
            self._consider(conversation_id, messages, ctx)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _consider(
        self, conversation_id: str, messages: list[LocalMessage], ctx: NotifyContext
    ) -> None:
        try:
            conv = await self._conversations.conversation(conversation_id)
        except Exception as exc:  # noqa: BLE001 - signed out meanwhile: nothing to show
            log.debug("no conversation for a notification: %r", exc)
            return
        remind = conv.remind if conv is not None else RemindType.NOTIFY
        title = self._title(conversation_id, conv)
        for message in messages:
            if should_notify(message, remind, ctx):
                group_id = message.target if message.conv_type == ConversationType.GROUP else ""
                mentioned = mentions_me(message, ctx.my_user_id)
                self._pending.append(Pending(message, title, group_id, mentioned))
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Show what is pending now (the coalescing timer calls it)."""
        self._timer.stop()
        items, self._pending = self._pending, []
        if items:
            self.notification_ready.emit(self.render(summarize(items)))

    # -- words -------------------------------------------------------------------------------------
    def render(self, summary: Summary) -> Notification:
        settings = self._settings.settings
        preview = settings.notification_preview
        sound = settings.notification_sound
        newest = summary.latest[0]
        if summary.chats == 1:
            if summary.count == 1:
                body = self._line(newest, preview) if preview else self.tr("New message")
            else:
                body = self.tr("{count} new messages").format(count=summary.count)
                if preview:
                    body += "\n" + self._line(newest, preview)
            return Notification(newest.title, body, summary.conversation_id, sound)
        title = self.tr("{count} new messages in {chats} chats").format(
            count=summary.count, chats=summary.chats
        )
        lines = [
            f"{item.title}: {self._line(item, preview)}" if preview else item.title
            for item in summary.latest[:_LINES]
        ]
        if summary.chats > _LINES:
            lines.append(self.tr("and {more} more").format(more=summary.chats - _LINES))
        return Notification(title, "\n".join(lines), "", sound)

    def _line(self, item: Pending, preview: bool) -> str:
        text = self.message_text(item.message, item.group_id) if preview else ""
        sender = self._name_of(item.message.sender, item.group_id)
        if item.mentioned:
            return self.tr("{sender} mentioned you: {text}").format(sender=sender, text=text)
        plain = not is_event(item.message.kind)
        return f"{sender}: {text}" if item.group_id and plain else text

    def message_text(self, message: LocalMessage, group_id: str = "") -> str:
        """One line of plain text for a message (a notification shows no markup)."""
        me = self._session.user_id
        text = message_text(message, me, lambda user: self._name_of(user, group_id))
        text = " ".join(text.split())
        return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 1] + "…"

    def _title(self, conversation_id: str, conv: Conversation | None) -> str:
        if conversation_id == SYSTEM_CONVERSATION_ID:
            return self.tr("System notifications")
        if conv is not None and conv.type == ConversationType.GROUP:
            return conv.group_name or conv.target
        if conversation_id.startswith("GROUP"):
            return conversation_id.removeprefix("GROUP")
        return self._name_of(conversation_id.removeprefix("C2C"), "")
