"""PostgreSQL engine: the SQLite engine's writer thread and group commit over one psycopg
connection, and a pool of connections for reads.

**Versions across writers.** Several servers may write to one database. Each write batch's
transaction starts by locking the version counter's row (``SELECT ... FOR UPDATE``) and ends by
storing the counter, so batches that draw versions commit one after another, in version order,
whichever server runs them: a change can never commit after another one with a larger version.
A reader's snapshot (``REPEATABLE READ``) therefore holds every version up to the counter it
sees and none above it, and "everything after V" never skips a change that commits later. The
cost is one batch at a time across all servers; a batch carries every job waiting on its
server, so under load each lock is shared by hundreds of writes (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

import psycopg
from psycopg_pool import ConnectionPool

from messenger.protocol.errors import ServerError
from messenger.server.storage.postgres.connection import (
    PgConnection,
    PgReadConnection,
    configure,
)
from messenger.server.storage.postgres.search_index import index_batch
from messenger.server.storage.sqlite.database import SqliteDatabase

T = TypeVar("T")


class PostgresDatabase(SqliteDatabase):
    """Owns the writer thread, the reader pool and this server's view of the version counter."""

    _errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(
        self,
        dsn: str,
        *,
        readers: int = 4,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        # (the SQLite engine's file path is not used by this engine: the DSN stands in for it)
        super().__init__(cast(Any, dsn), readers=readers, on_batch=on_batch)
        self.dsn = dsn
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self.commit_gate: Callable[[], None] | None = None  # tests: hold a commit back
        self._unreleased: list[str] = []  # (writer thread) savepoints to release before the next
        self._batch_start = 0  # (writer thread) the counter as the running batch found it

    def open(self, schema: Callable[[Any], object]) -> None:
        self._loop = asyncio.get_running_loop()
        writer = PgConnection(self.dsn)
        try:
            schema(writer.raw)
            row = writer.raw.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except BaseException:
            writer.close()
            raise
        self._version = int(row[0]) if row else 0
        self._pool = ConnectionPool(
            self.dsn,
            min_size=1,
            max_size=self._readers,
            configure=configure,
            check=ConnectionPool.check_connection,
            open=True,
            name="messenger-readers",
        )
        self._thread = threading.Thread(
            target=self._writer_main,
            args=(cast(sqlite3.Connection, writer),),
            name="postgres-writer",
            daemon=True,
        )
        self._thread.start()
        self._read_pool = ThreadPoolExecutor(self._readers, thread_name_prefix="postgres-reader")

    async def close(self) -> None:
        if self._closed:
            return
        await super().close()
        if self._pool is not None:
            await asyncio.to_thread(self._pool.close)

    def observe(self, version: int) -> None:
        """A version committed somewhere (a read's snapshot saw it): ``version`` never goes back."""
        self._version = max(self._version, version)

    # -- writes ----------------------------------------------------------------------------------
    def _begin(self, conn: sqlite3.Connection, version: int) -> tuple[sqlite3.Connection, int]:
        writer = cast(PgConnection, conn)
        if writer.broken:  # the database restarted: this batch goes on a new connection
            writer.reconnect()
        self._unreleased.clear()
        writer.execute("BEGIN")
        row = writer.execute("SELECT value FROM meta WHERE key='version' FOR UPDATE").fetchone()
        if row is None:
            raise ServerError("the database has no version counter")
        self._batch_start = int(row[0])
        return conn, self._batch_start

    def _before_commit(self, conn: sqlite3.Connection, version: int) -> None:
        if version > self._batch_start:  # (a batch that drew no version changed no message)
            index_batch(conn, self._batch_start)  # the search index, in the batch's transaction
        if self.commit_gate is not None:
            self.commit_gate()

    # A savepoint costs a round trip: runs of atomic jobs (message inserts) share one, and a
    # release travels with the next savepoint command (the last ones are released by the commit).
    _atomic_runs = True

    def _with_releases(self, sql: str) -> str:
        releases = [f"RELEASE {name}; " for name in self._unreleased]
        self._unreleased.clear()
        return "".join(releases) + sql

    def _savepoint(self, conn: sqlite3.Connection, name: str = "job") -> None:
        conn.execute(self._with_releases(f"SAVEPOINT {name}"))

    def _release(self, conn: sqlite3.Connection, name: str = "job") -> None:
        self._unreleased.append(name)

    def _undo(self, conn: sqlite3.Connection, name: str = "job") -> None:
        conn.execute(self._with_releases(f"ROLLBACK TO {name}"))

    # -- reads -----------------------------------------------------------------------------------
    def _run_read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._pool is None:
            raise ServerError("storage is closed")
        with self._pool.connection() as raw:
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                return fn(cast(sqlite3.Connection, PgReadConnection(raw)))
            finally:
                raw.execute("ROLLBACK")

    def _run_statement(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._pool is None:
            raise ServerError("storage is closed")
        with self._pool.connection() as raw:  # (autocommit: each statement its own snapshot)
            return fn(cast(sqlite3.Connection, PgReadConnection(raw)))
