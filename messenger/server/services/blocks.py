"""Who blocked whom, cached per owner so the send path asks without a query most of the time."""

from __future__ import annotations

from collections.abc import Callable

from messenger.server.services.lru import Lru
from messenger.server.storage.people import PeopleStorage


class BlockIndex:
    def __init__(self, storage: PeopleStorage, capacity: int = 50_000) -> None:
        self._storage = storage
        self._by_owner: Lru[str, frozenset[str]] = Lru(capacity)
        self._generation = 0
        # a block list changed here: other nodes must forget theirs (node bus)
        self.on_invalidate: Callable[[str, str], None] | None = None

    def cached(self, owner: str) -> frozenset[str] | None:
        return self._by_owner.get(owner)

    async def blocked_by(self, owner: str) -> frozenset[str]:
        """Whom ``owner`` has blocked (a load racing with a change is thrown away)."""
        found = self._by_owner.get(owner)
        while found is None:
            generation = self._generation
            loaded = await self._storage.blocked_by(owner)
            if generation == self._generation:
                self._by_owner[owner] = loaded
                found = loaded
            else:
                found = self._by_owner.get(owner)
        return found

    async def blocks(self, owner: str, target: str) -> bool:
        cached = self._by_owner.get(owner)
        if cached is None:
            cached = await self.blocked_by(owner)
        return target in cached

    def changed(self, owner: str, target: str, blocked: bool) -> None:
        """On commit of a block or an unblock."""
        self._generation += 1
        if self.on_invalidate is not None:
            self.on_invalidate("blocks", owner)
        cached = self._by_owner.get(owner)
        if cached is not None:
            self._by_owner[owner] = cached | {target} if blocked else cached - {target}

    def forget(self, owner: str) -> None:
        """Another node changed ``owner``'s block list: read it again when needed."""
        self._generation += 1
        self._by_owner.pop(owner, None)
