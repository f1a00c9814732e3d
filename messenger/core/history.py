"""Reading a conversation's messages: from the local cache first, from the server for holes.

``seq`` is gapless per conversation, so a range of the cache with fewer messages than seqs has a
hole; only then is the server asked (``GET …/messages``), and what it answers is stored. History
starts after my cleared cursor and, in a group I joined late, after ``joined_seq``: nothing below
that is ever asked for. Offline, the cache is all there is and is returned as it is.
"""

from __future__ import annotations

import logging

from messenger.core.events import EventBus
from messenger.core.models import Conversation, LocalMessage
from messenger.core.store import Store
from messenger.core.transport.rest import RestTransport
from messenger.protocol import errors
from messenger.protocol.api import HistoryKind, HistoryQuery, ReceiptsQuery
from messenger.protocol.models import MessagePage, Receipts, RemindType

log = logging.getLogger(__name__)
NEIGHBOUR_PAGE = 10  # messages of one kind asked at a time (a few are deleted for me, seldom more)

# When the server cannot help (offline, no such conversation yet, no longer a member),
# the cache is the answer.
_CACHE_ONLY = (
    errors.NetworkError,
    errors.RequestTimeout,
    errors.NotLoggedIn,
    errors.NotFound,
    errors.PermissionDenied,
)


class MessageHistory:
    def __init__(self, store: Store, rest: RestTransport, bus: EventBus, *, page: int) -> None:
        self._store = store
        self._rest = rest
        self._bus = bus
        self._page = max(1, page)  # the server's history page limit

    async def messages(
        self, conversation_id: str, *, before_seq: int | None = None, limit: int = 50
    ) -> list[LocalMessage]:
        """Up to ``limit`` messages before ``before_seq`` (default: the latest), ascending.

        Without ``before_seq`` my messages still sending or failed follow at the end.
        """
        limit = max(1, limit)
        conversation = await self._store.conversation(conversation_id)
        stale = conversation is None or conversation.remind is RemindType.BLOCK
        if before_seq is None and stale:  # the feed does not bring these up to date
            await self._fetch(conversation_id, HistoryQuery(limit=min(limit, self._page)))
            conversation = await self._store.conversation(conversation_id)
        high = (before_seq - 1) if before_seq is not None else _last_seq(conversation)
        low = max(_first_seq(conversation), high - limit + 1)
        found = await self._cached_or_fetched(conversation_id, low, high, before=True)
        if before_seq is None:
            found += await self._store.unsent_messages(conversation_id)
        return found

    async def window(
        self, conversation_id: str, seq: int = 0, *, above: int = 0, below: int = 50
    ) -> tuple[list[LocalMessage], bool]:
        """What a chat opens with: the latest ``below`` messages (``seq`` 0), or up to ``above``
        before ``seq`` and ``below`` from it; ascending, with my unsent ones after when they
        reach the latest, which the flag says. One store read when the cache has them all."""

        def span(conversation: Conversation) -> tuple[int, int]:
            first, last = _first_seq(conversation), conversation.last_seq
            if not seq:
                return max(first, last - below + 1), last
            return max(first, seq - above), min(max(seq, first) + below - 1, last)

        conversation, stored, unsent = await self._store.conversation_with_messages(
            conversation_id, span
        )
        if conversation is not None and conversation.remind is not RemindType.BLOCK:
            low, high = span(conversation)
            if len(stored) == max(0, high - low + 1):  # no hole
                at_latest = high >= conversation.last_seq
                return _shown(stored) + (unsent if at_latest else []), at_latest
        # a hole, or a conversation the feed does not keep current: page by page
        if not seq:
            return await self.messages(conversation_id, limit=below), True
        older = await self.messages(conversation_id, before_seq=seq, limit=above)
        newer = await self.newer_messages(conversation_id, seq - 1, limit=below)
        last = _last_seq(await self._store.conversation(conversation_id))
        at_latest = not newer or newer[-1].seq >= last
        if at_latest:
            newer += await self._store.unsent_messages(conversation_id)
        return older + newer, at_latest

    async def newer_messages(
        self, conversation_id: str, after_seq: int, *, limit: int = 50
    ) -> list[LocalMessage]:
        """Up to ``limit`` messages after ``after_seq``, ascending."""
        limit = max(1, limit)
        conversation = await self._store.conversation(conversation_id)
        low = max(after_seq + 1, _first_seq(conversation))
        high = min(low + limit - 1, _last_seq(conversation))
        return await self._cached_or_fetched(conversation_id, low, high, before=False)

    async def _cached_or_fetched(
        self, conversation_id: str, low: int, high: int, *, before: bool
    ) -> list[LocalMessage]:
        if high < low:
            return []
        found = await self._store.messages_between(conversation_id, low, high)
        if len(found) == high - low + 1:
            return _shown(found)
        # A hole: fetch the whole range, one server page at a time.
        if before:
            cursor = high + 1
            while cursor > low:
                query = HistoryQuery(before_seq=cursor, limit=min(self._page, cursor - low))
                seqs = await self._fetch_seqs(conversation_id, query)
                if not seqs or min(seqs) >= cursor:
                    break
                cursor = min(seqs)
        else:
            cursor = low - 1
            while cursor < high:
                query = HistoryQuery(after_seq=cursor, limit=min(self._page, high - cursor))
                seqs = await self._fetch_seqs(conversation_id, query)
                if not seqs or max(seqs) <= cursor:
                    break
                cursor = max(seqs)
        return _shown(await self._store.messages_between(conversation_id, low, high))

    async def neighbour(
        self, conversation_id: str, seq: int, kind: HistoryKind, *, older: bool
    ) -> LocalMessage | None:
        """The nearest message of ``kind`` before (``older``) or after ``seq`` that is not
        recalled nor deleted for me. The server knows them all (``kind`` in the history query:
        it skips the other messages), and what it answers is stored; offline, the cache."""
        cursor = seq
        while True:
            query = (
                HistoryQuery(before_seq=cursor, limit=NEIGHBOUR_PAGE, kind=kind)
                if older
                else HistoryQuery(after_seq=cursor, limit=NEIGHBOUR_PAGE, kind=kind)
            )
            page = await self._fetch(conversation_id, query)
            if page is None:
                return await self._store.neighbour_of_kind(conversation_id, seq, kind, older=older)
            seqs = sorted((m.seq for m in page.messages), reverse=older)
            for found in seqs:
                for message in await self._store.messages_between(conversation_id, found, found):
                    if not message.deleted and not message.recalled:
                        return message
            if not page.has_more or not seqs:
                return None
            cursor = seqs[-1]

    async def _fetch_seqs(self, conversation_id: str, query: HistoryQuery) -> list[int]:
        page = await self._fetch(conversation_id, query)
        return [] if page is None else [m.seq for m in page.messages]

    async def fill_latest(self, conversation_id: str) -> None:
        """Fetch the newest page of a conversation whose messages the feed held back (it was
        blocked); the messages after the newest one stored are news."""
        newest = await self._store.newest_seq(conversation_id)
        await self._fetch(conversation_id, HistoryQuery(limit=self._page), news_after=newest)

    async def _fetch(
        self, conversation_id: str, query: HistoryQuery, *, news_after: int | None = None
    ) -> MessagePage | None:
        """Store a page of history; ``None`` when the server cannot give one. Fetched messages
        are old, not news (no ``MessagesAdded``), except those after ``news_after``."""
        try:
            page: MessagePage = await self._rest.call(
                "history", path={"conversation_id": conversation_id}, query=query
            )
        except _CACHE_ONLY as exc:
            log.info("history of %s from the cache only: %r", conversation_id, exc)
            return None
        delta = await self._store.put_messages(page.messages)
        for cid, added in list(delta.added.items()):
            news = [m for m in added if news_after is not None and m.seq > news_after]
            if news:
                delta.added[cid] = news
            else:
                del delta.added[cid]
        delta.publish(self._bus)
        return page

    async def first_seq_since(self, conversation_id: str, time_ms: int) -> int | None:
        """The seq of the first message at or after ``time_ms`` (jump to a date): from the cache
        when it proves it, else from the server, whose page from there on is stored; offline,
        the cache's best guess. ``None``: nothing that new."""
        cached = await self._store.first_seq_since(conversation_id, time_ms)
        if cached is not None and cached[1]:
            return cached[0]
        query = HistoryQuery(since_time=time_ms, limit=self._page)
        page = await self._fetch(conversation_id, query)
        if page is None:
            return cached[0] if cached is not None else None
        return page.messages[0].seq if page.messages else None

    async def recall(self, conversation_id: str, message_id: str) -> LocalMessage:
        path = {"conversation_id": conversation_id, "message_id": message_id}
        recalled = await self._rest.call("recall", path=path)
        (await self._store.put_messages([recalled])).publish(self._bus)
        stored = await self._store.message(message_id)
        if stored is None:
            raise errors.MessageNotFound(f"message {message_id} is not stored here")
        return stored

    async def receipts(self, conversation_id: str, seqs: list[int]) -> Receipts:
        query = ReceiptsQuery(seqs=",".join(str(s) for s in seqs))
        answer: Receipts = await self._rest.call(
            "receipts", path={"conversation_id": conversation_id}, query=query
        )
        return answer


def _shown(messages: list[LocalMessage]) -> list[LocalMessage]:
    """Without the placeholders of messages I deleted for myself (they keep their seq in the
    store, so the range does not look like a hole)."""
    return [m for m in messages if not m.deleted]


def _last_seq(conversation: Conversation | None) -> int:
    return conversation.last_seq if conversation is not None else 0


def _first_seq(conversation: Conversation | None) -> int:
    """The oldest seq that is mine to read: after what I cleared and before I joined."""
    if conversation is None:
        return 1
    return max(conversation.cleared_seq, conversation.joined_seq) + 1
