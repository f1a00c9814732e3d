"""One server on PostgreSQL against one server on SQLite: C2C throughput and latency at a fixed
rate, through the real server and the raw-WebSocket load generator (``benchmarks/backbone.py``).

    python -m benchmarks.storage [--quick]

Both keep their durable defaults: SQLite ``synchronous=FULL`` (an fsync per group commit),
PostgreSQL a throw-away cluster on loopback with its stock settings (fsync on,
``synchronous_commit=on``), started in a temporary folder like the tests'.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from benchmarks.backbone import make_pairs, percentile
from benchmarks.loadgen import run_load
from benchmarks.server import Server
from tests.helpers.postgres import PostgresCluster


def measure(server: Server, name: str, quick: bool, processes: int) -> dict[str, float]:
    pairs, per_pair = (8, 250) if quick else (32, 1000)
    specs = make_pairs(server, pairs, "t")
    res = run_load(server.ws_url, specs, per_pair=per_pair, rate=0, window=64, processes=processes)
    elapsed = (res.last_receive_ns - res.first_send_ns) / 1e9
    rate = 500 if quick else 1000
    seconds = 2 if quick else 10
    lat_pairs = 10 if quick else 50
    specs = make_pairs(server, lat_pairs, f"l{rate}")
    lat = run_load(
        server.ws_url, specs, per_pair=max(1, int(rate * seconds / lat_pairs)), rate=rate,
        window=1000, processes=processes,
    )  # fmt: skip
    figures = {
        "msg/s": res.received / elapsed,
        "p50 at max": percentile(res.latencies_us, 0.5),
        "p99 at max": percentile(res.latencies_us, 0.99),
        "rate": rate,
        "p50": percentile(lat.latencies_us, 0.5),
        "p99": percentile(lat.latencies_us, 0.99),
        "errors": res.errors + lat.errors,
    }
    print(
        f"{name:<11} C2C {figures['msg/s']:>8,.0f} msg/s (p50 {figures['p50 at max']:.1f} ms, "
        f"p99 {figures['p99 at max']:.1f} ms at max load); at {rate:,} msg/s: "
        f"p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms; errors {figures['errors']}"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; the server, the database and the load share them")
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "sqlite", "FULL")
        try:
            measure(server, "SQLite", args.quick, args.processes)
        finally:
            server.stop()
    with PostgresCluster.start(durable=True) as cluster, tempfile.TemporaryDirectory() as tmp:
        dsn = cluster.create_database("bench")
        server = Server(Path(tmp) / "pg", "FULL", "--database", dsn)
        try:
            measure(server, "PostgreSQL", args.quick, args.processes)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
