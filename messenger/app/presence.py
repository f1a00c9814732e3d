"""Which app processes use the local server: one locked file per process in ``<server>/apps/``.

An app process that uses the local server holds a lock on ``apps/<pid>.lock`` for as long as it
runs (the operating system drops the lock however the process ends). The local server process
counts the files it cannot lock: none for a while means nobody uses it any more, and it exits.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from messenger.server.runtime import DataDirLock

APPS_DIR = "apps"
_STALE_AFTER = 10.0  # a file this old and unlocked was left by a process that ended


class Presence:
    """This process's mark in ``<server>/apps/``."""

    def __init__(self, server_dir: Path) -> None:
        self.folder = server_dir / APPS_DIR
        self._lock: DataDirLock | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None

    def enter(self) -> None:
        if self._lock is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = DataDirLock(self.folder, f"{os.getpid()}-{id(self):x}.lock")
        for _ in range(50):  # the server may be probing this very file for a moment
            if lock.try_acquire():
                self._lock = lock
                return
            time.sleep(0.01)

    def leave(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
            with contextlib.suppress(OSError):
                lock.path.unlink()


def users(server_dir: Path) -> int:
    """How many app processes hold a mark; removes the marks of processes that ended."""
    folder = server_dir / APPS_DIR
    try:
        marks = list(folder.glob("*.lock"))
    except OSError:
        return 0
    alive = 0
    for mark in marks:
        probe = DataDirLock(folder, mark.name)
        if not probe.try_acquire():
            alive += 1
            continue
        probe.release()
        with contextlib.suppress(OSError):
            if time.time() - mark.stat().st_mtime > _STALE_AFTER:
                mark.unlink()
    return alive
