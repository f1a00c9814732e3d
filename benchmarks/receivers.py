"""Many online devices of our server, spread over worker processes, timing when a frame arrives.

The receiving side of the group and people benchmarks: thousands of sockets in one Python
process measure that process more than the server. This spreads them over ``processes`` workers
of the peers load generator (``benchmarks/peers/pool.py``: spawned processes with uvloop, driven
through a pipe) on its lean WebSocket client (``benchmarks/peers/wire.py``: bytes stamped with
``time.monotonic_ns()`` as they arrive, before any parsing; the clock is system-wide, so the main
process's stamps compare with the workers').

``await receivers.first(needle)`` arms every socket to note when a text frame containing
``needle`` (bytes, as the server encodes the JSON) first arrives, and returns the arrival times
once all have it. The main process stamps its request and subtracts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from benchmarks.peers.clients import Target, ours_open
from benchmarks.peers.pool import Control, Pool
from benchmarks.peers.workloads import OPEN_CONCURRENCY


async def receivers_job(ctl: Control, target: Target, devices: list[tuple[str, str]]) -> None:
    """``devices``: (user ID, session token). Commands: ``("first", needle, skip_users, wait_s,
    close)`` (with ``close``: close that many sockets on the next command, ``("go",)``) and
    ``("stop",)``."""
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)

    async def one(token: str) -> Any:
        async with gate:
            for attempt in range(5):  # a busy machine may miss the hello deadline: try again
                try:
                    ws = await ours_open(target, token)
                    ws.on_text = _ignore  # (nothing piles up until a command arms it)
                    return ws
                except (ConnectionError, OSError, TimeoutError, RuntimeError):
                    if attempt == 4:
                        raise
                    await asyncio.sleep(1.0)
        return None

    sockets = list(await asyncio.gather(*(one(token) for _, token in devices)))
    users = [user for user, _ in devices]
    open_now = list(range(len(sockets)))
    ctl.ready(len(sockets))
    while True:
        command = await ctl.command()
        if command[0] == "stop":
            break
        _, needle, skip, wait_s, close = command
        closing, open_now = open_now[:close], open_now[close:]
        watched = [i for i in open_now if users[i] not in skip]
        arrivals = _Arrivals(needle, len(watched))
        armed = set(watched)
        for i in open_now:
            sockets[i].on_text = arrivals.watcher(i) if i in armed else _ignore
        ctl.report("armed")
        if closing:
            await ctl.command()  # ("go",): now
            for i in closing:
                sockets[i].close()
        if watched:
            try:
                await asyncio.wait_for(arrivals.done, wait_s)
            except TimeoutError:
                pass  # the missing ones are reported as missing
        ctl.report((list(arrivals.at.values()), len(watched) - len(arrivals.at)))
    for i in open_now:
        sockets[i].close()


def _ignore(payload: bytes, now: int) -> None:
    pass


class _Arrivals:
    """When each armed socket first got a frame containing ``needle``."""

    def __init__(self, needle: bytes, expected: int) -> None:
        self.needle = needle
        self.expected = expected
        self.at: dict[int, int] = {}
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def watcher(self, i: int) -> Callable[[bytes, int], None]:
        def on_text(payload: bytes, now: int) -> None:
            if i not in self.at and self.needle in payload:
                self.at[i] = now
                if len(self.at) == self.expected and not self.done.done():
                    self.done.set_result(None)

        return on_text


class Receivers:
    """``devices`` connected from ``processes`` worker processes."""

    def __init__(
        self, target: Target, devices: list[tuple[str, str]], processes: int, open_s: float = 1800
    ) -> None:
        share = [devices[i::processes] for i in range(processes)]
        started = time.perf_counter()
        self._pool = Pool(receivers_job, [(target, part) for part in share if part])
        self.connected = sum(self._pool.ready(open_s))
        self.connect_s = time.perf_counter() - started

    async def first(
        self,
        needle: bytes,
        request: Any = None,
        skip: frozenset[str] = frozenset(),
        wait_s: float = 120,
        close: int = 0,
    ) -> tuple[list[float], int]:
        """Arm every socket for ``needle``, then ``await request()`` (or, with ``close``, close
        that many sockets of the first worker); returns each armed device's delay after that
        (ms, sorted) and how many never got it."""
        pool = self._pool
        for i in range(len(pool)):
            pool.tell_one(i, ("first", needle, skip, wait_s, close if i == 0 else 0))
        for i in range(len(pool)):
            await pool.aexpect(i, "report", 120)
        began = time.monotonic_ns()
        if close:
            pool.tell_one(0, ("go",))
        else:
            await request()
        delays: list[float] = []
        missing = 0
        for i in range(len(pool)):
            arrived, lost = await pool.aexpect(i, "report", wait_s + 60)
            delays.extend((t - began) / 1e6 for t in arrived)
            missing += lost
        return sorted(delays), missing

    def stop(self) -> None:
        self._pool.tell(("stop",))
        try:
            self._pool.finish(60)
        finally:
            self._pool.kill()
