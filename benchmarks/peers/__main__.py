"""Benchmarks against peers: our server side by side with Matrix Synapse, in one run.

    python -m benchmarks.peers            # full run: writes docs/benchmarks.md and its plots
    python -m benchmarks.peers --quick    # small run (CI-sized): writes benchmarks/out/ only

(``make bench-peers`` / ``make bench-peers-quick``.) What it measures, with the same load
generator (``--processes`` worker processes, raw WebSockets / raw HTTP on asyncio) for every peer:

1. the generator's own ceiling, against stub servers that only answer;
2. C2C: p50/p99 send-to-receive latency under a sweep of offered loads, and the most messages per
   second delivered end to end (32 pairs, each sender keeping a window of messages in flight);
3. group fan-out to 100, 1,000 and 10,000 members, all online: time until every member has the
   message (p50 and max over several messages);
4. ours only: idle connections held by the one server process and the memory each costs (from
   the server's VmRSS), a message still arriving with all of them connected, and an offline
   device catching up 10,000 missed messages;
5. the desktop client (``benchmarks.gui``): launch, conversation switch, scrolling, memory, idle
   CPU and a burst of 5,000 messages, on a profile of 1,000 conversations and 100,000 messages.

Synapse (the version pinned in ``benchmarks/peers/synapse-requirements.txt``) is installed into
``.bench/synapse-venv`` on first use, with SQLite, on loopback, with every rate limit raised.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.peers import ours as ours_mod
from benchmarks.peers import report, workloads
from benchmarks.peers.clients import Cred, Target
from benchmarks.peers.ours import OurServer
from benchmarks.peers.stats import (
    FanoutResult,
    bytes_per_connection,
    percentile,
    rss_bytes,
)
from benchmarks.peers.stub import Stub
from benchmarks.peers.workloads import Pair

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Plan:
    pairs: int
    sweep: list[float]
    step_seconds: float
    max_seconds: float
    fanout_sizes: list[int]
    fanout_messages: int
    synapse_fanout_sizes: list[int]
    synapse_fanout_messages: int
    synapse_join_budget_s: float
    idle: int
    sync_conversations: int
    sync_per_conversation: int
    ceiling_seconds: float


QUICK = Plan(
    pairs=16,
    sweep=[50, 500],
    step_seconds=2,
    max_seconds=3,
    fanout_sizes=[100, 1000],
    fanout_messages=3,
    synapse_fanout_sizes=[100],
    synapse_fanout_messages=3,
    synapse_join_budget_s=60,
    idle=1000,
    sync_conversations=10,
    sync_per_conversation=100,
    ceiling_seconds=2,
)
FULL = Plan(
    pairs=32,
    sweep=[25, 50, 100, 250, 500, 1000, 2000, 4000, 6000, 8000],
    step_seconds=5,
    max_seconds=15,
    fanout_sizes=[100, 1000, 10_000],
    fanout_messages=10,
    synapse_fanout_sizes=[100, 1000, 10_000],
    synapse_fanout_messages=5,
    synapse_join_budget_s=900,
    idle=10_000,
    sync_conversations=100,
    sync_per_conversation=100,
    ceiling_seconds=5,
)
OUR_WINDOW = 64  # messages in flight per sender in the throughput run (pipelined on one socket)
SYNAPSE_WINDOW = 16  # requests in flight per sender (16 connections): Synapse's best of 1, 4, 16
SYNAPSE_MESSAGE_BUDGET_S = 120.0  # per group message, in the fan-out step
SWEEP_WINDOW = 1000  # the sweep is open-loop: the window only bounds a saturated peer


def log(text: str) -> None:
    print(text, flush=True)


# -- the machine --------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem / 2**30),
        "os": f"{platform.system()} {platform.release()}",
        "distro": _distro(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "date": time.strftime("%Y-%m-%d"),
    }


def _distro() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return ""


def our_version() -> str:
    from importlib.metadata import version

    return version("messenger")


def rss(pid: int) -> int:
    return rss_bytes(Path(f"/proc/{pid}/status").read_text())


# -- the parts of a run ------------------------------------------------------------------------------------
def ceiling(plan: Plan, processes: int) -> dict[str, Any]:
    """The generator against stubs that only answer."""
    out = {}
    for kind, label in (("ws", "ours"), ("matrix", "matrix")):
        stub = Stub(kind)
        try:
            target = Target("ours" if kind == "ws" else "matrix", "127.0.0.1", stub.port)
            pairs = []
            for i in range(plan.pairs):
                if kind == "ws":
                    pairs.append(Pair(Cred(f"s{i}", f"s{i}", f"C2Cr{i}"), Cred(f"r{i}", f"r{i}")))
                else:
                    room = f"room{i}"
                    pairs.append(Pair(Cred(f"@s{i}", f"s{i}", room), Cred(f"@r{i}", room)))
            window = OUR_WINDOW if kind == "ws" else SYNAPSE_WINDOW
            point = workloads.c2c(
                f"stub-{label}",
                target,
                [stub.pid],
                pairs,
                processes=processes,
                offered=0,
                seconds=plan.ceiling_seconds,
                window=window,
            )
        finally:
            stub.stop()
        log(
            f"  generator ceiling ({label} protocol, stub server): {point.throughput:,.0f} msg/s "
            f"(generator {point.generator_cpu:.2f} cores, stub {point.server_cpu:.2f} cores)"
        )
        out[label] = point.as_dict()
    return out


def c2c_sweep(
    peer: str, target: Target, pids: list[int], pairs: list[Pair], plan: Plan, processes: int
) -> list[dict[str, Any]]:
    points = []
    for rate in plan.sweep:
        point = workloads.c2c(
            peer,
            target,
            pids,
            pairs,
            processes=processes,
            offered=rate,
            seconds=plan.step_seconds,
            window=SWEEP_WINDOW,
            drain_s=90,
        )
        points.append(point.as_dict())
        log(
            f"  {peer} C2C at {rate:,.0f} msg/s offered: delivered {point.delivery_rate:,.0f} msg/s, "
            f"p50 {point.p50_ms:.1f} ms, p99 {point.p99_ms:.1f} ms "
            f"({point.received}/{point.sent} received, server {point.server_cpu:.2f} cores)"
        )
        if point.saturated():
            log(f"  {peer} saturated at {rate:,.0f} msg/s: the sweep stops here")
            break
    return points


def c2c_max(
    peer: str,
    target: Target,
    pids: list[int],
    pairs: list[Pair],
    plan: Plan,
    processes: int,
    window: int,
) -> dict[str, Any]:
    point = workloads.c2c(
        peer,
        target,
        pids,
        pairs,
        processes=processes,
        offered=0,
        seconds=plan.max_seconds,
        window=window,
        drain_s=120,
    )
    log(
        f"  {peer} C2C throughput: {point.received:,} messages in {point.seconds:.1f} s = "
        f"{point.throughput:,.0f} msg/s (window {window}/sender, p50 {point.p50_ms:.0f} ms, "
        f"server {point.server_cpu:.2f} cores, generator {point.generator_cpu:.2f} cores, "
        f"errors {point.errors})"
    )
    return point.as_dict()


def fanout_line(r: FanoutResult, setup_s: float) -> str:
    return (
        f"  {r.peer} fan-out to {r.members:,} members ({r.online:,} online receivers): "
        f"all had it after p50 {r.p50_all_ms:.0f} ms, max {r.max_all_ms:.0f} ms; "
        f"half after {r.p50_half_ms:.0f} ms (setup {setup_s:.0f} s){' ' + r.note if r.note else ''}"
    )


# -- ours -----------------------------------------------------------------------------------------------
def run_ours(plan: Plan, processes: int, tmp: Path, results: dict[str, Any]) -> None:
    log("messenger-server: C2C")
    server = OurServer(tmp / "ours-c2c")
    server.start()
    try:
        pairs = asyncio.run(server.pairs(plan.pairs, "c"))
        results["c2c"]["ours"] = {
            "sweep": c2c_sweep("ours", server.target, [server.pid], pairs, plan, processes),
            "max": c2c_max("ours", server.target, [server.pid], pairs, plan, processes, OUR_WINDOW),
        }
    finally:
        server.stop()

    log("messenger-server: group fan-out")
    fan: list[dict[str, Any]] = []
    results["fanout"]["ours"] = fan
    server = OurServer(tmp / "ours-fanout")
    server.start()
    try:
        for size in [s for s in plan.fanout_sizes if s != plan.idle]:  # (that one: below)
            sender, members, setup_s = asyncio.run(server.group(size, f"f{size}"))
            r = workloads.fanout(
                "ours",
                server.target,
                sender,
                members,
                size,
                processes=processes,
                messages=plan.fanout_messages,
                server_pid=server.pid,
            )
            log(fanout_line(r, setup_s))
            fan.append(r.as_dict() | {"setup_s": setup_s})
    finally:
        server.stop()

    log(f"messenger-server: {plan.idle:,} idle connections")
    server = OurServer(tmp / "ours-idle")
    server.start()
    try:
        # The devices are the members of a group of plan.idle (the owner's device included).
        sender, members, setup_s = asyncio.run(server.group(plan.idle, "i"))
        probe = asyncio.run(server.pairs(1, "probe"))[0]
        time.sleep(2)
        before = rss(server.pid)
        started = time.monotonic()
        held = workloads.Members(server.target, members, processes)
        held.wait_open()
        open_s = time.monotonic() - started
        time.sleep(3)
        after = rss(server.pid)
        count = held.opened
        per_conn = bytes_per_connection(before, after, count)
        latencies = asyncio.run(workloads.probe_c2c(server.target, probe))
        idle = {
            "connections": count,
            "failed": held.failed,
            "open_seconds": open_s,
            "rss_before": before,
            "rss_after": after,
            "bytes_per_connection": per_conn,
            "probe_p50_ms": percentile(latencies, 0.5),
            "probe_max_ms": max(latencies),
        }
        results["idle"] = idle
        log(
            f"  {count:,} connections open in {open_s:.1f} s ({held.failed} failed); server RSS "
            f"{before / 2**20:.0f} MiB → {after / 2**20:.0f} MiB = "
            f"{per_conn / 1024:.1f} KiB per connection "
            f"({(after - before) / 2**30:.2f} GiB for all)"
        )
        log(
            f"  with them connected, a C2C message still arrives: p50 "
            f"{idle['probe_p50_ms']:.1f} ms, max {idle['probe_max_ms']:.1f} ms"
        )
        if plan.idle in plan.fanout_sizes:
            r = workloads.fanout(
                "ours",
                server.target,
                sender,
                members,
                plan.idle,
                processes=processes,
                messages=plan.fanout_messages,
                held=held,
                server_pid=server.pid,
            )
            log(fanout_line(r, setup_s))
            fan.append(r.as_dict() | {"setup_s": setup_s})
        else:
            held.finish()
    finally:
        server.stop()

    log("messenger-server: an offline device catches up")
    server = OurServer(tmp / "ours-sync")
    server.start()
    try:
        results["sync"] = asyncio.run(
            ours_mod.catch_up(server, plan.sync_conversations, plan.sync_per_conversation)
        )
        s = results["sync"]
        log(
            f"  {s['messages']:,} missed messages in {s['conversations']} conversations: "
            f"server catch-up over the WebSocket {s['raw_seconds']:.2f} s"
        )
        from benchmarks import client_sync

        core = client_sync.measure(
            f"http://{server.host}:{server.port}",
            sdk_app_id=ours_mod.SDK_APP_ID,
            secret_key=ours_mod.KEY,
            conversations=plan.sync_conversations,
            per_conversation=plan.sync_per_conversation,
        )
        s["client_core_seconds"] = core.catch_up_seconds
        s["snapshot_seconds"] = core.snapshot_seconds
    finally:
        server.stop()


# -- Synapse --------------------------------------------------------------------------------------------
def run_synapse(plan: Plan, processes: int, tmp: Path, results: dict[str, Any]) -> None:
    from benchmarks.peers import synapse

    bench = ROOT / ".bench"
    bench.mkdir(exist_ok=True)
    python = synapse.ensure_installed(bench / "synapse-venv", bench / "synapse-install.log")
    port = _free_port()
    server = synapse.SynapsePeer(python, tmp / "synapse", port)
    log("Synapse: starting")
    server.start()
    results["versions"]["synapse"] = server.version
    try:
        log("Synapse: C2C")
        started = time.monotonic()
        pairs = asyncio.run(server.pairs(plan.pairs, "c"))
        log(f"  {plan.pairs} DM rooms set up in {time.monotonic() - started:.0f} s")
        results["c2c"]["synapse"] = {
            "sweep": c2c_sweep("synapse", server.target, [server.pid], pairs, plan, processes),
            "max": c2c_max(
                "synapse", server.target, [server.pid], pairs, plan, processes, SYNAPSE_WINDOW
            ),
        }
        log("Synapse: group fan-out")
        fan: list[dict[str, Any]] = []
        results["fanout"]["synapse"] = fan
        for size in plan.synapse_fanout_sizes:
            sender, members, setup_s, reached = asyncio.run(
                server.group(size, f"f{size}_", plan.synapse_join_budget_s)
            )
            log(f"  room of {reached:,} members set up in {setup_s:.0f} s ({reached - 1:,} joins)")
            # a budget per message, so a peer that cannot keep up ends the step in bounded time
            # (its late messages count as "not all")
            r = workloads.fanout(
                "synapse",
                server.target,
                sender,
                members,
                reached,
                processes=processes,
                messages=plan.synapse_fanout_messages,
                timeout=SYNAPSE_MESSAGE_BUDGET_S,
                server_pid=server.pid,
            )
            if reached < size:
                r.note = (
                    f"the room reached {reached:,} of {size:,} members within the "
                    f"{plan.synapse_join_budget_s:.0f} s join budget"
                )
            log(fanout_line(r, setup_s))
            fan.append(r.as_dict() | {"setup_s": setup_s, "asked": size})
    finally:
        server.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- main -------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small, CI-sized run")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument(
        "--peers",
        default="ours,synapse,client",
        help="comma-separated: ours, synapse, client (the desktop app; default all three)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the report goes (default: docs/ for a full run, benchmarks/out/ for --quick)",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    peers = {p.strip() for p in args.peers.split(",") if p.strip()}
    mode = "quick" if args.quick else "full"
    out = args.out or (ROOT / "benchmarks" / "out" if args.quick else ROOT / "docs")
    results: dict[str, Any] = {
        "mode": mode,
        "processes": args.processes,
        "plan": plan.__dict__,
        "machine": machine(),
        "versions": {"ours": our_version()},
        "c2c": {},
        "fanout": {},
        "windows": {"ours": OUR_WINDOW, "synapse": SYNAPSE_WINDOW},
        "errors": [],
    }
    started = time.monotonic()
    log(
        f"benchmarks.peers ({mode}): {results['machine']['cpus']} CPUs, "
        f"Python {results['machine']['python']}, {args.processes} generator processes"
    )
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp_name:
        tmp = Path(tmp_name)
        log("load generator ceiling")
        results["ceiling"] = ceiling(plan, args.processes)
        for name, run in (("ours", run_ours), ("synapse", run_synapse)):
            if name not in peers:
                continue
            try:
                run(plan, args.processes, tmp, results)
            except Exception:  # noqa: BLE001 - a failing peer is reported, the run goes on
                text = traceback.format_exc()
                log(f"{name} failed:\n{text}")
                results["errors"].append({"peer": name, "error": text.strip().splitlines()[-1]})
        if "client" in peers:
            log("the desktop client (benchmarks.gui)")
            try:
                from benchmarks.gui.__main__ import measure as measure_client

                results["client"] = measure_client(quick=args.quick, log=log)
            except Exception:  # noqa: BLE001 - reported like a failing peer
                text = traceback.format_exc()
                log(f"client failed:\n{text}")
                results["errors"].append({"peer": "client", "error": text.strip().splitlines()[-1]})
    results["seconds"] = time.monotonic() - started
    raw = ROOT / "benchmarks" / "out" / f"peers-{mode}.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(results, indent=1))
    log(f"raw figures: {raw.relative_to(ROOT)}")
    written = report.write(results, out)
    log(
        f"report: {', '.join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in written)}"
    )
    report.print_summary(results)
    log(f"total {results['seconds']:.0f} s")
    if results["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
