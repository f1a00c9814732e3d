"""Lean clients for the load generator: a WebSocket client and an HTTP/1.1 client on asyncio
protocols (no streams, no library), so that the generator costs little per frame and per socket.

Both stamp ``time.monotonic_ns()`` when the bytes arrive (``data_received``), before anything is
parsed, so decoding in the generator does not count as latency of the server. The monotonic clock
is system-wide on Linux, so stamps agree across the generator's processes.

The WebSocket client masks what it sends with a zero key (RFC 6455 requires a mask, not a random
one from a client: servers only unmask), which makes masking free. With ``deflate`` it offers
permessage-deflate as the ``websockets`` library (and so our desktop client) does, and inflates
what the server compresses; it sends uncompressed (RFC 7692 allows either, per message).
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
import zlib
from collections import deque
from collections.abc import Callable
from typing import Any

OnText = Callable[[bytes, int], None]

_ZERO_MASK = b"\x00\x00\x00\x00"


def ws_frame(opcode: int, payload: bytes) -> bytes:
    """One final client frame (masked with the zero key)."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + _ZERO_MASK + payload


def parse_frames(buf: bytearray) -> tuple[list[tuple[bool, int, bytes]], int]:
    """Complete frames at the start of ``buf``: ``[(fin, opcode, payload)]`` and bytes used.
    ``opcode`` carries the RSV1 bit (compressed) as ``0x40``."""
    out: list[tuple[bool, int, bytes]] = []
    pos, size = 0, len(buf)
    while size - pos >= 2:
        b0, b1 = buf[pos], buf[pos + 1]
        n, head = b1 & 0x7F, 2
        if n == 126:
            if size - pos < 4:
                break
            n, head = struct.unpack_from("!H", buf, pos + 2)[0], 4
        elif n == 127:
            if size - pos < 10:
                break
            n, head = struct.unpack_from("!Q", buf, pos + 2)[0], 10
        mask = b""
        if b1 & 0x80:  # a server never masks, but a stub might
            mask = bytes(buf[pos + head : pos + head + 4])
            head += 4
        if size - pos < head + n:
            break
        payload = bytes(buf[pos + head : pos + head + n])
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        out.append((bool(b0 & 0x80), b0 & 0x4F, payload))  # opcode, with RSV1 as 0x40
        pos += head + n
    return out, pos


class WsClient(asyncio.Protocol):
    """A WebSocket client connection. Text messages go to ``on_text(payload, arrived_ns)`` if set,
    else to an inbox read with ``await recv()``."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.on_text: OnText | None = None
        self.inflater: Any = None  # a zlib decompressobj once permessage-deflate is agreed
        self._buf = bytearray()
        self._handshaken = False
        self._handshake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._inbox: deque[tuple[bytes, int]] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._fragments: list[bytes] = []
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.close_code: int | None = None

    @classmethod
    async def connect(
        cls, host: str, port: int, path: str, wait_s: float = 60, deflate: bool = False
    ) -> WsClient:
        loop = asyncio.get_running_loop()
        transport, proto = await asyncio.wait_for(loop.create_connection(cls, host, port), wait_s)
        proto.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n"
                + (
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    if deflate
                    else ""
                )
                + "\r\n"
            ).encode()
        )
        await asyncio.wait_for(proto._handshake, wait_s)
        return proto

    # -- asyncio.Protocol ------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # (uvloop's is no subclass)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._handshake.done():
            self._handshake.set_exception(exc or ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)
        self._wake()

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        buf = self._buf
        buf += data
        if not self._handshaken:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).lower()
            status = bytes(buf[: buf.find(b"\r\n")])
            del buf[: end + 4]
            if b"sec-websocket-extensions: permessage-deflate" in head:
                self.inflater = zlib.decompressobj(-15)
            if b" 101 " not in status:
                self._handshake.set_exception(ConnectionError(status.decode("latin-1")))
                assert self.transport is not None
                self.transport.close()
                return
            self._handshaken = True
            self._handshake.set_result(None)
        frames, used = parse_frames(buf)
        if used:
            del buf[:used]
        for fin, opcode, payload in frames:
            if opcode & 0x40:  # RSV1: a compressed message (fragments: not from our server)
                opcode &= 0x0F
                payload = self.inflater.decompress(payload + b"\x00\x00\xff\xff")
            if opcode == 0x0:  # continuation
                self._fragments.append(payload)
                if fin:
                    self._deliver(b"".join(self._fragments), now)
                    self._fragments = []
            elif opcode in (0x1, 0x2):
                if fin:
                    self._deliver(payload, now)
                else:
                    self._fragments = [payload]
            elif opcode == 0x9:  # ping
                self._write(ws_frame(0xA, payload))
            elif opcode == 0x8:  # close: answer and hang up
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                self._write(ws_frame(0x8, payload[:2]))
                assert self.transport is not None
                self.transport.close()

    # -- messages --------------------------------------------------------------------------------------
    def _deliver(self, payload: bytes, now: int) -> None:
        if self.on_text is not None:
            self.on_text(payload, now)
        else:
            self._inbox.append((payload, now))
            self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def recv(self, wait_s: float | None = None) -> bytes:
        """The next text message (only while ``on_text`` is not set)."""
        while not self._inbox:
            if self.closed.done():
                raise ConnectionError(f"closed ({self.close_code})")
            self._waiter = asyncio.get_running_loop().create_future()
            await asyncio.wait_for(self._waiter, wait_s)
        return self._inbox.popleft()[0]

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def send(self, text: bytes | str) -> None:
        self._write(ws_frame(0x1, text.encode() if isinstance(text, str) else text))

    def close(self) -> None:
        self._write(ws_frame(0x8, struct.pack("!H", 1000)))
        if self.transport is not None:
            self.transport.close()


class HttpConn(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._pending: asyncio.Future[tuple[int, bytes, int]] | None = None
        self._first_ns = 0
        self.host = ""

    @classmethod
    async def connect(cls, host: str, port: int, wait_s: float = 60) -> HttpConn:
        loop = asyncio.get_running_loop()
        transport, proto = await asyncio.wait_for(loop.create_connection(cls, host, port), wait_s)
        proto.transport = transport
        proto.host = f"{host}:{port}"
        return proto

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # (uvloop's is no subclass)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.set_exception(exc or ConnectionError("connection closed"))
        self.transport = None

    def data_received(self, data: bytes) -> None:
        if not self._buf:
            self._first_ns = time.monotonic_ns()
        self._buf += data
        parsed = parse_response(self._buf)
        if parsed is None:
            return
        status, body, used = parsed
        del self._buf[:used]
        if self._pending is not None and not self._pending.done():
            self._pending.set_result((status, body, self._first_ns))

    async def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: str = "",
        wait_s: float | None = 120,
    ) -> tuple[int, bytes, int]:
        """``(status, body, arrived_ns)``; ``headers`` are extra ``Name: value\\r\\n`` lines."""
        if self.transport is None:
            raise ConnectionError("connection closed")
        self._pending = asyncio.get_running_loop().create_future()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{headers}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.transport.write(head.encode() + b"\r\n" + (body or b""))
        return await asyncio.wait_for(self._pending, wait_s)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


def parse_response(buf: bytearray) -> tuple[int, bytes, int] | None:
    """A complete HTTP/1.1 response at the start of ``buf``: ``(status, body, bytes used)``."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    length, chunked = 0, False
    for line in head[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    start = end + 4
    if not chunked:
        if len(buf) < start + length:
            return None
        return status, bytes(buf[start : start + length]), start + length
    body = bytearray()
    pos = start
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        pos = line_end + 2
        if size == 0:
            trailer_end = buf.find(b"\r\n", pos)
            if trailer_end < 0:
                return None
            return status, bytes(body), trailer_end + 2
        if len(buf) < pos + size + 2:
            return None
        body += buf[pos : pos + size]
        pos += size + 2


class HttpPool:
    """A few keep-alive connections for setting things up: JSON in, JSON out."""

    def __init__(self, host: str, port: int, size: int = 16) -> None:
        self.host, self.port = host, port
        self._idle: asyncio.Queue[HttpConn | None] = asyncio.Queue()
        for _ in range(size):
            self._idle.put_nowait(None)  # opened on first use

    async def call(
        self,
        method: str,
        path: str,
        body: object = None,
        token: str | None = None,
        headers: str = "",
        wait_s: float = 600,
    ) -> tuple[int, Any]:
        import json

        conn = await self._idle.get()
        try:
            if conn is None or conn.transport is None:
                conn = await HttpConn.connect(self.host, self.port)
            extra = headers + (f"Authorization: Bearer {token}\r\n" if token else "")
            data = None if body is None else json.dumps(body).encode()
            status, raw, _ = await conn.request(method, path, data, extra, wait_s=wait_s)
        except BaseException:
            if conn is not None:
                conn.close()
            self._idle.put_nowait(None)
            raise
        self._idle.put_nowait(conn)
        return status, (json.loads(raw) if raw else None)

    async def ok(self, method: str, path: str, body: object = None, **kw: Any) -> Any:
        """``call``, raising on a status other than 200."""
        status, answer = await self.call(method, path, body, **kw)
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {answer}")
        return answer

    async def close(self) -> None:
        while not self._idle.empty():
            conn = self._idle.get_nowait()
            if conn is not None:
                conn.close()
