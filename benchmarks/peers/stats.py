"""The measuring logic, free of I/O: what the workers record and how the figures come out of it.

Unit-tested (``tests/unit/benchmarks``), because a benchmark whose arithmetic is wrong is worse
than none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def percentile(values: list[float], p: float) -> float:
    """The ``p``-quantile (0–1) by the nearest-rank method; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def parse_stamp(text: str) -> int | None:
    """The send stamp a generator put at the start of a message text (``"<ns> …"``)."""
    head = text.split(" ", 1)[0]
    return int(head) if head.isdigit() else None


@dataclass
class Tally:
    """What one worker saw of a C2C run (latencies in microseconds)."""

    sent: int = 0
    acked: int = 0
    received: int = 0
    errors: int = 0
    latencies_us: list[int] = field(default_factory=list)
    first_send_ns: int = 0
    last_send_ns: int = 0
    first_receive_ns: int = 0
    last_receive_ns: int = 0
    cpu_seconds: float = 0.0

    def sent_at(self, now_ns: int) -> None:
        self.sent += 1
        if not self.first_send_ns:
            self.first_send_ns = now_ns
        self.last_send_ns = now_ns

    def received_at(self, sent_ns: int, now_ns: int) -> None:
        self.received += 1
        self.latencies_us.append((now_ns - sent_ns) // 1000)
        if not self.first_receive_ns or now_ns < self.first_receive_ns:
            self.first_receive_ns = now_ns
        if now_ns > self.last_receive_ns:
            self.last_receive_ns = now_ns

    @staticmethod
    def merge(parts: list[Tally]) -> Tally:
        total = Tally()
        for t in parts:
            total.sent += t.sent
            total.acked += t.acked
            total.received += t.received
            total.errors += t.errors
            total.latencies_us.extend(t.latencies_us)
            total.cpu_seconds += t.cpu_seconds
            if t.first_send_ns and (
                not total.first_send_ns or t.first_send_ns < total.first_send_ns
            ):
                total.first_send_ns = t.first_send_ns
            total.last_send_ns = max(total.last_send_ns, t.last_send_ns)
            if t.first_receive_ns and (
                not total.first_receive_ns or t.first_receive_ns < total.first_receive_ns
            ):
                total.first_receive_ns = t.first_receive_ns
            total.last_receive_ns = max(total.last_receive_ns, t.last_receive_ns)
        return total


@dataclass
class LoadPoint:
    """One C2C run: offered load (0 = as fast as the window allows) and what came out."""

    peer: str
    offered: float
    sent: int
    received: int
    errors: int
    seconds: float  # first send → last receive
    send_seconds: float  # first send → last send
    receive_seconds: float  # first receive → last receive
    p50_ms: float
    p99_ms: float
    max_ms: float
    server_cpu: float  # cores used by the server process(es) on average
    generator_cpu: float  # cores used by the generator's processes on average
    server_cpu_seconds: float = 0.0  # CPU time the server used for the whole run

    @property
    def server_us_per_message(self) -> float:
        """Server CPU time per message delivered (robust to a noisy machine, unlike rates)."""
        return self.server_cpu_seconds / self.received * 1e6 if self.received else math.nan

    @property
    def throughput(self) -> float:
        """Messages delivered per second, end to end."""
        return self.received / self.seconds if self.seconds > 0 else 0.0

    @property
    def delivery_rate(self) -> float:
        """Messages received per second while they were arriving (latency does not dilute it)."""
        return self.received / self.receive_seconds if self.receive_seconds > 0 else 0.0

    @property
    def send_rate(self) -> float:
        """Messages sent per second (what the generator managed to offer)."""
        return self.sent / self.send_seconds if self.send_seconds > 0 else 0.0

    def saturated(self) -> bool:
        """The peer did not keep up with the offered load: it lost messages, held the senders
        back (their window filled up), or delivered them slower than they were sent."""
        return saturated(self.offered, self.sent, self.received, self.send_rate, self.delivery_rate)

    @staticmethod
    def of(
        peer: str, offered: float, tally: Tally, wall_seconds: float, server_cpu_s: float
    ) -> LoadPoint:
        lat = [v / 1000 for v in tally.latencies_us]
        seconds = (tally.last_receive_ns - tally.first_send_ns) / 1e9 if tally.received else 0.0
        send_seconds = (tally.last_send_ns - tally.first_send_ns) / 1e9 if tally.sent > 1 else 0.0
        receive_seconds = (
            (tally.last_receive_ns - tally.first_receive_ns) / 1e9 if tally.received > 1 else 0.0
        )
        return LoadPoint(
            peer=peer,
            offered=offered,
            sent=tally.sent,
            received=tally.received,
            errors=tally.errors,
            seconds=seconds,
            send_seconds=send_seconds,
            receive_seconds=receive_seconds,
            p50_ms=percentile(lat, 0.50),
            p99_ms=percentile(lat, 0.99),
            max_ms=max(lat) if lat else math.nan,
            server_cpu=server_cpu_s / wall_seconds if wall_seconds > 0 else 0.0,
            generator_cpu=tally.cpu_seconds / wall_seconds if wall_seconds > 0 else 0.0,
            server_cpu_seconds=server_cpu_s,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "throughput": self.throughput,
            "send_rate": self.send_rate,
            "delivery_rate": self.delivery_rate,
            "server_us_per_message": self.server_us_per_message,
            "saturated": self.saturated(),
        }


def saturated(
    offered: float, sent: int, received: int, send_rate: float, delivery_rate: float
) -> bool:
    """Whether a run at ``offered`` msg/s (0: closed loop, always saturated) kept up."""
    if offered <= 0 or received < sent:
        return True
    return send_rate < 0.9 * offered or delivery_rate < 0.9 * offered


@dataclass
class FanoutResult:
    """Group messages to ``members`` online members: per message, how long until the median and
    until the last member had it (ms), and how many members got it."""

    peer: str
    members: int
    online: int
    to_half_ms: list[float] = field(default_factory=list)
    to_all_ms: list[float] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    note: str = ""
    server_rss: int = 0  # the server's resident memory with every member connected (bytes)

    def add(self, sent_ns: int, arrivals_ns: list[int]) -> None:
        """One message sent at ``sent_ns`` that arrived at ``arrivals_ns`` (one per member)."""
        self.delivered.append(len(arrivals_ns))
        if len(arrivals_ns) < self.online or not arrivals_ns:
            self.to_all_ms.append(math.inf)  # someone never got it
        else:
            self.to_all_ms.append((max(arrivals_ns) - sent_ns) / 1e6)
        half = [a - sent_ns for a in arrivals_ns]
        self.to_half_ms.append(percentile(half, 0.5) / 1e6 if half else math.inf)

    @property
    def complete(self) -> bool:
        return bool(self.to_all_ms) and all(n >= self.online for n in self.delivered)

    @property
    def p50_all_ms(self) -> float:
        """The median, over the messages, of the time until every online member had it."""
        return percentile(self.to_all_ms, 0.5)

    @property
    def max_all_ms(self) -> float:
        return max(self.to_all_ms) if self.to_all_ms else math.nan

    @property
    def p50_half_ms(self) -> float:
        return percentile(self.to_half_ms, 0.5)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "p50_all_ms": self.p50_all_ms,
            "max_all_ms": self.max_all_ms,
            "p50_half_ms": self.p50_half_ms,
            "complete": self.complete,
        }


def bytes_per_connection(rss_before: int, rss_after: int, connections: int) -> float:
    """Resident memory the server grew by, per connection held."""
    if connections <= 0:
        return math.nan
    return max(0, rss_after - rss_before) / connections


def rss_bytes(status_text: str) -> int:
    """``VmRSS`` from the text of ``/proc/<pid>/status``, in bytes."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            parts = line.split()
            return int(parts[1]) * 1024  # kB
    raise ValueError("no VmRSS line")


def cpu_seconds(stat_text: str, ticks_per_second: int = 100) -> float:
    """User + system CPU time of a process (all its threads) from ``/proc/<pid>/stat``."""
    rest = stat_text.rsplit(")", 1)[1].split()  # the command name may hold spaces
    utime, stime = int(rest[11]), int(rest[12])  # fields 14 and 15 of the whole line
    return (utime + stime) / ticks_per_second


def ratio(ours: float, theirs: float) -> float:
    """How many times ``ours`` is ``theirs`` (NaN when either is unknown)."""
    if not theirs or math.isnan(theirs) or math.isnan(ours):
        return math.nan
    return ours / theirs
