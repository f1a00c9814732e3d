"""The workloads, the same for every peer: C2C pairs under an offered load, group fan-out, idle
connections. Jobs named ``*_job`` run in the generator's worker processes; the functions without
the suffix run in the main process and spread the work over ``processes`` workers.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.peers import clients
from benchmarks.peers.clients import Cred, Target
from benchmarks.peers.pool import Control, Pool, cpu_now
from benchmarks.peers.stats import (
    FanoutResult,
    LoadPoint,
    Tally,
    cpu_seconds,
    parse_stamp,
    rss_bytes,
)

OPEN_CONCURRENCY = 200  # sockets a worker opens at once


@dataclass(frozen=True)
class Pair:
    sender: Cred
    receiver: Cred


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` (every thread)."""
    return cpu_seconds(Path(f"/proc/{pid}/stat").read_text())


async def _gather_limited(factories: list[Callable[[], Any]], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(make: Callable[[], Any]) -> Any:
        async with gate:
            return await make()

    return list(await asyncio.gather(*(one(f) for f in factories)))


# -- C2C ------------------------------------------------------------------------------------------------
async def c2c_job(
    ctl: Control,
    target: Target,
    pairs: list[Pair],
    per_pair: int,
    rate_per_pair: float,
    window: int,
    phases: list[float],
    duration: float,
    drain_s: float,
) -> Tally:
    """Each pair's sender sends ``per_pair`` stamped texts (at ``rate_per_pair`` each, 0 = as fast
    as ``window`` allows; for at most ``duration`` s if set); the receivers record latencies."""
    tally = Tally()
    opened_ns = time.monotonic_ns()
    all_in = asyncio.Event()  # set once every acknowledged message has arrived
    want = [-1]  # how many: known once the senders are done

    def on_message(text: str, now: int) -> None:
        stamp = parse_stamp(text)
        if stamp is not None and stamp >= opened_ns:  # (not a message of an earlier run)
            tally.received_at(stamp, now)
            if tally.received == want[0]:
                all_in.set()

    receivers = await _gather_limited(
        [lambda p=p: clients.receiver(target, p.receiver, on_message) for p in pairs],
        OPEN_CONCURRENCY,
    )
    senders = await _gather_limited(
        [lambda p=p: clients.sender(target, p.sender, window) for p in pairs], OPEN_CONCURRENCY
    )
    ctl.ready(len(pairs))
    start_at = await ctl.command()  # a time.time() shared by every worker
    cpu0 = cpu_now()
    interval = 1.0 / rate_per_pair if rate_per_pair > 0 else 0.0

    async def run(sender: Any, phase: float) -> None:
        delay = start_at - time.time() + interval * phase
        if delay > 0:
            await asyncio.sleep(delay)
        t0 = time.monotonic()
        end = t0 + duration if duration else float("inf")
        for i in range(per_pair):
            if interval:
                wait = t0 + i * interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            if time.monotonic() >= end:
                break
            now = await sender.send_stamped("c2c")
            tally.sent_at(now)

    await asyncio.gather(*(run(s, ph) for s, ph in zip(senders, phases, strict=True)))
    for s in senders:
        try:
            await s.drain(drain_s)
        except TimeoutError:
            pass
    tally.acked = sum(s.acked for s in senders)
    tally.errors = sum(s.errors for s in senders)
    want[0] = tally.acked
    if tally.received >= tally.acked:
        all_in.set()
    try:
        await asyncio.wait_for(all_in.wait(), drain_s)
    except TimeoutError:
        pass  # some never arrived: they count as lost
    tally.cpu_seconds = cpu_now() - cpu0
    for x in (*senders, *receivers):
        x.close()
    await asyncio.sleep(0.05)
    return tally


def c2c(
    peer: str,
    target: Target,
    server_pids: list[int],
    pairs: list[Pair],
    *,
    processes: int,
    offered: float,
    seconds: float,
    window: int,
    per_pair: int = 0,
    drain_s: float = 60.0,
) -> LoadPoint:
    """One C2C run. ``offered`` msg/s in total spread evenly over the pairs' schedules (0: as fast
    as the window allows, for ``seconds`` or ``per_pair`` messages per pair)."""
    n = len(pairs)
    if offered > 0:
        rate_per_pair = offered / n
        per_pair = max(1, round(offered * seconds / n))
        duration = 0.0
    else:
        rate_per_pair = 0.0
        per_pair = per_pair or 10**9
        duration = seconds
    chunks = [list(range(k, n, processes)) for k in range(processes)]
    chunks = [c for c in chunks if c]
    args = [
        (
            target,
            [pairs[j] for j in chunk],
            per_pair,
            rate_per_pair,
            window,
            [j / n for j in chunk],  # pair j starts j/n of an interval late: a uniform load
            duration,
            drain_s,
        )
        for chunk in chunks
    ]
    pool = Pool(c2c_job, args)
    try:
        pool.ready()
        cpu0 = sum(process_cpu(p) for p in server_pids)
        started = time.monotonic()
        pool.tell(time.time() + 0.5)
        tallies = pool.finish(timeout=max(600.0, seconds * 4 + drain_s))
        wall = time.monotonic() - started - 0.5
        server_cpu = sum(process_cpu(p) for p in server_pids) - cpu0
    finally:
        pool.kill()
    return LoadPoint.of(peer, offered, Tally.merge(tallies), wall, server_cpu)


# -- group fan-out --------------------------------------------------------------------------------------
async def members_job(ctl: Control, target: Target, members: list[Cred]) -> dict[int, list[int]]:
    """Hold ``members`` online; record when each group message ``"<ns> fan <k>"`` reaches each."""
    arrivals: dict[int, list[int]] = {}
    want = len(members)

    def on_message(text: str, now: int) -> None:
        parts = text.split(" ")
        if len(parts) == 3 and parts[1] == "fan":
            k = int(parts[2])
            got = arrivals.setdefault(k, [])
            got.append(now)
            if len(got) == want:
                ctl.report(k)

    opened: list[Any] = []
    failed = 0

    async def open_one(cred: Cred) -> None:
        nonlocal failed
        try:
            opened.append(await clients.receiver(target, cred, on_message))
        except (OSError, RuntimeError, TimeoutError):
            failed += 1

    await _gather_limited([lambda c=c: open_one(c) for c in members], OPEN_CONCURRENCY)
    ctl.ready({"opened": len(opened), "failed": failed})
    await ctl.command()  # "done"
    for r in opened:
        r.close()
    await asyncio.sleep(0.1)
    return arrivals


class Members:
    """Members of a group (or idle devices) held online by ``processes`` workers."""

    def __init__(self, target: Target, members: list[Cred], processes: int) -> None:
        chunks = [members[k::processes] for k in range(processes)]
        self.pool = Pool(members_job, [(target, c) for c in chunks if c])
        self.sizes = [len(c) for c in chunks if c]
        self.opened = 0
        self.failed = 0

    def wait_open(self, timeout: float = 1200) -> None:
        for info in self.pool.ready(timeout):
            self.opened += info["opened"]
            self.failed += info["failed"]

    async def wait_message(self, k: int, wait_s: float) -> bool:
        """True when every worker says all its members have message ``k``."""
        deadline = time.monotonic() + wait_s
        try:
            for i in range(len(self.pool)):
                left = max(0.1, deadline - time.monotonic())
                while True:
                    got = await self.pool.aexpect(i, "report", left)
                    if got == k:
                        break
        except TimeoutError:
            return False
        return True

    def finish(self) -> list[int]:
        """Close everything; every arrival time per message."""
        self.pool.tell("done")
        merged: dict[int, list[int]] = {}
        for part in self.pool.finish():
            for k, stamps in part.items():
                merged.setdefault(k, []).extend(stamps)
        self.pool.kill()
        self.arrivals = merged
        return [len(v) for v in merged.values()]


async def send_group_messages(
    target: Target,
    sender_cred: Cred,
    members: Members,
    messages: int,
    wait_s: float,
    pause: float = 0.2,
) -> list[int]:
    """Send ``messages`` group messages one after the other, each once the last has reached
    everyone (or ``wait_s`` passed); their send stamps."""
    sender = await clients.sender(target, sender_cred, 1)
    stamps = []
    try:
        for k in range(messages):
            await asyncio.sleep(pause)
            stamps.append(await sender.send_stamped(f"fan {k}"))
            if not await members.wait_message(k, wait_s):
                # someone did not get it in time: let the stragglers come, then go on
                await asyncio.sleep(1)
        await sender.drain(wait_s)
    finally:
        sender.close()
    return stamps


def fanout(
    peer: str,
    target: Target,
    sender: Cred,
    members: list[Cred],
    group_size: int,
    *,
    processes: int,
    messages: int,
    timeout: float = 60,
    held: Members | None = None,
    server_pid: int | None = None,
) -> FanoutResult:
    """Group messages from ``sender`` to ``members`` (all online): time until the median member
    and until every member had each message."""
    own = held is None
    online = held or Members(target, members, processes)
    try:
        if own:
            online.wait_open()
        result = FanoutResult(peer, group_size, online.opened)
        if server_pid is not None:
            result.server_rss = rss_bytes(Path(f"/proc/{server_pid}/status").read_text())
        if online.failed:
            result.note = f"{online.failed} members could not connect"
        stamps = asyncio.run(send_group_messages(target, sender, online, messages, timeout))
        online.finish()
    finally:
        online.pool.kill()
    for k, sent in enumerate(stamps):
        result.add(sent, online.arrivals.get(k, []))
    return result


# -- a message still arrives -----------------------------------------------------------------------------
async def probe_c2c(target: Target, pair: Pair, messages: int = 20) -> list[float]:
    """Send ``messages`` C2C messages one by one; their send-to-receive latencies in ms."""
    got: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    receiver = await clients.receiver(target, pair.receiver, lambda t, n: got.put_nowait((t, n)))
    sender = await clients.sender(target, pair.sender, 1)
    latencies = []
    try:
        for _ in range(messages):
            sent = await sender.send_stamped("probe")
            _, arrived = await asyncio.wait_for(got.get(), 30)
            latencies.append((arrived - sent) / 1e6)
            await asyncio.sleep(0.02)
    finally:
        sender.close()
        receiver.close()
    return latencies


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
