"""Worker processes of the load generator and their control channel.

Each worker runs one async job in its own (uvloop) event loop. The job signals ``ready`` once its
sockets are open, may wait for commands and report progress, and returns a result. The main
process talks to every worker through a pipe.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import resource
import time
import traceback
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from typing import Any


def cpu_now() -> float:
    """CPU seconds (user + system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Control:
    """The worker's end of the pipe."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def ready(self, info: Any = None) -> None:
        self._conn.send(("ready", info))

    def report(self, info: Any) -> None:
        self._conn.send(("report", info))

    async def command(self) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, self._conn.recv)


Job = Callable[..., Awaitable[Any]]


def _main(job: Job, args: tuple[Any, ...], conn: Connection) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    try:
        result = asyncio.run(job(Control(conn), *args))
        conn.send(("result", result))
    except BaseException:  # noqa: BLE001 - reported to the main process
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class WorkerError(RuntimeError):
    pass


class Pool:
    """``len(args_list)`` workers running ``job(control, *args)``."""

    def __init__(self, job: Job, args_list: list[tuple[Any, ...]]) -> None:
        ctx = mp.get_context("spawn")
        self._conns: list[Connection] = []
        self._procs = []
        for args in args_list:
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_main, args=(job, args, theirs), daemon=True)
            proc.start()
            theirs.close()
            self._conns.append(mine)
            self._procs.append(proc)
        self.results: list[Any] = [None] * len(args_list)
        self._done = [False] * len(args_list)

    def __len__(self) -> int:
        return len(self._conns)

    def _next(self, i: int, timeout: float) -> tuple[str, Any]:
        conn = self._conns[i]
        if not conn.poll(timeout):
            raise TimeoutError(f"worker {i} said nothing for {timeout:.0f} s")
        kind, info = conn.recv()
        if kind == "error":
            raise WorkerError(f"worker {i} failed:\n{info}")
        if kind == "result":
            self.results[i] = info
            self._done[i] = True
        return kind, info

    def expect(self, i: int, kind: str, timeout: float) -> Any:
        got, info = self._next(i, timeout)
        if got != kind:
            raise WorkerError(f"worker {i}: expected {kind}, got {got}")
        return info

    def ready(self, timeout: float = 600) -> list[Any]:
        """Every worker's "ready", all within ``timeout`` seconds in total."""
        deadline = time.monotonic() + timeout
        return [
            self.expect(i, "ready", max(0.1, deadline - time.monotonic())) for i in range(len(self))
        ]

    async def aexpect(self, i: int, kind: str, wait_s: float) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, self.expect, i, kind, wait_s)

    def tell(self, message: Any) -> None:
        for conn in self._conns:
            conn.send(message)

    def tell_one(self, i: int, message: Any) -> None:
        self._conns[i].send(message)

    def finish(self, timeout: float = 600) -> list[Any]:
        for i in range(len(self)):
            while not self._done[i]:
                self._next(i, timeout)
        for proc in self._procs:
            proc.join(30)
        return self.results

    def kill(self) -> None:
        for proc in self._procs:
            if proc.is_alive():
                proc.kill()
        for proc in self._procs:
            proc.join(5)
