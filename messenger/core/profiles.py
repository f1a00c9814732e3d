"""Other users' public profiles (nicknames), cached in the store so names show at once.

``cached`` answers from the store only (instant, offline). ``fetch`` asks the server for the
profiles it lacks or that are older than ``max_age_ms``: every user wanted within one turn of the
event loop, by any caller, goes into one ``POST /v1/users/profiles`` request of up to 100 users
(a few such requests at a time), so a launch with 500 contacts costs 5 requests, not 500, and
stays far below the per-user request rate. A user already being fetched is not asked for again:
callers share the answer. Fresh profiles are stored and ``ProfilesChanged`` names the nicknames
that are new or changed.
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
from messenger.protocol.bounds import MAX_PROFILES_PER_REQUEST
from messenger.protocol.ids import is_valid_id
from messenger.protocol.models import Profile
from messenger.protocol.social import ProfileList, ProfilesRequest

log = logging.getLogger(__name__)

_CONCURRENCY = 4  # batch requests in flight at once


class ProfileDirectory:
    def __init__(self, store: Store, rest: RestTransport, bus: EventBus, *, clock: Clock) -> None:
        self._store = store
        self._rest = rest
        self._bus = bus
        self._clock = clock
        self._gate = asyncio.Semaphore(_CONCURRENCY)
        self._inflight: dict[str, asyncio.Future[Profile | None]] = {}
        self._queued: list[str] = []  # wanted this turn of the loop; sent together
        self._requests: set[asyncio.Task[None]] = set()

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
        futures = [self._one(user_id) for user_id in wanted]
        # A batch at a time: each is stored and announced as it comes.
        for start in range(0, len(futures), MAX_PROFILES_PER_REQUEST):
            batch = futures[start : start + MAX_PROFILES_PER_REQUEST]
            # Shielded: a caller that gives up does not cancel a request another one shares.
            answers = await asyncio.gather(*(asyncio.shield(f) for f in batch))
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
            future = asyncio.get_running_loop().create_future()
            if not is_valid_id(user_id):  # no such user; it would spoil the whole batch
                future.set_result(None)
                return future
            self._inflight[user_id] = future
            if not self._queued:
                asyncio.get_running_loop().call_soon(self._send_queued)
            self._queued.append(user_id)
        return future

    def _send_queued(self) -> None:
        queued, self._queued = self._queued, []
        for start in range(0, len(queued), MAX_PROFILES_PER_REQUEST):
            task = asyncio.create_task(self._get(queued[start : start + MAX_PROFILES_PER_REQUEST]))
            self._requests.add(task)
            task.add_done_callback(self._requests.discard)

    async def _get(self, user_ids: list[str]) -> None:
        found: dict[str, Profile] = {}
        try:
            async with self._gate:
                answer: ProfileList = await self._rest.call(
                    "get_users", body=ProfilesRequest(user_ids=user_ids)
                )
            asked = set(user_ids)
            found = {p.user_id: p for p in answer.profiles if p.user_id in asked}
        except errors.MessengerError as exc:  # offline, signed out, server trouble
            log.info("profiles of %d users not fetched: %r", len(user_ids), exc)
        finally:
            for user_id in user_ids:
                future = self._inflight.pop(user_id, None)
                if future is not None and not future.done():
                    future.set_result(found.get(user_id))

    async def aclose(self) -> None:
        requests, self._requests = list(self._requests), set()
        for task in requests:
            task.cancel()
        await asyncio.gather(*requests, return_exceptions=True)
        inflight, self._inflight, self._queued = list(self._inflight.values()), {}, []
        for future in inflight:
            future.cancel()
