"""Search view-models: inside the open chat (Ctrl+F) and everywhere (the top search box).

``ChatSearchViewModel`` finds the open chat's messages (the cache, then the server for what it
lacks), steps through them newest to oldest and asks the chat to open at each one with the
window around it loaded. ``GlobalSearchViewModel`` finds people (friends by name, remark or ID,
then other users by the server's people search) and messages grouped by chat, filtered by
chat, sender, kind and time (today, the past week, month or year, or days picked); the server's search adds
what this device never downloaded, with the same filters. Each new query supersedes the one
before (an answer that comes late is dropped); the top box asks the cache one query at a time,
and a query superseded while it waits for its turn is never asked (typing fast, only the newest
keystroke's query runs next).
"""

from __future__ import annotations

import asyncio
import logging
import time
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
PEOPLE_PAUSE = 0.3  # s without a keystroke before the server's people search is asked
DAY_MS = 24 * 3600 * 1000
PERIODS: dict[str, int] = {  # the time filter: how far back from now ("" = any time)
    "": 0,
    "day": DAY_MS,
    "week": 7 * DAY_MS,
    "month": 30 * DAY_MS,
    "year": 365 * DAY_MS,
    "range": 0,  # from ``range_since`` to ``range_until`` (days the user picked)
}
PEOPLE = 20  # people listed (friends first)


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
    friend: bool = True  # else found by the server's people search (their card opens)


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
        self.conversation_id = ""  # "" = every chat
        self.from_user = ""  # "" = anyone
        self.period = ""  # a key of PERIODS
        self.range_since = 0  # with period "range": since ≤ time < until (ms; 0 = open)
        self.range_until = 0
        self.people: list[PersonHit] = []
        self.chats: list[ChatHits] = []
        self.server: list[LocalMessage] = []  # from the server (asked for explicitly)
        self.server_asked = False
        self.friends_of: Callable[[], list[str]] = list  # set by the session: whom "People" lists
        self.me = ""  # set by the session: not listed among people
        self.clock: Callable[[], int] = lambda: int(time.time() * 1000)
        self._token = 0
        self._asking = asyncio.Lock()  # one cache search at a time

    @property
    def filters(self) -> SearchFilters:
        back = PERIODS.get(self.period, 0)
        since = self.clock() - back if back else None
        until = None
        if self.period == "range":
            since, until = self.range_since or None, self.range_until or None
        return SearchFilters(
            conversation_id=self.conversation_id or None,
            sender=self.from_user or None,
            kind=self.kind,
            since=since,
            until=until,
        )

    @property
    def filtered(self) -> bool:
        """Whether a filter narrows the messages (then people are not listed)."""
        return bool(self.conversation_id or self.from_user or self.kind or self.period)

    def senders(self) -> list[str]:
        """Whom the sender filter offers: me, then who sent the messages found, then friends."""
        found = [self.me] if self.me else []
        for chat in self.chats:
            found += [m.sender for m in chat.messages]
        found += [m.sender for m in self.server]
        if self.from_user:
            found.append(self.from_user)
        found += self.friends_of()
        return list(dict.fromkeys(u for u in found if u))

    async def set_filters(
        self,
        *,
        conversation_id: str | None = None,
        sender: str | None = None,
        kind: SearchKind | None = None,
        period: str | None = None,
        days: tuple[int, int] | None = None,
    ) -> None:
        """Narrow (or widen) the search and search again (``days``: the range's since and
        until, in ms, for the period "range")."""
        if conversation_id is not None:
            self.conversation_id = conversation_id
        if sender is not None:
            self.from_user = sender
        if kind is not None:
            self.kind = kind
        if period is not None and period in PERIODS:
            self.period = period
        if days is not None:
            self.range_since, self.range_until = days
        await self.search(self.query)

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
        friends = [
            PersonHit(u, self._names.display(u))
            for u in self.friends_of()
            if folded in self._names.display(u).casefold() or folded in u.casefold()
        ][:PEOPLE]
        self.people = [] if self.filtered else friends
        async with self._asking:
            if token != self._token:
                return  # superseded while the one before ran
            groups = await self._client.search_conversations(self.query, self.filters, limit=30)
        if token != self._token:
            return
        self.chats = [ChatHits(g.conversation_id, g.count, list(g.messages)) for g in groups]
        self.changed.emit()
        if not self.filtered and len(friends) < PEOPLE:
            await self._more_people(token, friends)

    async def _more_people(self, token: int, friends: list[PersonHit]) -> None:
        """Other users the server's people search finds, after the friends; asked once typing
        pauses (at each keystroke, its answers took the main thread's time from the next one)."""
        await asyncio.sleep(PEOPLE_PAUSE)
        if token != self._token:
            return
        try:
            page = await self._client.search_users(self.query, limit=PEOPLE)
        except MessengerError as exc:
            log.info("people search not available: %r", exc)
            return
        if token != self._token:
            return
        known = {p.user_id for p in friends} | {self.me}
        others = [
            PersonHit(u.user_id, u.nickname or u.user_id, friend=False)
            for u in page.users
            if u.user_id not in known
        ]
        if others:
            self.people = (friends + others)[:PEOPLE]
            self.changed.emit()

    async def search_server(self) -> None:
        """Ask the server too (history this device never downloaded), with the same filters."""
        token = self._token
        if not self.query or match_query(self.query) is None:
            return
        try:
            page = await self._client.search_server(self.query, self.filters, limit=50)
            found = page.messages
        except MessengerError as exc:
            log.info("server search not available: %r", exc)
            found = []
        if token != self._token:
            return
        self.server, self.server_asked = found, True
        self.changed.emit()
