"""The version horizon of a node of several: live changes reach a device in version order, so
that its sync cursor (the highest version it has seen) never passes a change it has not seen.

Versions come from one counter in the database, and write batches take it in turn (the batch
locks it until it commits), so every committed batch holds a contiguous range of versions and
the ranges of all nodes tile the counter without gaps. Each node announces its batches' ranges
on the bus after their pushes. A node delivers a change of version ``v`` to its devices only
once every range up to ``v`` is known (``covered``); changes above it wait, in order.

A range that never arrives (the node that committed it died before announcing it, or the bus
lost it) would hold everything back: when nothing has moved for ``stall_seconds`` the node
gives up on it, makes its devices reconnect (their catch-up reads the database, which has the
change) and goes on from the highest version known. Waiting costs a node one bus round trip at
most when all is well.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(order=True, slots=True)
class _Held:
    version: int
    order: int
    deliver: Callable[[], object] = field(compare=False)


class VersionHorizon:
    def __init__(self, *, stall_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.covered = 0  # every version up to this one is committed and announced
        self.known = 0  # the highest version of any announced range
        self._ranges: dict[int, int] = {}  # first → last, announced but not yet contiguous
        self._held: list[_Held] = []
        self._order = itertools.count()
        self._stall = stall_seconds
        self._clock = clock
        self._since = clock()  # when ``covered`` last moved (or nothing waited)
        self.on_stall: Callable[[], None] | None = None
        self.stalls = 0

    def start_at(self, version: int) -> None:
        """Every version up to ``version`` is committed (read from the database)."""
        self._advance_to(version)

    def hold_or_run(self, version: int, deliver: Callable[[], object]) -> None:
        """Run ``deliver`` now if ``version`` is covered, else once it is."""
        if version <= self.covered:
            deliver()
            return
        if not self._held:
            self._since = self._clock()
        heapq.heappush(self._held, _Held(version, next(self._order), deliver))

    def committed(self, first: int, last: int) -> None:
        """A batch with versions ``first``–``last`` committed and its pushes were made."""
        self.known = max(self.known, last)
        if last <= self.covered:
            return
        self._ranges[first] = max(last, self._ranges.get(first, 0))
        self._advance()

    def _advance(self) -> None:
        moved = False
        while True:
            for first in [f for f in self._ranges if f <= self.covered + 1]:
                last = self._ranges.pop(first)
                if last > self.covered:
                    self.covered = last
                    moved = True
                    break
            else:
                break
        if moved:
            self._since = self._clock()
            self._release()

    def _advance_to(self, version: int) -> None:
        if version > self.covered:
            self.covered = version
            self.known = max(self.known, version)
            for first in [f for f, last in self._ranges.items() if last <= version]:
                del self._ranges[first]
            self._since = self._clock()
            self._advance()
            self._release()

    def _release(self) -> None:
        held = self._held
        while held and held[0].version <= self.covered:
            heapq.heappop(held).deliver()

    def check(self) -> None:
        """Called now and then: give up on a range that does not come."""
        if not self._held and not self._ranges:
            self._since = self._clock()
            return
        if self._clock() - self._since < self._stall:
            return
        self.stalls += 1
        log.info(
            "version horizon stuck at %d (known %d): devices reconnect and catch up",
            self.covered,
            self.known,
        )
        self._held.clear()  # (their devices catch up from the database)
        if self.on_stall is not None:
            self.on_stall()
        self._advance_to(max(self.known, max(self._ranges.values(), default=0)))
        self._since = self._clock()
