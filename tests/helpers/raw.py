"""A bare protocol client (httpx + websockets) for testing the server without the core."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from messenger.protocol import api, frames
from messenger.protocol.errors import MessengerError, error_from_wire
from messenger.protocol.models import LoginResponse, SendRequest
from messenger.protocol.usersig import generate_usersig
from tests.helpers.server import SDK_APP_ID, SECRET_KEY

WAIT = 5.0  # seconds a test waits for a frame the server owes it


def usersig(user_id: str, expire: int = 86400, **kw: Any) -> str:
    return generate_usersig(SDK_APP_ID, SECRET_KEY, user_id, expire, **kw)


class RawDevice:
    """One signed-in device: REST calls with its token, and (optionally) its WebSocket.

    Frames read from the socket wait in ``frames``; ``wait_for`` takes the first one matching a
    predicate and keeps the others, in order, for the next reads (``held``).
    """

    def __init__(
        self,
        url: str,
        user_id: str,
        device_id: str | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        """``http``: an HTTP client to share (each request carries this device's token)."""
        self.url = url
        self.user_id = user_id
        self.device_id = device_id or uuid.uuid4().hex
        self.http = http or httpx.AsyncClient(base_url=url, timeout=10)
        self.token = ""
        self._login: LoginResponse | None = None
        self.ws: ClientConnection | None = None
        self.frames: asyncio.Queue[frames.AnyServerFrame] = asyncio.Queue()
        self.held: list[frames.AnyServerFrame] = []
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._closed: asyncio.Future[int | None] | None = None
        self.synced_version = 0

    @property
    def login(self) -> LoginResponse:
        """The server's answer to this device's sign-in."""
        assert self._login is not None, "not signed in"
        return self._login

    @property
    def closed(self) -> asyncio.Future[int | None]:
        """Resolves to the socket's close code once the server closes it."""
        assert self._closed is not None, "not connected"
        return self._closed

    async def sign_in(self, sig: str | None = None) -> RawDevice:
        self._login = await self.call(
            "login",
            body={
                "user_id": self.user_id,
                "user_sig": sig or usersig(self.user_id),
                "device_id": self.device_id,
            },
        )
        self.token = self._login.session_token
        return self

    async def request(
        self,
        name: str,
        *,
        body: Any = None,
        query: dict[str, Any] | None = None,
        content: bytes | None = None,
        **path: Any,
    ) -> httpx.Response:
        """The raw HTTP response of an endpoint (``content`` is sent as is when given)."""
        endpoint = api.BY_NAME[name]
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if content is None:
            if body is not None:
                content = msgspec.json.encode(body)
            elif endpoint.body is not None:
                content = b"{}"
        return await self.http.request(
            endpoint.method, endpoint.url(**path), content=content, params=query, headers=headers
        )

    async def call(
        self,
        name: str,
        *,
        body: Any = None,
        query: dict[str, Any] | None = None,
        content: bytes | None = None,
        **path: Any,
    ) -> Any:
        response = await self.request(name, body=body, query=query, content=content, **path)
        if response.status_code >= 400:
            raise error_from_wire(response.json())
        return msgspec.json.decode(response.content, type=api.BY_NAME[name].response)

    async def send(self, conversation_id: str, text: str, **kw: Any) -> Any:
        req = {
            "client_msg_id": kw.pop("client_msg_id", uuid.uuid4().hex),
            "body": {"text": text},
            **kw,
        }
        return await self.call("send", body=req, conversation_id=conversation_id)

    async def history(self, conversation_id: str, **query: Any) -> Any:
        return await self.call("history", conversation_id=conversation_id, query=query or None)

    async def sync_all(self, since: int = 0, limit: int = 500) -> tuple[list[Any], int]:
        """Every change after ``since`` by REST pages; returns them and the version reached."""
        changes: list[Any] = []
        while True:
            page = await self.call("sync", query={"since": since, "limit": limit})
            changes.extend(page.changes)
            since = page.next_version
            if not page.has_more:
                return changes, since

    # -- WebSocket ---------------------------------------------------------------------------------
    async def connect(self, since: int | None = 0, *, wait_synced: bool = True) -> list[Any]:
        """Open the socket; returns the catch-up changes once ``synced`` arrives."""
        ws_url = self.url.replace("http://", "ws://") + "/v1/ws"
        self.ws = await connect(ws_url, max_size=2**22)
        self._closed = asyncio.get_running_loop().create_future()
        try:
            await self.ws.send(frames.encode(frames.Hello(token=self.token, since=since)).decode())
        except ConnectionClosed:
            pass  # refused at once (e.g. too many sockets): its error frame is read below
        self._reader = asyncio.create_task(self._read())
        if not wait_synced:
            return []
        caught: list[Any] = []
        while True:
            frame = await self.next_frame()
            if isinstance(frame, frames.Changes):
                assert frame.catchup, "a live change arrived before synced"
                caught.extend(frame.changes)
            elif isinstance(frame, frames.Synced):
                self.synced_version = frame.version
                return caught
            elif isinstance(frame, frames.ErrorFrame):
                raise error_from_wire(msgspec.to_builtins(frame.error))

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                await self.frames.put(frames.decode_server_frame(raw))
        except Exception:  # noqa: BLE001 - the socket ended; `closed` tells how
            pass
        if not self.closed.done():
            self.closed.set_result(self.ws.close_code)

    async def _take(self) -> frames.AnyServerFrame:
        if self.held:
            return self.held.pop(0)
        return await self.frames.get()

    async def next_frame(self, within: float = WAIT) -> frames.AnyServerFrame:
        async with asyncio.timeout(within):
            return await self._take()

    async def wait_for(
        self, match: Callable[[Any], bool], within: float = WAIT
    ) -> frames.AnyServerFrame:
        """The first frame ``match`` accepts; the frames before it stay for the next reads."""
        skipped: list[frames.AnyServerFrame] = []
        try:
            async with asyncio.timeout(within):
                while True:
                    frame = await self._take()
                    if match(frame):
                        return frame
                    skipped.append(frame)
        finally:
            self.held[:0] = skipped

    async def next_of(self, kind: type[Any], within: float = WAIT) -> Any:
        """The next frame of ``kind``, skipping (and dropping) others."""
        async with asyncio.timeout(within):
            while True:
                frame = await self._take()
                if isinstance(frame, kind):
                    return frame

    async def changes(self, count: int, within: float = WAIT) -> list[Any]:
        """The next ``count`` changes, dropping the frames that are not changes."""
        got: list[Any] = []
        async with asyncio.timeout(within):
            while len(got) < count:
                frame = await self._take()
                if isinstance(frame, frames.Changes):
                    got.extend(frame.changes)
        return got

    async def reply(self, rid: int, within: float = WAIT) -> frames.Ack:
        """The answer to request ``rid``: its ``ack``, or its ``error`` raised as a typed error."""
        frame = await self.wait_for(
            lambda f: isinstance(f, (frames.Ack, frames.ErrorFrame)) and f.id == rid, within
        )
        raise_if_error(frame)
        assert isinstance(frame, frames.Ack)
        return frame

    async def barrier(self, within: float = WAIT) -> list[frames.AnyServerFrame]:
        """Every frame the server queued for this socket so far (held ones included).

        A ``ping`` is answered through the same queue as everything else, so whatever the server
        pushed before it handled the ping arrives before the ``pong``.
        """
        assert self.ws is not None
        rid = next(self._ids) + 1_000_000
        await self.ws.send(frames.encode(frames.Ping(id=rid)).decode())
        got: list[frames.AnyServerFrame] = []
        async with asyncio.timeout(within):
            while True:
                frame = await self._take()
                if isinstance(frame, frames.Pong) and frame.id == rid:
                    return got
                got.append(frame)

    async def ws_send(self, conversation_id: str, text: str, **kw: Any) -> int:
        assert self.ws is not None
        rid = next(self._ids)
        msg = SendRequest(
            client_msg_id=kw.pop("client_msg_id", uuid.uuid4().hex), body={"text": text}, **kw
        )
        await self.ws.send(
            frames.encode(frames.Send(id=rid, conversation_id=conversation_id, msg=msg)).decode()
        )
        return rid

    async def ws_read(self, conversation_id: str, seq: int | None = None) -> int:
        assert self.ws is not None
        rid = next(self._ids)
        frame = frames.Read(id=rid, conversation_id=conversation_id, seq=seq)
        await self.ws.send(frames.encode(frame).decode())
        return rid

    def next_id(self) -> int:
        return next(self._ids)

    async def raw_send(self, frame: Any) -> None:
        assert self.ws is not None
        await self.ws.send(
            frame if isinstance(frame, (str, bytes)) else frames.encode(frame).decode()
        )

    async def disconnect(self) -> None:
        """Close the socket only (the session stays signed in)."""
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
        self.ws = None
        self._reader = None
        self.frames = asyncio.Queue()
        self.held = []

    async def aclose(self) -> None:
        await self.disconnect()
        await self.http.aclose()


def raise_if_error(frame: Any) -> None:
    if isinstance(frame, frames.ErrorFrame):
        raise error_from_wire(msgspec.to_builtins(frame.error))


def messages_of(changes: list[Any]) -> list[Any]:
    """The messages among ``changes``."""
    return [c.message for c in changes if isinstance(c, frames.MessageChange)]


def states_of(changes: list[Any]) -> list[Any]:
    return [c.state for c in changes if isinstance(c, frames.StateChange)]


__all__ = ["MessengerError", "RawDevice", "messages_of", "raise_if_error", "states_of", "usersig"]


Make = Callable[..., Awaitable[RawDevice]]


def changes_in(got: list[frames.AnyServerFrame]) -> list[frames.AnyChange]:
    """The changes carried by a list of frames, in order."""
    return [c for f in got if isinstance(f, frames.Changes) for c in f.changes]
