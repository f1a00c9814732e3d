"""Other users' public profiles (nicknames), cached in the store so names show at once.

``cached`` answers from the store only (instant, offline). ``fetch`` asks the server
(``GET /v1/users/{id}``) for the profiles it lacks or that are older than ``max_age_ms``, a few at
a time (chunk by chunk), stores them and publishes ``ProfilesChanged`` for the nicknames that are new or changed.
Two callers asking for the same user at once share one request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from messenger.core.clock import Clock
from messenger.core.events import EventBus, ProfilesChanged
from messenger.core.store import Store
from messenger.core.transport.rest import RestTransport
from messenger.protocol import errors
from messenger.protocol.models import Profile

log = logging.getLogger(__name__)

_CONCURRENCY = 4
_CHUNK = 16


class ProfileDirectory:
    def __init__(self, store: Store, rest: RestTransport, bus: EventBus, *, clock: Clock) -> None:
        self._store = store
        self._rest = rest
        self._bus = bus
        self._clock = clock
        self._gate = asyncio.Semaphore(_CONCURRENCY)
        self._inflight: dict[str, asyncio.Future[Profile | None]] = {}

    async def cached(self, user_ids: Sequence[str]) -> dict[str, Profile]:
        found = await self._store.profiles(user_ids)
        return {user_id: cached.profile for user_id, cached in found.items()}

    async def fetch(
        self, user_ids: Sequence[str], *, max_age_ms: int | None = None
    ) -> dict[str, Profile]:
        """Profiles of ``user_ids``: fresh enough ones from the store, the others from the server.

        A user the server does not know is left out; offline, the stored profiles are returned.
        """
        known = await self._store.profiles(user_ids)
        now = self._clock()
        result = {user_id: cached.profile for user_id, cached in known.items()}
        wanted = [
            user_id
            for user_id in dict.fromkeys(user_ids)
            if user_id not in known
            or max_age_ms is None
            or now - known[user_id].fetched_at > max_age_ms
        ]
        # A chunk at a time: a thousand unknown users are a thousand requests, not a thousand
        # tasks at once; each chunk is stored and announced as it comes.
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            # Shielded: a caller that gives up does not cancel a request another one shares.
            answers = await asyncio.gather(*(asyncio.shield(self._one(u)) for u in chunk))
            fresh = [profile for profile in answers if profile is not None]
            if fresh:
                changed = await self._store.put_profiles(fresh, self._clock())
                if changed:
                    self._bus.publish(ProfilesChanged(tuple(changed)))
                result.update((profile.user_id, profile) for profile in fresh)
        return result

    def _one(self, user_id: str) -> asyncio.Future[Profile | None]:
        future = self._inflight.get(user_id)
        if future is None:
            future = asyncio.ensure_future(self._get(user_id))
            self._inflight[user_id] = future
            future.add_done_callback(lambda _: self._inflight.pop(user_id, None))
        return future

    async def _get(self, user_id: str) -> Profile | None:
        async with self._gate:
            try:
                profile: Profile = await self._rest.call("get_user", path={"user_id": user_id})
            except (errors.NotFound, errors.InvalidParameter):
                return None
            except errors.MessengerError as exc:  # offline, signed out, server trouble
                log.info("profile of %s not fetched: %r", user_id, exc)
                return None
            return profile

    async def aclose(self) -> None:
        inflight, self._inflight = list(self._inflight.values()), {}
        for future in inflight:
            future.cancel()
        await asyncio.gather(*inflight, return_exceptions=True)
