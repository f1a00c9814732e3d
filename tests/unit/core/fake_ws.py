"""A scripted WebSocket server on loopback, speaking the protocol's frames."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType

from websockets.asyncio.server import Server, ServerConnection, serve

from messenger.protocol.frames import (
    AnyClientFrame,
    Hello,
    ServerFrame,
    decode_client_frame,
    encode,
)


class Peer:
    """One accepted connection, from the server's side."""

    def __init__(self, conn: ServerConnection, hello: Hello) -> None:
        self.conn = conn
        self.hello = hello

    async def send(self, frame: ServerFrame) -> None:
        await self.conn.send(encode(frame).decode())

    async def recv(self) -> AnyClientFrame:
        return decode_client_frame(await self.conn.recv())

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.conn.close(code, reason)


Script = Callable[[Peer], Awaitable[None]]


class FakeWsServer:
    """Runs ``script`` for each connection after reading its ``hello``."""

    def __init__(self, script: Script, *, compressed: bool = True) -> None:
        self.script = script
        self._compression = "deflate" if compressed else None
        self.peers: list[Peer] = []
        self.connected = asyncio.Condition()
        self._server: Server | None = None
        self.url = ""

    async def __aenter__(self) -> FakeWsServer:
        self._server = await serve(self._handle, "127.0.0.1", 0, compression=self._compression)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/v1/ws"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, conn: ServerConnection) -> None:
        hello = decode_client_frame(await conn.recv())
        assert isinstance(hello, Hello)
        peer = Peer(conn, hello)
        self.peers.append(peer)
        async with self.connected:
            self.connected.notify_all()
        await self.script(peer)

    async def wait_for_peers(self, count: int, within: float = 3.0) -> None:
        async with asyncio.timeout(within), self.connected:
            await self.connected.wait_for(lambda: len(self.peers) >= count)
