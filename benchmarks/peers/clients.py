"""The two sides the load generator speaks: our WebSocket protocol and Matrix's client-server API.

Both offer the same three things to the workloads:

- ``receiver(cred, on_message)``: a connected device that calls ``on_message(text, arrived_ns)``
  for every message text that reaches it (ours: ``changes`` frames; Matrix: ``/sync`` long-polls);
- ``sender(cred, window)``: ``await send(text)`` hands a message over once fewer than ``window``
  are waiting for their acknowledgement (ours: ``ack`` frames; Matrix: the ``PUT``'s answer);
- ``close()`` for both.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import msgspec

from benchmarks.peers.wire import HttpConn, WsClient

OnMessage = Callable[[str, int], None]

_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class Target:
    kind: str  # "ours" | "matrix"
    host: str
    port: int
    deflate: bool = False  # ours: offer permessage-deflate, as the desktop client does


@dataclass(frozen=True)
class Cred:
    """One device: who, its token, the conversation it talks in (ours: the conversation ID as it
    sees it; Matrix: the room ID)."""

    user_id: str
    token: str
    conv: str = ""


class Receiver(Protocol):
    def close(self) -> None: ...


class Sender(Protocol):
    acked: int
    errors: int

    async def send(self, text: str) -> None: ...

    async def drain(self, wait_s: float) -> None: ...

    def close(self) -> None: ...


# -- ours -------------------------------------------------------------------------------------------------
async def ours_open(target: Target, token: str) -> WsClient:
    ws = await WsClient.connect(target.host, target.port, "/v1/ws", deflate=target.deflate)
    ws.send(_encode({"t": "hello", "token": token, "since": None}))
    while True:
        frame = _decode(await ws.recv(wait_s=120))
        if frame.get("t") == "synced":
            return ws
        if frame.get("t") == "error":
            ws.close()
            raise RuntimeError(f"hello refused: {frame['error']}")


class OurReceiver:
    def __init__(self, ws: WsClient, on_message: OnMessage) -> None:
        self.ws = ws
        self._on_message = on_message
        ws.on_text = self._text

    def _text(self, payload: bytes, now: int) -> None:
        if not payload.startswith(b'{"t":"changes"'):
            return
        for change in _decode(payload)["changes"]:
            if change["c"] == "message":
                self._on_message(change["message"]["body"].get("text", ""), now)

    def close(self) -> None:
        self.ws.close()


class OurSender:
    def __init__(self, ws: WsClient, conv: str, window: int) -> None:
        self.ws = ws
        self.conv = conv
        self.acked = 0
        self.errors = 0
        self.sent = 0
        self._credit = asyncio.Semaphore(window)
        self._prefix = secrets.token_hex(4)
        self._idle = asyncio.Event()
        self._idle.set()
        ws.on_text = self._text

    def _text(self, payload: bytes, now: int) -> None:
        if payload.startswith(b'{"t":"ack"'):
            self.acked += 1
        elif payload.startswith(b'{"t":"error"'):
            self.errors += 1
        else:
            return
        self._credit.release()
        if self.acked + self.errors >= self.sent:
            self._idle.set()

    async def send(self, text: str) -> None:
        await self._credit.acquire()
        self.sent += 1
        self._idle.clear()
        msg = {"client_msg_id": f"{self._prefix}{self.sent}", "body": {"text": text}}
        self.ws.send(
            _encode({"t": "send", "id": self.sent, "conversation_id": self.conv, "msg": msg})
        )

    async def send_stamped(self, suffix: str) -> int:
        """Send ``"<now_ns> suffix"``; the stamp is taken after the credit is there."""
        await self._credit.acquire()
        self._credit.release()
        now = time.monotonic_ns()
        await self.send(f"{now} {suffix}")
        return now

    async def drain(self, wait_s: float) -> None:
        await asyncio.wait_for(self._idle.wait(), wait_s)

    def close(self) -> None:
        self.ws.close()


async def ours_receiver(target: Target, cred: Cred, on_message: OnMessage) -> OurReceiver:
    return OurReceiver(await ours_open(target, cred.token), on_message)


async def ours_sender(target: Target, cred: Cred, window: int) -> OurSender:
    return OurSender(await ours_open(target, cred.token), cred.conv, window)


# -- Matrix -------------------------------------------------------------------------------------------------
def sync_filter(timeline_limit: int) -> str:
    """What a device asks ``/sync`` for: message events of its rooms, nothing else (URL-quoted)."""
    spec = {
        "presence": {"types": []},
        "account_data": {"types": []},
        "room": {
            "timeline": {"types": ["m.room.message"], "limit": timeline_limit},
            "state": {"types": [], "lazy_load_members": True},
            "ephemeral": {"types": []},
            "account_data": {"types": []},
        },
    }
    return quote(json.dumps(spec, separators=(",", ":")), safe="")


SYNC_FILTER = sync_filter(1000)
# For the position to start from: the same filter with a timeline of one event. (A position taken
# with a filter that leaves the rooms out makes the next /sync send their history again.)
FIRST_FILTER = sync_filter(1)


async def matrix_since(conn: HttpConn, token: str) -> str:
    status, body, _ = await conn.request(
        "GET",
        f"/_matrix/client/v3/sync?timeout=0&filter={FIRST_FILTER}",
        headers=f"Authorization: Bearer {token}\r\n",
        wait_s=600,
    )
    if status != 200:
        raise RuntimeError(f"initial /sync: {status} {body[:200]!r}")
    return str(json.loads(body)["next_batch"])


class MatrixReceiver:
    """A device long-polling ``/sync`` (30 s timeout), as a Matrix client does."""

    def __init__(self, conn: HttpConn, cred: Cred, since: str, on_message: OnMessage) -> None:
        self.conn = conn
        self.cred = cred
        self.since = since
        self._on_message = on_message
        self._auth = f"Authorization: Bearer {cred.token}\r\n"
        self._task = asyncio.ensure_future(self._loop())
        self.failures = 0

    async def _loop(self) -> None:
        while True:
            try:
                status, body, arrived = await self.conn.request(
                    "GET",
                    f"/_matrix/client/v3/sync?since={self.since}&timeout=30000&filter={SYNC_FILTER}",
                    headers=self._auth,
                    wait_s=120,
                )
            except (TimeoutError, ConnectionError, OSError):
                self.failures += 1
                if self.conn.transport is None:
                    self.conn = await HttpConn.connect(
                        self.conn.host.split(":")[0], int(self.conn.host.split(":")[1])
                    )
                continue
            if status != 200:
                self.failures += 1
                await asyncio.sleep(0.1)
                continue
            answer = _decode(body)
            self.since = answer["next_batch"]
            joined = answer.get("rooms", {}).get("join", {})
            for room in joined.values():
                for event in room.get("timeline", {}).get("events", ()):
                    if (
                        event.get("type") == "m.room.message"
                        and event["sender"] != self.cred.user_id
                    ):
                        self._on_message(event.get("content", {}).get("body", ""), arrived)

    def close(self) -> None:
        self._task.cancel()
        self.conn.close()


class MatrixSender:
    """``window`` keep-alive connections, one ``PUT …/send`` in flight on each."""

    def __init__(self, conns: list[HttpConn], cred: Cred) -> None:
        self.cred = cred
        self.acked = 0
        self.errors = 0
        self.sent = 0
        self._idle: asyncio.Queue[HttpConn] = asyncio.Queue()
        for c in conns:
            self._idle.put_nowait(c)
        self._conns = conns
        self._flying: set[asyncio.Task[None]] = set()
        self._prefix = secrets.token_hex(4)
        self._path = f"/_matrix/client/v3/rooms/{quote(cred.conv, safe='')}/send/m.room.message/"
        self._auth = f"Authorization: Bearer {cred.token}\r\n"

    async def _put(self, conn: HttpConn, n: int, text: str) -> None:
        body = _encode({"msgtype": "m.text", "body": text})
        try:
            status, _, _ = await conn.request(
                "PUT", f"{self._path}{self._prefix}{n}", body, self._auth, wait_s=600
            )
            if status == 200:
                self.acked += 1
            else:
                self.errors += 1
        except (TimeoutError, ConnectionError, OSError):
            self.errors += 1
            host, port = conn.host.split(":")
            conn = await HttpConn.connect(host, int(port))
        self._idle.put_nowait(conn)

    async def send(self, text: str) -> None:
        conn = await self._idle.get()
        self.sent += 1
        task = asyncio.ensure_future(self._put(conn, self.sent, text))
        self._flying.add(task)
        task.add_done_callback(self._flying.discard)

    async def send_stamped(self, suffix: str) -> int:
        conn = await self._idle.get()
        self._idle.put_nowait(
            conn
        )  # (the queue is FIFO: ``send`` takes this one or another idle one)
        now = time.monotonic_ns()
        await self.send(f"{now} {suffix}")
        return now

    async def drain(self, wait_s: float) -> None:
        if self._flying:
            await asyncio.wait_for(asyncio.gather(*self._flying), wait_s)

    def close(self) -> None:
        for task in self._flying:
            task.cancel()
        while not self._idle.empty():
            self._idle.get_nowait().close()
        for c in self._conns:
            c.close()


async def matrix_receiver(target: Target, cred: Cred, on_message: OnMessage) -> MatrixReceiver:
    conn = await HttpConn.connect(target.host, target.port)
    since = await matrix_since(conn, cred.token)
    return MatrixReceiver(conn, cred, since, on_message)


async def matrix_sender(target: Target, cred: Cred, window: int) -> MatrixSender:
    conns = [await HttpConn.connect(target.host, target.port) for _ in range(window)]
    return MatrixSender(conns, cred)


# -- dispatch -----------------------------------------------------------------------------------------------
async def receiver(target: Target, cred: Cred, on_message: OnMessage) -> Any:
    if target.kind == "ours":
        return await ours_receiver(target, cred, on_message)
    return await matrix_receiver(target, cred, on_message)


async def sender(target: Target, cred: Cred, window: int) -> Any:
    if target.kind == "ours":
        return await ours_sender(target, cred, window)
    return await matrix_sender(target, cred, window)
