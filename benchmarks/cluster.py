"""Several nodes: C2C throughput over three nodes, and send-to-receive latency when sender and
receiver are on the same node against different nodes.

    python -m benchmarks.cluster [--quick] [--processes N]

Starts a throw-away PostgreSQL cluster (its default durability), a throw-away Redis and three
``messenger-server`` nodes over them (``--database``, ``--redis``), then drives them with the
raw-WebSocket load generator (``benchmarks/loadgen.py``) in separate processes. Same-node pairs
have both ends on node 1; cross-node pairs send on node 1 and receive on node 2 (the message
is committed by node 1 and reaches node 2 over Redis, in version order). The throughput run
spreads pairs over the three nodes, each pair across two of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

import httpx

from benchmarks.backbone import login, percentile
from benchmarks.loadgen import PairSpec, run_load
from benchmarks.server import Server
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--rate", type=int, default=0, help="msg/s offered in the latency runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, PostgresCluster.start(durable=True) as pg:
        redis = RedisProcess(Path(tmp) / "redis").start()
        dsn = pg.fresh_schema()
        nodes = [
            Server(Path(tmp) / f"node{i}", "FULL", "--database", dsn, "--redis", redis.url)
            for i in range(args.nodes)
        ]
        try:
            print(f"{args.nodes} nodes over PostgreSQL and Redis, {os.cpu_count()} CPUs")
            rate = args.rate or (50 if args.quick else 200)
            seconds = 4 if args.quick else 10
            for route in ("same", "cross", "same", "cross"):  # twice each, interleaved
                _latency(nodes, route, rate=rate, seconds=seconds, processes=args.processes)
            if args.quick:
                _throughput(nodes, pairs=12, per_pair=200, processes=args.processes)
            else:
                _throughput(nodes, pairs=30, per_pair=1000, processes=args.processes)
        finally:
            for node in nodes:
                node.stop()
            redis.kill()


if __name__ == "__main__":
    main()
