"""Token buckets for message rates: per sender, and per group by priority.

A refused message gets ``RateLimited`` with the wait in ``retry_after_ms``; nothing is dropped
silently. High-priority group messages have their own bucket (twice the rate); low and lowest
ones may only use the shared group budget while more than half (low) or three quarters (lowest)
of it is left, so under pressure they give way first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from messenger.protocol.errors import RateLimited
from messenger.protocol.models import Priority
from messenger.server.bus.base import NodeBus

_RESERVE = {Priority.NORMAL: 0.0, Priority.LOW: 0.5, Priority.LOWEST: 0.75}
_MAX_BUCKETS = 100_000


class TokenBucket:
    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = now

    def wait(self, now: float) -> float:
        """The seconds until a take would be allowed (0: now), nothing taken."""
        tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, now: float, reserve: float = 0.0) -> float:
        """Take one token; returns 0 on success, else the seconds to wait."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        floor = reserve * self.capacity
        if self.tokens - 1 >= floor:
            self.tokens -= 1
            return 0.0
        return (floor + 1 - self.tokens) / self.rate


class RateLimiter:
    def __init__(
        self,
        *,
        user_rate: float,
        user_burst: int,
        group_rate: float,
        group_burst: int,
        clock: Callable[[], float] = time.monotonic,
        shared: NodeBus | None = None,
    ) -> None:
        self.shared = shared  # several nodes: the buckets live on the bus (Redis)
        self._user = (user_rate, float(user_burst))
        self._group = (group_rate, float(group_burst))
        self._clock = clock
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def _bucket(
        self, key: tuple[str, str], rate: float, capacity: float, now: float
    ) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                self._buckets.clear()  # full buckets are the default anyway
            bucket = self._buckets[key] = TokenBucket(rate, capacity, now)
        return bucket

    def check_sender(self, user_id: str) -> None:
        now = self._clock()
        wait = self._bucket(("u", user_id), *self._user, now).take(now)
        if wait:
            raise RateLimited(
                "you are sending too fast", retry_after_ms=max(1, int(wait * 1000)), scope="sender"
            )

    def check_group(self, group_id: str, priority: Priority) -> None:
        now = self._clock()
        rate, capacity = self._group
        if priority is Priority.HIGH:
            wait = self._bucket(("gh", group_id), rate * 2, capacity * 2, now).take(now)
        else:
            wait = self._bucket(("g", group_id), rate, capacity, now).take(now, _RESERVE[priority])
        if wait:
            raise RateLimited(
                "this group is receiving too many messages",
                retry_after_ms=max(1, int(wait * 1000)),
                scope="group",
            )

    async def check_shared(self, sender: str, group_id: str | None, priority: Priority) -> None:
        """The same limits, counted by every node together (``shared``); where the bus cannot
        answer, this node's own buckets decide."""
        assert self.shared is not None
        rate, burst = self._user
        wait = await self.shared.take("u:" + sender, rate, burst)
        if wait is None:
            self.check_sender(sender)
        elif wait:
            raise RateLimited(
                "you are sending too fast", retry_after_ms=max(1, int(wait * 1000)), scope="sender"
            )
        if group_id is None:
            return
        rate, burst = self._group
        if priority is Priority.HIGH:
            key, rate, burst = "gh:" + group_id, rate * 2, burst * 2
        else:
            key, burst = "g:" + group_id, max(1.0, burst * (1 - _RESERVE[priority]))
        wait = await self.shared.take(key, rate, burst)
        if wait is None:
            self.check_group(group_id, priority)
        elif wait:
            raise RateLimited(
                "this group is receiving too many messages",
                retry_after_ms=max(1, int(wait * 1000)),
                scope="group",
            )
