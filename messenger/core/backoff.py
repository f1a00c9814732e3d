"""Exponential backoff with full jitter: each delay is uniform between 0 and a doubling cap."""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    """Delays for successive retries: uniform in ``[0, min(cap, base * 2**attempt)]``."""

    def __init__(
        self, base: float = 0.5, cap: float = 30.0, *, rng: random.Random | None = None
    ) -> None:
        if base < 0 or cap < 0:
            raise ValueError("backoff base and cap must not be negative")
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()
        self._attempt = 0

    @property
    def attempt(self) -> int:
        return self._attempt

    def ceiling(self) -> float:
        """The largest delay the next attempt may get."""
        return min(self.cap, self.base * (1 << min(self._attempt, 62)))

    def next_delay(self) -> float:
        delay = self._rng.uniform(0, self.ceiling())
        self._attempt += 1
        return delay

    def reset(self) -> None:
        self._attempt = 0


BackoffFactory = Callable[[], Backoff]
