"""``ConversationListViewModel``: the conversation list pane's state and commands.

It loads the list from the store (names from the profile cache first, so the first paint has
them), keeps ``model`` up to date from ``ConversationsChanged``, and offers the list's commands
(pin, mute, mark read / unread, hide, clear history). A command that fails reports why through
``error_occurred``; the list changes when the store does, never optimistically.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from PySide6.QtCore import QCoreApplication, QDate, QObject, QTimer, Signal

from messenger.core.events import ConversationsChanged, Event, GroupChanged
from messenger.protocol.errors import MessengerError
from messenger.protocol.models import GroupInfo, RemindType
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.conversation_list import (
    ID_ROLE,
    ConversationFilterModel,
    ConversationListModel,
)
from messenger.viewmodels.conversation_rows import people_of
from messenger.viewmodels.names import NamesViewModel

log = logging.getLogger(__name__)


class ConversationListViewModel(QObject):
    loaded = Signal()
    error_occurred = Signal(str)

    def __init__(self, client: ClientApi, names: NamesViewModel, parent: QObject | None = None):
        super().__init__(parent)
        self._client = client
        self._names = names
        self.model = ConversationListModel(names, client.user_id or "", parent=self)
        self.filtered = ConversationFilterModel(self.model, self)
        self._parent_of: dict[str, str] = {}  # topic → community (conversation IDs)
        self.is_loaded = False
        names.names_changed.connect(self.model.refresh)
        self._day = QDate.currentDate()
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(60_000)
        self._day_timer.timeout.connect(self._check_day)
        self._day_timer.start()

    async def load(self) -> None:
        conversations = await self._client.conversations()
        self.learn_groups(await self._client.stored_groups())
        await self._names.load_remarks()
        await self._names.load_cached(u for c in conversations for u in people_of(c))
        self.model.reset(conversations)
        self.is_loaded = True
        self.loaded.emit()

    def on_event(self, event: Event) -> None:
        if isinstance(event, ConversationsChanged) and self.is_loaded:
            self._names.request(u for c in event.conversations for u in people_of(c))
            self.model.apply(event.conversations)
        elif isinstance(event, GroupChanged):
            self.learn_groups([event.group], left=not event.member)

    def learn_groups(self, groups: Iterable[GroupInfo], *, left: bool = False) -> None:
        """Community topics (``GroupInfo.parent``) go under their community in the list."""
        parent_of = dict(self._parent_of)
        for group in groups:
            topic = "GROUP" + group.group_id
            if group.parent and not left:
                parent_of[topic] = "GROUP" + group.parent
            else:
                parent_of.pop(topic, None)
        if parent_of != self._parent_of:
            self._parent_of = parent_of
            self.filtered.set_topics(parent_of)

    def toggle_topics(self, community: str) -> None:
        self.filtered.toggle_topics(community)

    def set_filter(self, text: str) -> None:
        self.filtered.set_text(text)

    def neighbour(self, conversation_id: str, step: int) -> str | None:
        """The conversation ``step`` rows away in the (filtered) list, for Alt+Up / Alt+Down."""
        rows = self.filtered.rowCount()
        if rows == 0:
            return None
        source = self.model.position(conversation_id)
        here = self.filtered.mapFromSource(self.model.index(source, 0)).row() if source >= 0 else -1
        target = (0 if step > 0 else rows - 1) if here < 0 else here + step
        if not 0 <= target < rows:
            return None
        return str(self.filtered.index(target, 0).data(ID_ROLE))

    # -- commands --------------------------------------------------------------------------------
    async def pin(self, conversation_id: str, pinned: bool = True) -> None:
        await self._run(lambda: self._client.pin(conversation_id, pinned))

    async def set_remind(self, conversation_id: str, remind: RemindType) -> None:
        await self._run(lambda: self._client.set_remind(conversation_id, remind))

    async def mark_unread(self, conversation_id: str) -> None:
        await self._run(lambda: self._client.mark_unread(conversation_id, True))

    async def mark_read(self, conversation_id: str) -> None:
        conversation = self.model.conversation(conversation_id)
        if (
            conversation is not None
            and conversation.marked_unread
            and not conversation.unread_count
        ):
            await self._run(lambda: self._client.mark_unread(conversation_id, False))
        else:
            await self._run(lambda: self._client.mark_read(conversation_id))

    async def hide(self, conversation_id: str) -> None:
        await self._run(lambda: self._client.hide(conversation_id))

    async def clear_history(self, conversation_id: str) -> None:
        await self._run(lambda: self._client.clear_history(conversation_id))

    async def _run(self, action: Callable[[], Awaitable[None]]) -> None:
        try:
            await action()
        except MessengerError as exc:
            log.info("conversation action failed: %r", exc)
            self.error_occurred.emit(
                QCoreApplication.translate("Conversations", "That did not work: {reason}").format(
                    reason=exc.message
                )
            )

    def _check_day(self) -> None:
        today = QDate.currentDate()
        if today != self._day:
            self._day = today
            self.model.refresh()

    def close(self) -> None:
        self._day_timer.stop()
