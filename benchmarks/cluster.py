"""Several nodes: C2C throughput over three nodes, and send-to-receive latency when sender and
receiver are on the same node against different nodes.

    python -m benchmarks.cluster [--quick] [--processes N]

Starts a throw-away PostgreSQL cluster (its default durability), a throw-away Redis and three
``messenger-server`` nodes over them (``--database``, ``--redis``), then drives them with the
raw-WebSocket load generator (``benchmarks/loadgen.py``) in separate processes. Same-node pairs
have both ends on node 1; cross-node pairs send on node 1 and receive on node 2 (the message
is committed by node 1 and reaches node 2 over Redis, in version order). The throughput run
spreads pairs over the three nodes, each pair across two of them.

The fan-out run (``--members``, 10,000 by default, 1,000 with ``--quick``; 0 skips it) signs
in a Public group's members and holds every one online with the multi-process generator of
``benchmarks/peers`` (a worker per node), first all on node 1, then spread evenly over the three
nodes; the owner sends from node 1, one message at a time, and the time counts until the median
member and the last one have it (as the one-node "Group fan-out" of ``make bench-peers``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from benchmarks.backbone import login, percentile
from benchmarks.loadgen import PairSpec, run_load
from benchmarks.peers.clients import Cred, Target
from benchmarks.peers.stats import FanoutResult
from benchmarks.peers.wire import HttpPool
from benchmarks.peers.workloads import Members, send_group_messages
from benchmarks.server import KEY, SDK_APP_ID, Server
from messenger.protocol.usersig import generate_usersig
from tests.helpers.postgres import PostgresCluster
from tests.helpers.redis_server import RedisProcess


def _pairs(nodes: list[Server], count: int, tag: str, route: str) -> list[PairSpec]:
    specs = []
    with httpx.Client(base_url=nodes[0].url, timeout=30) as http:
        for i in range(count):
            s, r = f"{tag}s{i}", f"{tag}r{i}"
            if route == "same":
                a = b = nodes[0]
            elif route == "cross":
                a, b = nodes[0], nodes[1]
            else:  # spread: every pair across two nodes, all nodes busy
                a, b = nodes[i % len(nodes)], nodes[(i + 1) % len(nodes)]
            specs.append(PairSpec(login(http, s), login(http, r), r, a.ws_url, b.ws_url))
    return specs


def _latency(nodes: list[Server], route: str, rate: int, seconds: float, processes: int) -> None:
    pairs = 20
    specs = _pairs(nodes, pairs, f"l{route}", route)
    per_pair = max(1, int(rate * seconds / pairs))
    res = run_load(
        nodes[0].ws_url, specs, per_pair=per_pair, rate=rate, window=1000, processes=processes
    )
    lat = res.latencies_us
    print(
        f"{route}-node latency at {rate:,} msg/s offered ({res.received} messages, errors "
        f"{res.errors}): p50 {percentile(lat, 0.5):.2f} ms, p99 {percentile(lat, 0.99):.2f} ms, "
        f"mean {statistics.mean(lat) / 1000:.2f} ms"
    )


def _throughput(nodes: list[Server], pairs: int, per_pair: int, processes: int) -> None:
    specs = _pairs(nodes, pairs, "t", "spread")
    res = run_load(
        nodes[0].ws_url, specs, per_pair=per_pair, rate=0, window=64, processes=processes
    )
    elapsed = (res.last_receive_ns - res.first_send_ns) / 1e9
    print(
        f"C2C throughput over {len(nodes)} nodes: {res.received} messages in {elapsed:.2f} s = "
        f"{res.received / elapsed:,.0f} msg/s end to end ({pairs} pairs across nodes, "
        f"errors {res.errors}); p50 {percentile(res.latencies_us, 0.5):.1f} ms, "
        f"p99 {percentile(res.latencies_us, 0.99):.1f} ms"
    )


# -- a 10,000-member group fanned out over the nodes ------------------------------------------------
PER_REQUEST = 300  # members per create / add request (the server's rule)


def _target(node: Server) -> Target:
    # permessage-deflate offered, as the desktop client does (and as make bench-peers measures)
    address = urlsplit(node.url)
    return Target("ours", address.hostname or "127.0.0.1", address.port or 0, deflate=True)


async def _group(nodes: list[Server], size: int) -> tuple[Cred, list[Cred]]:
    """The owner (signed in on node 1) and ``size - 1`` members signed in over every node, all
    in one Public group created and filled through node 1's REST API."""
    pools = [HttpPool(t.host, t.port, 32) for t in map(_target, nodes)]
    gate = asyncio.Semaphore(96)

    async def sign_in(i: int, user_id: str) -> str:
        sig = generate_usersig(SDK_APP_ID, KEY, user_id, 86400)
        body = {"user_id": user_id, "user_sig": sig, "device_id": uuid.uuid4().hex}
        async with gate:
            answer = await pools[i % len(pools)].ok("POST", "/v1/auth/login", body)
        return str(answer["session_token"])

    try:
        users = ["fan_owner", *(f"fan{i:05d}" for i in range(size - 1))]
        tokens = await asyncio.gather(*(sign_in(i, u) for i, u in enumerate(users)))
        others = users[1:]
        await pools[0].ok(
            "POST",
            "/v1/groups",
            {
                "name": "fan-out",
                "group_id": "fan",
                "type": "Public",
                "members": others[: PER_REQUEST - 1],
            },
            token=tokens[0],
        )
        for at in range(PER_REQUEST - 1, len(others), PER_REQUEST):
            await pools[0].ok(
                "POST",
                "/v1/groups/fan/members",
                {"user_ids": others[at : at + PER_REQUEST]},
                token=tokens[0],
            )
    finally:
        for pool in pools:
            await pool.close()
    owner = Cred(users[0], tokens[0], "GROUPfan")
    return owner, [Cred(u, t) for u, t in zip(others, tokens[1:], strict=True)]


class _Spread:
    """Members held online on several nodes (a ``Members`` per node, its own worker process):
    what ``send_group_messages`` waits on."""

    def __init__(self, targets: list[Target], members: list[Cred], per_node: int) -> None:
        shares = [members[k :: len(targets)] for k in range(len(targets))]
        self.parts = [Members(t, s, per_node) for t, s in zip(targets, shares, strict=True)]
        self.opened = self.failed = 0
        self.arrivals: dict[int, list[int]] = {}

    def wait_open(self) -> None:
        for part in self.parts:
            part.wait_open()
            self.opened += part.opened
            self.failed += part.failed

    async def wait_message(self, k: int, wait_s: float) -> bool:
        results = await asyncio.gather(*(p.wait_message(k, wait_s) for p in self.parts))
        return all(results)

    def finish(self) -> None:
        for part in self.parts:
            part.finish()
            for k, stamps in part.arrivals.items():
                self.arrivals.setdefault(k, []).extend(stamps)

    def kill(self) -> None:
        for part in self.parts:
            part.pool.kill()


def _fanout_once(
    nodes: list[Server], owner: Cred, members: list[Cred], on: int, messages: int, per_node: int
) -> None:
    online = _Spread([_target(n) for n in nodes[:on]], members, per_node)
    try:
        started = time.monotonic()
        online.wait_open()
        opened_s = time.monotonic() - started
        result = FanoutResult("cluster", len(members) + 1, online.opened)
        time.sleep(1.0)
        stamps = asyncio.run(
            send_group_messages(_target(nodes[0]), owner, online, messages, wait_s=120)  # type: ignore[arg-type]
        )
        online.finish()
    finally:
        online.kill()
    for k, sent in enumerate(stamps):
        result.add(sent, online.arrivals.get(k, []))
    where = "node 1" if on == 1 else f"{on} nodes"
    print(
        f"{len(members) + 1:,}-member group, {online.opened:,} online on {where} "
        f"(opened in {opened_s:.1f} s, {online.failed} failed), sender on node 1, "
        f"{messages} messages: all have it p50 {result.p50_all_ms:.1f} ms / "
        f"max {result.max_all_ms:.1f} ms (median member {result.p50_half_ms:.1f} ms), "
        f"complete {result.complete}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )


def _fanout(nodes: list[Server], size: int, messages: int, processes: int) -> None:
    started = time.monotonic()
    owner, members = asyncio.run(_group(nodes, size))
    print(
        f"{size:,} members signed in over {len(nodes)} nodes and grouped in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )
    per_node = max(1, processes // len(nodes))
    _fanout_once(nodes, owner, members, len(nodes), messages, per_node)
    _fanout_once(nodes, owner, members, 1, messages, max(1, processes))
    _fanout_once(nodes, owner, members, len(nodes), messages, per_node)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--rate", type=int, default=0, help="msg/s offered in the latency runs")
    parser.add_argument(
        "--members", type=int, default=-1, help="group size of the fan-out run (0: skip it)"
    )
    parser.add_argument("--only-fanout", action="store_true", help="skip the other runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, PostgresCluster.start(durable=True) as pg:
        redis = RedisProcess(Path(tmp) / "redis").start()
        dsn = pg.fresh_schema()
        members = args.members if args.members >= 0 else (1_000 if args.quick else 10_000)
        for i in range(args.nodes):
            folder = Path(tmp) / f"node{i}"
            folder.mkdir()
            limit = max(members + 10, 2_000)
            (folder / "server.toml").write_text(f"[limits]\ngroup_max_members = {limit}\n")
        nodes = [
            Server(Path(tmp) / f"node{i}", "FULL", "--database", dsn, "--redis", redis.url)
            for i in range(args.nodes)
        ]
        try:
            print(f"{args.nodes} nodes over PostgreSQL and Redis, {os.cpu_count()} CPUs")
            rate = args.rate or (50 if args.quick else 200)
            seconds = 4 if args.quick else 10
            if not args.only_fanout:
                for route in ("same", "cross", "same", "cross"):  # twice each, interleaved
                    _latency(nodes, route, rate=rate, seconds=seconds, processes=args.processes)
                if args.quick:
                    _throughput(nodes, pairs=12, per_pair=200, processes=args.processes)
                else:
                    _throughput(nodes, pairs=30, per_pair=1000, processes=args.processes)
            if members:
                messages = 3 if args.quick else 10
                _fanout(nodes, members, messages, max(args.processes, args.nodes))
        finally:
            for node in nodes:
                node.stop()
            redis.kill()


if __name__ == "__main__":
    main()
