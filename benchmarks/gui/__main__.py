"""The desktop client's figures: launch, switch, scroll, memory, idle CPU, a burst of messages.

    python -m benchmarks.gui            # full: 1,000 conversations, 100,000+ messages (~5 min)
    python -m benchmarks.gui --quick    # small, for CI-sized checks (~1 min)

1. A real ``messenger-server`` (SQLite) in a temporary folder; the profile is built through it
   (``benchmarks/gui/profile.py``).
2. ``--launches`` fresh app processes (``benchmarks/gui/probe.py``, offscreen unless
   ``QT_QPA_PLATFORM`` says otherwise), each timed from just before it is spawned to the first
   paint of the conversation list with rows; the median is reported.
3. One more app process does the rest: 50 conversation switches (open → window repainted), RSS
   after them, frame times while scrolling the 100,000-message chat up, CPU over 60 s idle,
   and 5,000 messages sent by a peer in one burst into the open chat (sent → the last one
   painted; the longest stall of the event loop meanwhile).

``measure(quick)`` returns the figures (``benchmarks.peers`` calls it for its report).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# No keyring on a bench machine: the app keeps the secrets in its private file (opted in).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from benchmarks.gui.profile import Profile, Shape, build
from benchmarks.peers.clients import ours_sender
from benchmarks.peers.ours import OurServer


@dataclass(frozen=True)
class Plan:
    shape: Shape
    launches: int
    open_count: int
    scroll_frames: int
    idle_seconds: float
    burst: int


FULL = Plan(Shape(), launches=5, open_count=50, scroll_frames=3000, idle_seconds=60, burst=5000)
QUICK = Plan(
    Shape(conversations=200, groups=5, big_chat=5000, per_conversation=5, unread_conversations=20),
    launches=2,
    open_count=20,
    scroll_frames=300,
    idle_seconds=5,
    burst=500,
)


def measure(quick: bool = False, log: Any = print) -> dict[str, Any]:
    plan = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="gui-bench-") as tmp:
        root = Path(tmp)
        server = OurServer(root / "server")
        server.start()
        try:
            shape = plan.shape
            log(
                f"building the profile: {shape.conversations:,} conversations, "
                f"{shape.messages:,} messages ({shape.big_chat:,} in one chat)"
            )
            profile = asyncio.run(build(server, root / "app", shape))
            log(
                f"  {profile.cached_messages:,} messages cached; "
                + ", ".join(f"{k} {v:.1f} s" for k, v in profile.seconds.items())
            )
            _warm_bytecode()
            launches, quits, firsts = [], [], []
            cpus: dict[str, list[float]] = {"launch": [], "signin": []}
            for n in range(plan.launches):
                events = _run_probe(root, profile, plan, full=False)
                launches.append(events["launch"]["painted"] - events["spawned"])
                cpus["launch"].append(events["launch"]["cpu"])
                quits.append(events["exited"] - events["quit"]["asked"])
                log(
                    f"  launch → list painted: {launches[-1] * 1000:.0f} ms; "
                    f"quit → exited: {quits[-1] * 1000:.0f} ms"
                )
                events = _run_probe(root, profile, plan, full=False, first=root / f"first-{n}")
                firsts.append(events["signin"]["painted"] - events["spawned"])
                cpus["signin"].append(events["signin"]["cpu"])
                quits.append(events["exited"] - events["quit"]["asked"])
                log(
                    f"  first launch → sign-in window painted: {firsts[-1] * 1000:.0f} ms; "
                    f"quit → exited: {quits[-1] * 1000:.0f} ms"
                )
            log("switch, scroll, idle and burst (one app process)")
            events = _run_probe(root, profile, plan, full=True)
        finally:
            server.stop()
    burst = events["burst"]
    return {
        "plan": {**asdict(plan), "messages": plan.shape.messages},
        "cached_messages": profile.cached_messages,
        "profile_seconds": profile.seconds,
        "launch_s": launches,
        "launch_median_s": statistics.median(launches),
        "first_launch_s": firsts,
        "first_launch_median_s": statistics.median(firsts),
        # CPU seconds of the app's process until that paint: less disturbed by a busy machine
        "launch_cpu_median_s": statistics.median(cpus["launch"]),
        "first_launch_cpu_median_s": statistics.median(cpus["signin"]),
        "quit_s": quits,
        "quit_median_s": statistics.median(quits),
        "list_rows": events["launch"]["rows"],
        "switch": events["switch"],
        "scroll": events["scroll"],
        "idle": events["idle"],
        "burst": {**burst, "seconds": burst["painted"] - events["burst_sent"]},
    }


def _warm_bytecode() -> None:
    """Compile the app's modules once, as an install does, so no launch measures compiling."""
    import compileall

    import messenger

    compileall.compile_dir(Path(messenger.__file__).parent, quiet=1)


def _run_probe(
    root: Path, profile: Profile, plan: Plan, *, full: bool, first: Path | None = None
) -> dict[str, Any]:
    """One app process. ``first``: a first launch on this empty data folder (the local server,
    not started until someone signs in), timed to the sign-in window's first paint."""
    assert profile.burst_peer is not None
    burst_last = f"burst {plan.burst - 1}"
    probe_plan = {
        "server_url": None if first else profile.server_url,
        "data_dir": str(first or profile.data_dir),
        "first": first is not None,
        "full": full,
        "others": profile.others,
        "big_chat": profile.big_chat,
        "burst_chat": "C2C" + profile.burst_peer.user_id,
        "burst_last_text": burst_last,
        "open_count": plan.open_count,
        "scroll_frames": plan.scroll_frames,
        "idle_seconds": plan.idle_seconds,
    }
    plan_file = root / "probe-plan.json"
    plan_file.write_text(json.dumps(probe_plan))
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # As on a user's machine, modules load from their cached bytecode (an environment that
    # forbids writing it would add the compiling of every module to every launch).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    events: dict[str, Any] = {}
    spawned = time.monotonic()
    errors = (root / "app.log").open("a")
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.gui.probe", str(plan_file)],
        stdout=subprocess.PIPE,
        stderr=errors,
        env=env,
        text=True,
    )
    events["spawned"] = spawned
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        kind = event.pop("event")
        events[kind] = event
        if kind == "burst-ready":
            events["burst_sent"] = asyncio.run(_burst(profile, plan.burst))
    events["exited"] = time.monotonic()  # its output ends when it exits
    errors.close()
    if proc.wait(120) != 0:
        log = (root / "app.log").read_text()[-3000:]
        raise RuntimeError(f"the app exited with {proc.returncode}:\n{log}")
    return events


async def _burst(profile: Profile, count: int) -> float:
    """The peer sends ``count`` messages as fast as the server takes them; returns when the
    first one went out (monotonic)."""
    assert profile.burst_peer is not None
    host, port = profile.server_url.removeprefix("http://").split(":")
    from benchmarks.peers.clients import Target

    sender = await ours_sender(Target("ours", host, int(port)), profile.burst_peer, 256)
    try:
        started = time.monotonic()
        for n in range(count):
            await sender.send(f"burst {n}")
        await sender.drain(300)
    finally:
        sender.close()
    return started


def report(figures: dict[str, Any]) -> str:
    """The figures as a Markdown table, with the desktop-app issue's targets."""
    plan = figures["plan"]
    switch, scroll, idle, burst = (figures[k] for k in ("switch", "scroll", "idle", "burst"))
    launches = ", ".join(f"{s * 1000:.0f}" for s in figures["launch_s"])
    rows = [
        (
            "launch → conversation list painted (median)",
            "≤ 0.5 s",
            f"{figures['launch_median_s']:.2f} s (runs: {launches} ms;"
            f" CPU {figures['launch_cpu_median_s']:.2f} s)",
        ),
        (
            "first launch → sign-in window painted (median)",
            "≤ 0.5 s",
            f"{figures['first_launch_median_s']:.2f} s (runs: "
            + ", ".join(f"{s * 1000:.0f}" for s in figures["first_launch_s"])
            + f" ms; CPU {figures['first_launch_cpu_median_s']:.2f} s)",
        ),
        (
            "quit → process ended (median)",
            "≤ 0.3 s",
            f"{figures['quit_median_s']:.2f} s (runs: "
            + ", ".join(f"{s * 1000:.0f}" for s in figures["quit_s"])
            + " ms)",
        ),
        (
            "switch conversation → first paint, p50 / p95 / max",
            "p95 ≤ 16 ms",
            f"{switch['ms']['p50']:.1f} / {switch['ms']['p95']:.1f} / {switch['ms']['max']:.1f} ms"
            f" ({switch['opened']} switches; the GUI thread's CPU p50 / p95"
            f" {switch['cpu_ms']['p50']:.1f} / {switch['cpu_ms']['p95']:.1f} ms)",
        ),
        (
            "frame time scrolling the long chat up, p50 / p95 / max",
            "p95 ≤ 16 ms",
            f"{scroll['ms']['p50']:.2f} / {scroll['ms']['p95']:.2f} / {scroll['ms']['max']:.1f} ms"
            f" ({scroll['ms']['n']:,} frames, seq {scroll['from_seq']:,} → {scroll['to_seq']:,})",
        ),
        (
            f"memory (RSS) after opening {switch['opened']} conversations",
            "≤ 300 MB",
            f"{switch['rss_mib']:.0f} MiB",
        ),
        (
            f"CPU while idle ({idle['seconds']:.0f} s, connected)",
            "",
            f"{idle['cpu_percent']:.2f} % of a core",
        ),
        (
            f"{plan['burst']:,} messages in a burst → the last one painted",
            "stall ≤ 16 ms",
            f"{burst['seconds']:.2f} s; longest event-loop stall {burst['longest_stall_ms']:.0f} ms"
            f" ({burst['stalls_over_100ms']} over 100 ms; the GUI thread's CPU in one gap at most"
            f" {burst['longest_stall_cpu_ms']:.0f} ms)",
        ),
    ]
    lines = ["| figure | target | measured |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small profile (CI-sized)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    figures = measure(quick=args.quick)
    print()
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
