"""Who is using a data folder: an advisory lock held by the running server, and where it listens.

``server.lock`` is locked (``flock`` / ``msvcrt.locking``) by the server for as long as it runs;
the operating system drops the lock when the process ends, however it ends, so a lock that can be
taken means no server is running there. ``server.run`` says where the running server listens, for
``messenger-server admin``. Offline admin commands take the lock too, so a server cannot start in
the middle of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

LOCK_FILE = "server.lock"
RUN_FILE = "server.run"


class DataDirInUse(Exception):
    """Another process (a server, or an admin command) is using the data folder."""


class DataDirLock:
    """An advisory lock on ``data_dir / name``, held while this object holds it."""

    def __init__(self, data_dir: Path, name: str = LOCK_FILE) -> None:
        self.path = data_dir / name
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def acquire(self) -> None:
        if not self.try_acquire():
            raise DataDirInUse(
                f"{self.path.parent} is in use by another messenger-server (or an admin command)"
            )

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def local_url(host: str, port: int) -> str:
    """The URL a process on this machine reaches a server listening on ``host:port`` at."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def write_run_info(data_dir: Path, url: str) -> None:
    path = data_dir / RUN_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "url": url}), "utf-8")
    os.replace(tmp, path)


def read_run_info(data_dir: Path) -> str | None:
    """The URL in ``server.run``, if there is a readable one."""
    try:
        info = json.loads((data_dir / RUN_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    url = info.get("url") if isinstance(info, dict) else None
    return url if isinstance(url, str) and url.startswith("http") else None


def read_run_pid(data_dir: Path) -> int | None:
    """The process ID in ``server.run``, if there is a readable one."""
    try:
        info = json.loads((data_dir / RUN_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    pid = info.get("pid") if isinstance(info, dict) else None
    return pid if isinstance(pid, int) else None


def clear_run_info(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (data_dir / RUN_FILE).unlink()
