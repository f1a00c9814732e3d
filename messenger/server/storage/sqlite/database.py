"""SQLite engine: one writer thread that commits in small batches, and a pool of reader threads.

Writes are jobs (``fn(txn) -> result``) queued to the writer. The writer takes every job waiting,
runs each inside its own SAVEPOINT (a job that raises is rolled back alone), commits the batch
once, and then hands the results back to the event loop in one call: first every job's
``on_commit`` callback in commit order (the hub dispatches pushes there, so pushes leave in version
order), then the awaiting futures. Under load a batch holds hundreds of messages and the cost of a
commit (an fsync with ``synchronous=FULL``) is shared by all of them.

The server-wide version counter lives here: jobs draw versions from ``txn.next_version()``; a job
that fails gives its versions back.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from messenger.protocol.errors import MessengerError, ServerError
from messenger.server.storage.sqlite.search import register_functions

log = logging.getLogger(__name__)

T = TypeVar("T")

_MAX_BATCH = 1000


class Rollback(Exception):
    """Raised by a job: undo its writes but answer its caller with ``result`` (not an error)."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class WriteTxn:
    """What a write job sees: the writer's connection and the version counter."""

    __slots__ = ("_version", "conn")

    def __init__(self, conn: sqlite3.Connection, version: int) -> None:
        self.conn = conn
        self._version = version

    def next_version(self) -> int:
        self._version += 1
        return self._version

    def give_back(self, version: int) -> None:
        """``version``, the last one drawn, was not used after all."""
        if version == self._version:
            self._version -= 1

    @property
    def version(self) -> int:
        return self._version


@dataclass(slots=True)
class _Job(Generic[T]):
    fn: Callable[[WriteTxn], T]
    future: asyncio.Future[T]
    on_commit: Callable[[T], None] | None
    atomic: bool = False
    result: Any = None
    error: BaseException | None = None


@dataclass(slots=True)
class WriterStats:
    batches: int = 0
    jobs: int = 0
    last_batch_size: int = 0
    commit_seconds: float = 0.0
    batch_sizes: list[int] = field(default_factory=list)


def connect(path: Path, *, synchronous: str = "FULL", readonly: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-32768")
    conn.execute("PRAGMA mmap_size=268435456")
    if readonly:
        conn.execute("PRAGMA query_only=1")
    register_functions(conn)  # the search index's triggers call them
    return conn


class SqliteDatabase:
    """Owns the writer thread, the reader pool and the version counter."""

    def __init__(
        self,
        path: Path,
        *,
        synchronous: str = "FULL",
        readers: int = 2,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        self.path = path
        self._synchronous = synchronous
        self._readers = readers
        self._on_batch = on_batch
        # (first, last): a committed batch drew these versions; called after its on_commit
        # callbacks (the node bus announces it to the other nodes: the hub's version horizon)
        self.on_versions: Callable[[int, int], None] | None = None
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._read_pool: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._reader_conns: list[sqlite3.Connection] = []
        self._reader_lock = threading.Lock()
        self._version = 0
        self._closed = False
        self.stats = WriterStats()

    # -- lifecycle -------------------------------------------------------------------------------------
    def open(self, schema: Callable[[sqlite3.Connection], object]) -> None:
        """Create or migrate the schema and start the threads (call from the event loop)."""
        self._loop = asyncio.get_running_loop()
        conn = connect(self.path, synchronous=self._synchronous)
        try:
            schema(conn)
        except BaseException:
            conn.close()
            raise
        row = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        self._version = int(row[0]) if row else 0
        self._thread = threading.Thread(
            target=self._writer_main, args=(conn,), name="sqlite-writer", daemon=True
        )
        self._thread.start()
        self._read_pool = ThreadPoolExecutor(self._readers, thread_name_prefix="sqlite-reader")

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)
        if self._read_pool is not None:
            self._read_pool.shutdown(wait=True)
        with self._reader_lock:
            for conn in self._reader_conns:
                conn.close()
            self._reader_conns.clear()

    @property
    def version(self) -> int:
        """The last version committed (read on the loop thread; may lag a running batch)."""
        return self._version

    # -- writes ----------------------------------------------------------------------------------------
    def write(
        self,
        fn: Callable[[WriteTxn], T],
        on_commit: Callable[[T], None] | None = None,
        *,
        atomic: bool = False,
    ) -> asyncio.Future[T]:
        """Queue ``fn`` for the writer. ``atomic``: ``fn`` only reads and writes the database
        and raises only to undo all it did (no ``Rollback``), so it may run twice."""
        if self._closed or self._loop is None:
            raise ServerError("storage is closed")
        future: asyncio.Future[T] = self._loop.create_future()
        self._queue.put(_Job(fn, future, on_commit, atomic))
        return future

    def _writer_main(self, conn: sqlite3.Connection) -> None:
        version = self._version
        while True:
            job = self._queue.get()
            if job is None:
                break
            jobs = [job]
            stop = False
            while len(jobs) < _MAX_BATCH:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                jobs.append(nxt)
            version = self._run_batch(conn, jobs, version)
            if stop:
                break
        conn.close()

    # -- what another engine changes (postgres/database.py) ------------------------------------------
    _errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def _begin(self, conn: sqlite3.Connection, version: int) -> tuple[sqlite3.Connection, int]:
        """Open the batch's transaction; the connection the jobs use and the version to go on
        from."""
        conn.execute("BEGIN IMMEDIATE")
        return conn, version

    def _before_commit(self, conn: sqlite3.Connection, version: int) -> None:
        """Called in the writer thread right before each commit, with the last version the
        batch drew (tests delay a commit here)."""

    def _savepoint(self, conn: sqlite3.Connection, name: str = "job") -> None:
        conn.execute(f"SAVEPOINT {name}")

    def _release(self, conn: sqlite3.Connection, name: str = "job") -> None:
        conn.execute(f"RELEASE {name}")

    def _undo(self, conn: sqlite3.Connection, name: str = "job") -> None:
        conn.execute(f"ROLLBACK TO {name}")

    # Runs of ``atomic`` jobs share one savepoint where a savepoint costs a round trip to the
    # database (PostgreSQL); SQLite's cost a function call, so each job keeps its own.
    _atomic_runs = False

    def _run_job(self, conn: sqlite3.Connection, txn: WriteTxn, job: _Job[Any]) -> None:
        """One job in its own savepoint: a job that raises is undone alone."""
        before = txn.version
        self._savepoint(conn)
        try:
            job.result = job.fn(txn)
            self._release(conn)
        except Rollback as undo:
            self._undo(conn)
            self._release(conn)
            txn._version = before
            job.result = undo.result
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting caller
            self._undo(conn)
            self._release(conn)
            txn._version = before
            job.error = exc

    def _run_atomic(self, conn: sqlite3.Connection, txn: WriteTxn, run: list[_Job[Any]]) -> None:
        """Atomic jobs under one savepoint; if any raises, the run is undone and run again, each
        job in its own savepoint (atomic jobs may run twice: they only read and write the
        database)."""
        before = txn.version
        self._savepoint(conn, "atomic")
        try:
            for job in run:
                job.result = job.fn(txn)
        except BaseException:  # noqa: BLE001 - the careful way tells each caller its outcome
            self._undo(conn, "atomic")
            txn._version = before
            for job in run:
                job.result = None
                self._run_job(conn, txn, job)
        self._release(conn, "atomic")

    def _run_jobs(self, conn: sqlite3.Connection, txn: WriteTxn, jobs: list[_Job[Any]]) -> None:
        at = 0
        while at < len(jobs):
            end = at + 1
            if self._atomic_runs and jobs[at].atomic:
                while end < len(jobs) and jobs[end].atomic:
                    end += 1
            if end - at > 1:
                self._run_atomic(conn, txn, jobs[at:end])
            else:
                self._run_job(conn, txn, jobs[at])
            at = end

    def _run_batch(self, conn: sqlite3.Connection, jobs: list[_Job[Any]], version: int) -> int:
        started = time.perf_counter()
        txn = WriteTxn(conn, version)
        first = version + 1
        try:
            job_conn, version = self._begin(conn, version)
            first = version + 1
            txn = WriteTxn(job_conn, version)
            self._run_jobs(job_conn, txn, jobs)
            if txn.version != version:
                job_conn.execute("UPDATE meta SET value=? WHERE key='version'", (txn.version,))
            self._before_commit(job_conn, txn.version)
            conn.execute("COMMIT")
        except self._errors as exc:
            log.exception("write batch of %d jobs failed", len(jobs))
            try:
                conn.execute("ROLLBACK")
            except self._errors:
                pass
            failure = ServerError(f"storage failure: {exc}")
            for job in jobs:
                job.error, job.result = failure, None
            txn._version = version
        elapsed = time.perf_counter() - started
        self.stats.batches += 1
        self.stats.jobs += len(jobs)
        self.stats.last_batch_size = len(jobs)
        self.stats.commit_seconds += elapsed
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._finish_batch, jobs, txn.version, elapsed, first)
        except RuntimeError:  # the loop is gone (shutdown): nobody is waiting any more
            pass
        return txn.version

    def _finish_batch(
        self, jobs: list[_Job[Any]], version: int, elapsed: float, first: int = 0
    ) -> None:
        self._version = max(self._version, version)  # (another engine may have seen a later one)
        if self._on_batch is not None:
            self._on_batch(len(jobs), elapsed)
        for job in jobs:
            if job.error is None and job.on_commit is not None:
                try:
                    job.on_commit(job.result)
                except Exception:
                    log.exception("on_commit callback failed")
        if self.on_versions is not None and first and version >= first:
            self.on_versions(first, version)
        for job in jobs:
            if job.future.cancelled():
                continue
            if job.error is not None:
                err = job.error
                if not isinstance(err, (MessengerError, *self._errors)):
                    log.error("write job failed", exc_info=err)
                job.future.set_exception(err)
            else:
                job.future.set_result(job.result)

    # -- reads -----------------------------------------------------------------------------------------
    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, synchronous=self._synchronous, readonly=True)
            self._local.conn = conn
            with self._reader_lock:
                self._reader_conns.append(conn)
        return conn

    def _run_read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._reader()
        conn.execute("BEGIN")
        try:
            return fn(conn)
        finally:
            conn.execute("COMMIT")

    def _run_statement(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn`` without a transaction of its own: each of its statements sees the newest
        commit (SQLite: the same as ``_run_read``, whose transaction costs nothing)."""
        return self._run_read(fn)

    async def read(self, fn: Callable[[sqlite3.Connection], T], *, snapshot: bool = True) -> T:
        """Run ``fn`` in one read transaction (a consistent snapshot) on a reader thread;
        ``snapshot=False`` for a read whose statements need not agree with each other (on
        PostgreSQL it saves the round trips that open and close the transaction)."""
        if self._closed or self._read_pool is None or self._loop is None:
            raise ServerError("storage is closed")
        run = self._run_read if snapshot else self._run_statement
        return await self._loop.run_in_executor(self._read_pool, run, fn)
