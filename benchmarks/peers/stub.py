"""Stub servers that do nothing but answer, to measure the load generator's own ceiling.

- WebSocket stub (our protocol): ``hello`` → ``synced``; ``send`` → ``ack`` to the sender and a
  ``changes`` frame to the device whose token is the receiver's user ID.
- Matrix stub: ``PUT …/send/…`` → ``{"event_id"}`` and the event queued for the room's
  ``/sync``; ``GET /sync`` answers at once when something is queued for the room named by the
  access token, else waits for it.

Running the C2C workload against them shows how many messages per second the generator itself can
push and receive with the same number of processes (the stub costs CPU too, so this is a lower
bound of the generator's ceiling).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import multiprocessing as mp
import socket
from collections import deque
from typing import Any, ClassVar

from benchmarks.peers.wire import parse_frames

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B85"


def _server_frame(payload: bytes) -> bytes:
    n = len(payload)
    if n < 126:
        return bytes((0x81, n)) + payload
    if n < 65536:
        return bytes((0x81, 126)) + n.to_bytes(2, "big") + payload
    return bytes((0x81, 127)) + n.to_bytes(8, "big") + payload


class WsStub(asyncio.Protocol):
    devices: ClassVar[dict[str, WsStub]] = {}

    def __init__(self) -> None:
        self.buf = bytearray()
        self.open = False
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.open:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            key = b""
            for line in bytes(self.buf[:end]).split(b"\r\n"):
                if line.lower().startswith(b"sec-websocket-key:"):
                    key = line.split(b":", 1)[1].strip()
            accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
            self.transport.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            del self.buf[: end + 4]
            self.open = True
        frames, used = parse_frames(self.buf)
        del self.buf[:used]
        for _, opcode, payload in frames:
            if opcode == 0x8:
                self.transport.close()
                return
            if opcode != 0x1:
                continue
            frame = json.loads(payload)
            if frame["t"] == "hello":
                WsStub.devices[frame["token"]] = self
                self.transport.write(_server_frame(b'{"t":"synced","version":0}'))
            elif frame["t"] == "send":
                self.transport.write(_server_frame(b'{"t":"ack","id":%d}' % frame["id"]))
                peer = WsStub.devices.get(frame["conversation_id"][3:])
                if peer is not None:
                    text = json.dumps(frame["msg"]["body"]["text"])
                    peer.transport.write(
                        _server_frame(
                            (
                                '{"t":"changes","changes":[{"c":"message","v":1,'
                                f'"message":{{"body":{{"text":{text}}}}}}}]}}'
                            ).encode()
                        )
                    )


class MatrixStub(asyncio.Protocol):
    rooms: ClassVar[dict[str, deque[dict[str, Any]]]] = {}
    waiting: ClassVar[dict[str, MatrixStub]] = {}

    def __init__(self) -> None:
        self.buf = bytearray()
        self.transport: Any = None
        self.room = ""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def _answer(self, body: bytes) -> None:
        self.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % len(body)
            + body
        )

    def _sync_answer(self) -> None:
        events = list(MatrixStub.rooms.get(self.room, ()))
        MatrixStub.rooms.get(self.room, deque()).clear()
        rooms = {self.room: {"timeline": {"events": events}}} if events else {}
        self._answer(json.dumps({"next_batch": "s", "rooms": {"join": rooms}}).encode())

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            length, token = 0, ""
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "authorization":
                    token = value.strip().split(" ", 1)[1]
            if len(self.buf) < end + 4 + length:
                return
            body = bytes(self.buf[end + 4 : end + 4 + length])
            del self.buf[: end + 4 + length]
            if method == "PUT":
                room = path.split("/")[5].replace("%21", "!").replace("%3A", ":")
                content = json.loads(body)
                event = {"type": "m.room.message", "sender": "@stub", "content": content}
                MatrixStub.rooms.setdefault(room, deque()).append(event)
                self._answer(b'{"event_id":"$stub"}')
                waiter = MatrixStub.waiting.pop(room, None)
                if waiter is not None:
                    waiter._sync_answer()
            elif "timeout=0&" in path or path.rsplit("?", 1)[-1] == "timeout=0":
                self.room = token
                self._answer(b'{"next_batch":"s"}')
            else:
                self.room = token
                if MatrixStub.rooms.get(token):
                    self._sync_answer()
                else:
                    MatrixStub.waiting[token] = self


def _serve(kind: str, sock: socket.socket) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    async def main() -> None:
        factory = WsStub if kind == "ws" else MatrixStub
        server = await asyncio.get_running_loop().create_server(factory, sock=sock)
        await server.serve_forever()

    asyncio.run(main())


class Stub:
    """A stub server in a process of its own."""

    def __init__(self, kind: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]
        self.proc = mp.get_context("spawn").Process(target=_serve, args=(kind, self.sock))
        self.proc.start()

    @property
    def pid(self) -> int:
        assert self.proc.pid is not None
        return self.proc.pid

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.sock.close()
