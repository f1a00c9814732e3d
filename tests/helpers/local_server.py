"""The app's shared local server process in tests: never left running after a test."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from messenger.app.local_server import served
from messenger.server.runtime import read_run_pid


def kill_local_server(server_dir: Path, sig: int = signal.SIGKILL, wait: float = 10.0) -> None:
    """End the local server serving ``server_dir`` (if any) and wait until its lock is free."""
    pid = read_run_pid(server_dir)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while served(server_dir) and time.monotonic() < deadline:
        time.sleep(0.02)


def command_line(pid: int) -> list[str]:
    """A process's arguments (Linux)."""
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
