"""A TCP proxy on loopback in front of several server nodes, as a load balancer would be: each
new connection goes to the next node that accepts it (round robin), and ``cut()`` breaks every
open connection at once (what a network fault looks like to the clients)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools


class ChaosProxy:
    def __init__(self, backends: list[int]) -> None:
        self.backends = backends  # the nodes' ports on 127.0.0.1
        self._turn = itertools.count()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self.port = 0
        self.cuts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> ChaosProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _connect_backend(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        for _ in range(len(self.backends)):
            port = self.backends[next(self._turn) % len(self.backends)]
            with contextlib.suppress(OSError):
                return await asyncio.open_connection("127.0.0.1", port)
        return None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._serve(reader, writer)
        finally:
            self._handlers.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend = await self._connect_backend()
        if backend is None:  # every node is down: the client retries
            writer.close()
            return
        up_reader, up_writer = backend
        self._open |= {writer, up_writer}
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            for w in (writer, up_writer):
                self._open.discard(w)
                w.close()

    def cut(self) -> int:
        """Break every open connection (both sides see a reset); returns how many."""
        self.cuts += 1
        broken = list(self._open)
        for w in broken:
            transport = w.transport
            transport.abort()
        self._open.clear()
        return len(broken) // 2

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        self.cut()
        if self._handlers:  # (cut: their pipes end; a cancelled one would be logged by asyncio)
            await asyncio.wait(list(self._handlers), timeout=5)
        if self._server is not None:
            await self._server.wait_closed()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.close()
