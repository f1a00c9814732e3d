"""Search view-models: inside the open chat (Ctrl+F) and everywhere (the top search box).

``ChatSearchViewModel`` finds the open chat's messages (the cache, then the server for what it
lacks), steps through them newest to oldest and asks the chat to open at each one with the
window around it loaded. ``GlobalSearchViewModel`` finds people (friends by name, remark or ID)
and messages grouped by chat, with a kind filter; the server's search adds what this device
never downloaded. Each new query supersedes the one before (an answer that comes late is
dropped).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from messenger.core import LocalMessage
from messenger.core.search import SearchFilters
from messenger.protocol.errors import MessengerError
from messenger.protocol.fulltext import SearchKind, match_query
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.names import NamesViewModel

log = logging.getLogger(__name__)

CHAT_RESULTS = 500  # matches of one chat stepped through


class ChatSearchViewModel(QObject):
    changed = Signal()  # the results or the current one changed

    def __init__(self, client: ClientApi, chat: ChatViewModel, parent: QObject | None = None):
        super().__init__(parent)
        self._client = client
        self._chat = chat
        self.query = ""
        self.results: list[LocalMessage] = []  # newest first
        self.current = -1
        self._token = 0
        chat.current_conversation_changed.connect(lambda _cid: self.clear())

    def clear(self) -> None:
        self._token += 1
        self.query, self.results, self.current = "", [], -1
        self.changed.emit()

    async def search(self, query: str) -> None:
        """Find ``query`` in the open chat and open the chat at the newest match."""
        self._token += 1
        token = self._token
        self.query = query
        cid = self._chat.current_conversation_id
        found: list[LocalMessage] = []
        if cid and match_query(query) is not None:
            found = await self._client.search(query, conversation_id=cid, limit=CHAT_RESULTS)
            if not found:
                found = await self._from_server(query, cid)
        if token != self._token:
            return
        self.results, self.current = found, -1
        self.changed.emit()
        if found:
            await self.step(1)

    async def _from_server(self, query: str, cid: str) -> list[LocalMessage]:
        try:
            page = await self._client.search_server(
                query, SearchFilters(conversation_id=cid), limit=100
            )
        except MessengerError as exc:
            log.info("server search of %s not available: %r", cid, exc)
            return []
        return page.messages

    async def step(self, delta: int) -> None:
        """To the next older (1) or newer (-1) match, the chat opened around it."""
        if not self.results:
            return
        self.current = (self.current + delta) % len(self.results)
        self.changed.emit()
        await self._chat.jump_to_seq(self.results[self.current].seq, "center")

    @property
    def position_text(self) -> str:
        if not self.query:
            return ""
        if not self.results:
            return self.tr("No results")
        return (
            self.tr("%1 of %2")
            .replace("%1", str(self.current + 1))
            .replace("%2", str(len(self.results)))
        )


@dataclass(frozen=True, slots=True)
class PersonHit:
    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class ChatHits:
    conversation_id: str
    count: int  # messages found in this chat (of the newest ones looked at)
    messages: list[LocalMessage]  # the newest few


class GlobalSearchViewModel(QObject):
    changed = Signal()

    def __init__(
        self,
        client: ClientApi,
        names: NamesViewModel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._names = names
        self.query = ""
        self.kind: SearchKind = ""
        self.people: list[PersonHit] = []
        self.chats: list[ChatHits] = []
        self.server: list[LocalMessage] = []  # from the server (asked for explicitly)
        self.server_asked = False
        self.friends_of: Callable[[], list[str]] = list  # set by the session: whom "People" lists
        self._token = 0

    async def search(self, query: str, kind: SearchKind | None = None) -> None:
        self._token += 1
        token = self._token
        self.query = query.strip()
        if kind is not None:
            self.kind = kind
        self.server, self.server_asked = [], False
        if not self.query:
            self.people, self.chats = [], []
            self.changed.emit()
            return
        folded = self.query.casefold()
        self.people = [
            PersonHit(u, self._names.display(u))
            for u in self.friends_of()
            if folded in self._names.display(u).casefold() or folded in u.casefold()
        ][:20]
        groups = await self._client.search_conversations(
            self.query, SearchFilters(kind=self.kind), limit=30
        )
        if token != self._token:
            return
        chats = [ChatHits(g.conversation_id, g.count, list(g.messages)) for g in groups]
        self.chats = chats
        self.changed.emit()

    async def search_server(self) -> None:
        """Ask the server too (history this device never downloaded)."""
        token = self._token
        if not self.query or match_query(self.query) is None:
            return
        try:
            page = await self._client.search_server(
                self.query, SearchFilters(kind=self.kind), limit=50
            )
            found = page.messages
        except MessengerError as exc:
            log.info("server search not available: %r", exc)
            found = []
        if token != self._token:
            return
        self.server, self.server_asked = found, True
        self.changed.emit()
