"""Start-up time of the frozen app against the source checkout (prints figures, asserts nothing).

    python packaging/startup_time.py [--runs 7] [--frozen dist/linux/messenger/messenger]

Each run launches the app offscreen on a fresh data folder with ``--quit-after 0``: it opens
its first window (the sign-in window), quits as soon as its event loop runs, and exits. The
wall time from launch to exit is measured, and (on Linux and macOS) the CPU time the process
used, which a busy machine changes much less than the wall time; for the frozen bundle and for
``python -m messenger.app.main`` of this checkout. The first run of each warms the disk cache
and is not counted. Medians and the fastest run are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FROZEN = {
    "linux": ROOT / "dist" / "linux" / "messenger" / "messenger",
    "win32": ROOT / "dist" / "windows" / "messenger" / "messenger.exe",
    "darwin": ROOT / "dist" / "macos" / "Messenger.app" / "Contents" / "MacOS" / "messenger",
}.get(sys.platform)


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def launch_seconds(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one launch."""
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        started, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(
            [*command, "--data-dir", data, "--quit-after", "0"],
            env=env,
            cwd=data,
            check=True,
            capture_output=True,
            timeout=120,
        )
        return time.perf_counter() - started, _children_cpu() - cpu


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--frozen", type=Path, default=DEFAULT_FROZEN)
    args = p.parse_args()
    commands = {
        "source checkout": [sys.executable, "-m", "messenger.app.main"],
        "frozen bundle": [str(args.frozen)],
    }
    print(f"launch to first window and exit, offscreen, {args.runs} runs after one warm-up")
    for name, command in commands.items():
        launch_seconds(command)  # warm-up
        runs = [launch_seconds(command) for _ in range(args.runs)]
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"{name:16} wall median {statistics.median(wall):.2f} s (fastest {min(wall):.2f} s)"
            f"   CPU median {statistics.median(cpu):.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
