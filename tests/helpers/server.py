"""Run the real ``messenger-server`` as a child process on a loopback port.

With ``MESSENGER_TEST_DATABASE=postgresql`` every server the tests start keeps its data in
PostgreSQL (a fresh schema of the run's throw-away cluster, kept across its restarts) instead of
SQLite in its data folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.helpers.postgres import shared_cluster, test_database

SDK_APP_ID = 1400000001
SECRET_KEY = "test-secret-key-0123456789abcdef0123456789abcdef"


class ServerProcess:
    """One server: ``start()``, ``stop()`` (graceful), ``kill()`` (SIGKILL), ``restart()``."""

    def __init__(
        self,
        data_dir: Path,
        *extra_args: str,
        env: dict[str, str] | None = None,
        credentials: bool = True,
    ) -> None:
        """``credentials``: pass the test SDKAppID and key as flags (else the server's own)."""
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.env = env or {}
        self.credentials = credentials
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "server.log"
        self.database: str | None = None  # PostgreSQL: the DSN, made on first start

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port_file = self.data_dir / "port"
        port_file.unlink(missing_ok=True)
        args = [
            sys.executable,
            "-m",
            "messenger.server.cli",
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(self.port),
            "--port-file",
            str(port_file),
            *(
                ["--sdk-app-id", str(SDK_APP_ID), "--secret-key", SECRET_KEY]
                if self.credentials
                else []
            ),
            "--log-level",
            "warning",
            *self.extra_args,
        ]
        if test_database() == "postgresql" and "--database" not in self.extra_args:
            if self.database is None:
                self.database = shared_cluster().fresh_schema()
            args += ["--database", self.database]
        log = self.log_path.open("ab")
        env = {**os.environ, **self.env}
        self.proc = subprocess.Popen(args, stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text())
                break
            time.sleep(0.02)
        else:
            raise RuntimeError("server did not start in time")
        httpx.get(self.url + "/health", timeout=5).raise_for_status()
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self, *, hard: bool = False) -> None:
        """Stop (or SIGKILL) and start again on the same port and data."""
        self.kill() if hard else self.stop()
        self.start()


@contextmanager
def shared_server(folder: Path) -> Iterator[ServerProcess]:
    """A real server shared by many tests (each uses its own user IDs): SQLite without the
    fsync per commit, which such tests do not measure; stopped at the end."""
    proc = ServerProcess(folder, "--sqlite-synchronous", "NORMAL")
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()
