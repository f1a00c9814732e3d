"""Our server before and after a change, side by side in one run: the same workloads against the
code of an older commit and against this working tree.

    python -m benchmarks.peers.before_after REV [--rounds 2] [--json FILE]

The older code is checked out with ``git worktree`` into a temporary folder and its server is
started from there (``OurServer(code_root=...)``); the load generator is this tree's for both.
Each round measures both sides, alternating which goes first, so a noisy machine hurts them
alike: C2C throughput (32 pairs, 64 frames in flight each), the time until every online member
of a 1,000- and a 10,000-member group has a message, and the server's memory per idle
connection (the 10,000 members' sockets). Prints a table; the medians go into
docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.peers import workloads
from benchmarks.peers.ours import OurServer
from benchmarks.peers.stats import bytes_per_connection, rss_bytes

ROOT = Path(__file__).resolve().parents[2]
PAIRS = 32
WINDOW = 64
SECONDS = 10.0
GROUPS = (1000, 10_000)
MESSAGES = 10
PROCESSES = 2


def rss(pid: int) -> int:
    return rss_bytes(Path(f"/proc/{pid}/status").read_text())


def measure(code_root: Path | None, folder: Path, tag: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    server = OurServer(folder / "c2c", code_root=code_root)
    server.start()
    try:
        pairs = asyncio.run(server.pairs(PAIRS, f"{tag}c"))
        point = workloads.c2c(
            tag,
            server.target,
            [server.pid],
            pairs,
            processes=PROCESSES,
            offered=0,
            seconds=SECONDS,
            window=WINDOW,
            drain_s=120,
        )
        out["c2c_msg_s"] = point.throughput
        out["c2c_p50_ms"] = point.p50_ms
    finally:
        server.stop()
    for size in GROUPS:
        server = OurServer(folder / f"fan{size}", code_root=code_root)
        server.start()
        try:
            sender, members, _ = asyncio.run(server.group(size, f"{tag}f{size}"))
            time.sleep(1)
            before = rss(server.pid)
            held = workloads.Members(server.target, members, PROCESSES)
            held.wait_open()
            time.sleep(2)
            after = rss(server.pid)
            result = workloads.fanout(
                tag,
                server.target,
                sender,
                members,
                size,
                processes=PROCESSES,
                messages=MESSAGES,
                held=held,
                server_pid=server.pid,
            )
            out[f"fanout_{size}_p50_ms"] = result.p50_all_ms
            out[f"fanout_{size}_max_ms"] = result.max_all_ms
            out[f"bytes_per_connection_{size}"] = bytes_per_connection(before, after, held.opened)
        finally:
            server.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare with (e.g. the one before a change)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="before-after-") as tmp_name:
        tmp = Path(tmp_name)
        before_root = tmp / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_root), args.rev],
            check=True,
            capture_output=True,
        )
        runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
        try:
            for k in range(args.rounds):
                order = [("before", before_root), ("after", None)]
                if k % 2:
                    order.reverse()
                for side, root in order:
                    print(f"round {k + 1}: {side}", flush=True)
                    runs[side].append(measure(root, tmp / f"{side}{k}", f"{side[0]}{k}"))
                    print("  " + json.dumps(runs[side][-1]), flush=True)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_root)],
                check=False,
                capture_output=True,
            )
    keys = list(runs["after"][0])
    print(f"\n| median of {args.rounds} rounds | before ({args.rev}) | after |")
    print("|---|---|---|")
    for key in keys:
        b = statistics.median(r[key] for r in runs["before"])
        a = statistics.median(r[key] for r in runs["after"])
        print(f"| {key} | {b:,.1f} | {a:,.1f} |")
    if args.json:
        args.json.write_text(json.dumps({"rev": args.rev, "runs": runs}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
