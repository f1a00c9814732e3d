"""A bare protocol client (httpx + websockets) for testing the server without the core."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from typing import Any

import httpx
import msgspec
from websockets.asyncio.client import ClientConnection, connect

from messenger.protocol import api, frames
from messenger.protocol.errors import MessengerError, error_from_wire
from messenger.protocol.models import LoginResponse, SendRequest
from messenger.protocol.usersig import generate_usersig
from tests.helpers.server import SDK_APP_ID, SECRET_KEY


def usersig(user_id: str, expire: int = 86400, **kw: Any) -> str:
    return generate_usersig(SDK_APP_ID, SECRET_KEY, user_id, expire, **kw)


class RawDevice:
    """One signed-in device: REST calls with its token, and (optionally) its WebSocket."""

    def __init__(self, url: str, user_id: str, device_id: str | None = None) -> None:
        self.url = url
        self.user_id = user_id
        self.device_id = device_id or uuid.uuid4().hex
        self.http = httpx.AsyncClient(base_url=url, timeout=10)
        self.token = ""
        self.login: LoginResponse | None = None
        self.ws: ClientConnection | None = None
        self.frames: asyncio.Queue[frames.AnyServerFrame] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self.closed: asyncio.Future[int | None] | None = None

    async def sign_in(self, sig: str | None = None) -> RawDevice:
        self.login = await self.call(
            "login",
            body={"user_id": self.user_id, "user_sig": sig or usersig(self.user_id),
                  "device_id": self.device_id},
        )
        self.token = self.login.session_token
        return self

    async def call(self, name: str, *, body: Any = None, query: dict[str, Any] | None = None,
                   **path: Any) -> Any:
        endpoint = api.BY_NAME[name]
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        content = msgspec.json.encode(body) if body is not None else (
            b"{}" if endpoint.body is not None else None)
        response = await self.http.request(
            endpoint.method, endpoint.url(**path), content=content, params=query, headers=headers
        )
        if response.status_code >= 400:
            raise error_from_wire(response.json())
        return msgspec.json.decode(response.content, type=endpoint.response)

    async def send(self, conversation_id: str, text: str, **kw: Any) -> Any:
        req = {"client_msg_id": kw.pop("client_msg_id", uuid.uuid4().hex),
               "body": {"text": text}, **kw}
        return await self.call("send", body=req, conversation_id=conversation_id)

    # -- WebSocket ---------------------------------------------------------------------------------
    async def connect(self, since: int | None = 0, *, wait_synced: bool = True) -> list[Any]:
        """Open the socket; returns the catch-up changes once ``synced`` arrives."""
        ws_url = self.url.replace("http://", "ws://") + "/v1/ws"
        self.ws = await connect(ws_url, max_size=2**22)
        self.closed = asyncio.get_running_loop().create_future()
        await self.ws.send(frames.encode(frames.Hello(token=self.token, since=since)).decode())
        self._reader = asyncio.create_task(self._read())
        if not wait_synced:
            return []
        caught: list[Any] = []
        while True:
            frame = await self.next_frame()
            if isinstance(frame, frames.Changes):
                caught.extend(frame.changes)
            elif isinstance(frame, frames.Synced):
                return caught
            elif isinstance(frame, frames.ErrorFrame):
                raise error_from_wire(msgspec.to_builtins(frame.error))

    async def _read(self) -> None:
        assert self.ws is not None and self.closed is not None
        try:
            async for raw in self.ws:
                await self.frames.put(frames.decode_server_frame(raw))
        except Exception:  # noqa: BLE001
            pass
        if not self.closed.done():
            self.closed.set_result(self.ws.close_code)

    async def next_frame(self, timeout: float = 5.0) -> frames.AnyServerFrame:
        return await asyncio.wait_for(self.frames.get(), timeout)

    async def next_of(self, kind: type[Any], timeout: float = 5.0) -> Any:
        """The next frame of ``kind``, skipping others."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.frames.get()
                if isinstance(frame, kind):
                    return frame

    async def changes(self, count: int, timeout: float = 5.0) -> list[Any]:
        got: list[Any] = []
        async with asyncio.timeout(timeout):
            while len(got) < count:
                frame = await self.frames.get()
                if isinstance(frame, frames.Changes):
                    got.extend(frame.changes)
        return got

    async def ws_send(self, conversation_id: str, text: str, **kw: Any) -> int:
        assert self.ws is not None
        rid = next(self._ids)
        msg = SendRequest(client_msg_id=kw.pop("client_msg_id", uuid.uuid4().hex),
                          body={"text": text}, **kw)
        await self.ws.send(frames.encode(frames.Send(id=rid, conversation_id=conversation_id, msg=msg)).decode())
        return rid

    async def raw_send(self, frame: Any) -> None:
        assert self.ws is not None
        await self.ws.send(frame if isinstance(frame, (str, bytes)) else frames.encode(frame).decode())

    async def aclose(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
        await self.http.aclose()


def raise_if_error(frame: Any) -> None:
    if isinstance(frame, frames.ErrorFrame):
        raise error_from_wire(msgspec.to_builtins(frame.error))


__all__ = ["MessengerError", "RawDevice", "raise_if_error", "usersig"]
