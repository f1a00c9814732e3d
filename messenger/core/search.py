"""Message search: the local cache (instant, offline) and the server (history this device never
downloaded), with the same filters and the same word matching (``protocol.fulltext``)."""

from __future__ import annotations

from dataclasses import dataclass

from messenger.core.models import LocalMessage
from messenger.core.store import SearchGroup, Store
from messenger.core.store.rows import local_message
from messenger.core.transport.rest import RestTransport
from messenger.protocol.api import MessageSearchQuery
from messenger.protocol.fulltext import SearchKind
from messenger.protocol.models import SearchPage


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Narrowing of a search: one conversation, one sender, a kind, ``since`` ≤ time < ``until``
    (ms)."""

    conversation_id: str | None = None
    sender: str | None = None
    kind: SearchKind = ""
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True, slots=True)
class ServerResults:
    messages: list[LocalMessage]  # each with its conversation as I see it
    has_more: bool


class MessageSearch:
    def __init__(self, store: Store, rest: RestTransport, me: str) -> None:
        self._store = store
        self._rest = rest
        self._me = me

    async def local(
        self,
        query: str,
        filters: SearchFilters,
        *,
        by_relevance: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> list[LocalMessage]:
        return await self._store.search(
            query,
            conversation_id=filters.conversation_id,
            sender=filters.sender,
            kind=filters.kind,
            since=filters.since,
            until=filters.until,
            by_relevance=by_relevance,
            offset=offset,
            limit=limit,
        )

    async def local_conversations(
        self, query: str, filters: SearchFilters, *, limit: int = 50
    ) -> list[SearchGroup]:
        return await self._store.search_conversations(
            query,
            conversation_id=filters.conversation_id,
            sender=filters.sender,
            kind=filters.kind,
            since=filters.since,
            until=filters.until,
            limit=limit,
        )

    async def server(
        self,
        query: str,
        filters: SearchFilters,
        *,
        by_relevance: bool = False,
        offset: int = 0,
        limit: int = 20,
    ) -> ServerResults:
        """One page from the server (only conversations I may read; a conversation I may not
        read is refused with its typed error)."""
        request = MessageSearchQuery(
            q=query,
            conversation_id=filters.conversation_id or "",
            sender=filters.sender or "",
            kind=filters.kind,
            since=filters.since or 0,
            until=filters.until or 0,
            order="relevance" if by_relevance else "time",
            offset=offset,
            limit=limit,
        )
        page: SearchPage = await self._rest.call("search_messages", query=request)
        found = [local_message(h.message, h.conversation_id, self._me) for h in page.hits]
        return ServerResults(found, page.has_more)
