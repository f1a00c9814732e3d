"""``SessionViewModel``: one signed-in account, as the windows see it.

It owns the core ``Client`` of the account for as long as the account is shown, turns core
events into Qt signals on the GUI thread (qasync runs the core on the same loop), and holds the
per-account child view-models:

- ``names``: who is called what (name card → nickname → ID), from the profile cache;
- ``conversations``: the conversation list and its commands;
- ``chat``: the open conversation (message window, composer, group panel, typing line);
  ``chat.current_conversation_id`` / ``chat.current_conversation_changed(str)`` say which one;
- ``people``: friends, requests, blocks, user search, profile cards, presence, my profile.

The app (composition root) creates it after sign-in and drops it on sign-out or account switch
(``close``). Loading starts by itself when it is made on a running event loop; ``start()``
starts it otherwise and waits until the conversation list is loaded. Shell features
(connection banner, kick-out dialog, tray badge, notifications) listen to its signals; the main
window binds its panes to its children.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from messenger.core import LocalMessage
from messenger.core.events import (
    ConnectionStateChanged,
    Event,
    GroupChanged,
    KickedOut,
    MentionedByEdit,
    MessagesAdded,
    TotalUnreadChanged,
)
from messenger.protocol.errors import MessengerError
from messenger.protocol.models import GroupInfo
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.conversations import ConversationListViewModel
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.people import PeopleViewModel
from messenger.viewmodels.search import ChatSearchViewModel, GlobalSearchViewModel

if TYPE_CHECKING:  # the core's client is imported when an account is shown
    from messenger.core.client import Client

log = logging.getLogger(__name__)


class SessionViewModel(QObject):
    connection_state_changed = Signal(str)  # "connected" | "connecting" | "offline"
    kicked_out = Signal(str, str)  # reason ("other_device", "usersig_expired", …), message
    total_unread_changed = Signal(int)
    group_avatars_changed = Signal()  # ``group_avatars`` learnt of a new or changed avatar
    # new messages from others, for notifications: conversation_id, list[LocalMessage]
    messages_arrived = Signal(str, list)

    def __init__(self, client: Client, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.names = NamesViewModel(client, self)
        self.conversations = ConversationListViewModel(client, self.names, self)
        self.chat = ChatViewModel(client, self.names, self)
        self.people = PeopleViewModel(client, self.names, self)
        self.chat_search = ChatSearchViewModel(client, self.chat, self)
        self.search = GlobalSearchViewModel(client, self.names, self)
        self.search.friends_of = lambda: [f.user_id for f in self.people.friend_list]
        self.search.me = client.user_id or ""
        self.chat.status_of = self.people.status_text
        self.chat.listed = self.conversations.model.conversation
        self.chat.opened.connect(self._watch_peer)  # (once shown: not while it loads)
        self.people.presence_changed.connect(self._presence_changed)
        self.chat.group.members_loaded.connect(self._watch_members)
        self.chat.group.info_changed.connect(self._open_group_changed)
        self.group_avatars: dict[str, str] = {}  # GROUP… conversation ID → avatar ID
        self._started: asyncio.Task[None] | None = None
        self._unsubscribe = client.subscribe(self._on_event)
        with contextlib.suppress(RuntimeError):  # no running loop: start() later
            asyncio.get_running_loop()
            self._begin()

    @property
    def user_id(self) -> str:
        return self.client.user_id or ""

    @property
    def connection_state(self) -> str:
        return self.client.connection_state.value

    def _begin(self) -> asyncio.Task[None]:
        if self._started is None:
            self._started = asyncio.get_running_loop().create_task(self._load())
        return self._started

    async def _load(self) -> None:
        await self.conversations.load()
        await self.people.load()
        self.people.spawn(self._load_group_avatars())

    async def _load_group_avatars(self) -> None:
        try:
            groups = await self.client.groups()
            self._learn_group_avatars(groups)
            self.conversations.learn_groups(groups)  # (a new device's store has none yet)
        except MessengerError as exc:  # offline: the groups' changes and openings tell later
            log.info("group avatars not loaded: %r", exc)

    def _learn_group_avatars(self, groups: Iterable[GroupInfo]) -> None:
        changed = False
        for group in groups:
            key = "GROUP" + group.group_id
            if self.group_avatars.get(key, "") != group.avatar:
                self.group_avatars[key] = group.avatar
                changed = True
        if changed:
            self.group_avatars_changed.emit()

    def _open_group_changed(self) -> None:
        info = self.chat.group.info
        if info is not None and info.version:  # (not the name-only stand-in)
            self._learn_group_avatars([info])

    def _peer(self) -> str:
        cid = self.chat.current_conversation_id
        return cid[3:] if cid.startswith("C2C") else ""

    def _watch_peer(self, conversation_id: str) -> None:
        if conversation_id.startswith("C2C"):  # asked once: the answer stays live
            self.people.watch_many([conversation_id[3:]])

    def _watch_members(self) -> None:
        """The open group's members shown so far: their presence dots, kept live."""
        self.people.watch_many([m.user_id for m in self.chat.group.members.members()])

    def _presence_changed(self, user_id: str) -> None:
        if user_id == self._peer():
            self.chat.header_changed.emit()
        self.chat.group.presence_changed(user_id)

    async def start(self) -> None:
        """Load the conversation list (from the store: instant, offline too)."""
        await asyncio.shield(self._begin())

    def _on_event(self, event: Event) -> None:
        self.names.on_event(event)
        self.conversations.on_event(event)
        self.chat.on_event(event)
        self.people.on_event(event)
        if isinstance(event, ConnectionStateChanged):
            self.connection_state_changed.emit(event.state.value)
        elif isinstance(event, KickedOut):
            self.kicked_out.emit(event.reason, event.message)
        elif isinstance(event, GroupChanged):
            self._learn_group_avatars([event.group])
        elif isinstance(event, TotalUnreadChanged):
            self.total_unread_changed.emit(event.total)
        elif isinstance(event, MessagesAdded):
            incoming: list[LocalMessage] = [m for m in event.messages if not m.is_self]
            if incoming:
                self.messages_arrived.emit(event.conversation_id, incoming)
        elif isinstance(event, MentionedByEdit):  # an edit @mentions me now: told like news
            self.messages_arrived.emit(event.conversation_id, [event.message])

    def retranslate(self) -> None:
        """The language changed: the rows' texts are made again (the window calls this on its
        ``LanguageChange``; an app-wide event filter here saw every event of the app)."""
        self.conversations.model.refresh()
        self.chat.refresh()

    def close(self) -> None:
        """Stop listening (the app closes the client itself)."""
        self._unsubscribe()
        if self._started is not None and not self._started.done():
            self._started.cancel()
        self.chat.close()
        self.people.close()
        self.conversations.close()
        self.names.close()
