"""A throw-away PostgreSQL cluster on loopback for the tests and benchmarks: ``initdb`` into a
temporary folder, ``pg_ctl start`` on a free port, removed at the end. The real server, no mocks.

    with PostgresCluster.start() as cluster:       # or the ``postgres`` fixture (one per run)
        dsn = cluster.fresh_schema()                # as good as a fresh, empty database
        ... PostgresStorage(dsn) / messenger-server --database dsn ...

PostgreSQL refuses to run as root: as root the cluster runs as the ``postgres`` system user
(created by Debian's package), else as a user made for it. The binaries are found on PATH or in
``/usr/lib/postgresql/<version>/bin`` (``scripts/system_deps.sh test`` installs them).
``durable=False`` (the tests) turns fsync and synchronous commits off: a stop with ``-m
immediate`` (``restart()``) then loses the last commits, so tests that restart or kill
PostgreSQL and benchmarks use ``durable=True`` (PostgreSQL's defaults).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

_SUPERUSER = "messenger"


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for folder in reversed(versions):
        if (folder / name).exists():
            return str(folder / name)
    raise RuntimeError(
        f"PostgreSQL's {name} was not found: run `sh scripts/system_deps.sh test` "
        "(or apt-get install postgresql)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> str | None:
    """The user to run PostgreSQL as (None: this one)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd  # (POSIX only)

    for name in ("postgres", "messenger-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "messenger-pg"], check=True)
    return "messenger-pg"


class PostgresCluster:
    def __init__(self, root: Path, port: int, user: str | None) -> None:
        self.root = root
        self.data = root / "data"
        self.port = port
        self.user = user
        self._names = itertools.count(1)
        self._options = ""

    def dsn(self, database: str = "postgres", schema: str | None = None) -> str:
        tail = f"?options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{database}{tail}"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.user, "--", *args] if self.user else list(args)

    @classmethod
    @contextmanager
    def start(cls, *, durable: bool = False) -> Iterator[PostgresCluster]:
        root = Path(tempfile.mkdtemp(prefix="messenger-pg-"))
        user = _run_as()
        if user:
            shutil.chown(root, user)
        cluster = cls(root, _free_port(), user)
        try:
            cluster._init_and_start(durable)
            yield cluster
        finally:
            cluster.stop()
            shutil.rmtree(root, ignore_errors=True)

    def _init_and_start(self, durable: bool) -> None:
        subprocess.run(
            self._cmd(
                pg_bin("initdb"), "-D", str(self.data), "-U", _SUPERUSER, "--auth=trust",
                "--no-locale", "-E", "UTF8", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories=''"
        options += " -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._options = options
        self._start()

    def _start(self) -> None:
        # -l: the server's output goes to a file, not to pg_ctl's pipes (which would stay open)
        self.pg_ctl("start", "-w", "-t", "60", "-o", self._options, "-l", str(self.root / "log"))

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            self._cmd(pg_bin("pg_ctl"), "-D", str(self.data), *args),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    def restart(self) -> None:
        """Stop it at once (open connections are cut) and start it again on the same port."""
        self.pg_ctl("stop", "-w", "-m", "immediate", "-t", "60")
        self._start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.pg_ctl("stop", "-m", "immediate", "-w")
            except subprocess.SubprocessError:
                pass

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its DSN (about a second: tests use ``fresh_schema``)."""
        name = name or f"test_{next(self._names)}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def fresh_schema(self) -> str:
        """A DSN whose tables live in a new, empty schema of the ``postgres`` database: as good
        as a new database for the server, and made in milliseconds."""
        name = f"s{next(self._names)}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.dsn(schema=name)


_shared: list[tuple[PostgresCluster, object]] = []


def shared_cluster() -> PostgresCluster:
    """One cluster for this process (the tests' ``postgres`` fixture and the servers the tests
    start when ``MESSENGER_TEST_DATABASE=postgresql``), started on first use, removed at exit."""
    if not _shared:
        if sys.platform != "linux":
            try:
                pg_bin("initdb")
            except RuntimeError as exc:  # make test installs PostgreSQL on Linux only
                pytest.skip(str(exc))
        manager = PostgresCluster.start()
        cluster = manager.__enter__()
        atexit.register(manager.__exit__, None, None, None)
        _shared.append((cluster, manager))
    return _shared[0][0]


def test_database() -> str:
    """``MESSENGER_TEST_DATABASE``: "sqlite" (the default) or "postgresql"."""
    chosen = os.environ.get("MESSENGER_TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
    if chosen not in ("sqlite", "postgresql"):
        raise ValueError(f"MESSENGER_TEST_DATABASE must be sqlite or postgresql, not {chosen!r}")
    return chosen
