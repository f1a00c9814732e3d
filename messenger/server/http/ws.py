"""The device WebSocket: hello, catch-up from the database, then live changes and requests.

Frames from one device are taken in order: a ``send`` is validated and queued to the writer before
the next frame is read, so a device's messages keep their order; its answer (``ack`` or
``error``) comes back when the message is durable.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable
from typing import Any

from starlette.types import Receive, Scope, Send

from messenger.protocol import bounds, decoding, frames
from messenger.protocol.errors import InvalidParameter, MessengerError, RateLimited, ServerError
from messenger.protocol.models import ErrorBody
from messenger.server.context import ServerContext
from messenger.server.http.wsproto import EXTENSION
from messenger.server.hub import Connection
from messenger.server.services.admission import Slot
from messenger.server.services.auth import Session
from messenger.server.storage.records import StoredMessage

log = logging.getLogger(__name__)

CATCHUP_PAGE = 500
CLOSE_INTERNAL_ERROR = 1011  # (RFC 6455) a fault of the server's own, logged with its traceback


def _text(frame: frames.ServerFrame) -> str:
    return frames.encode(frame).decode("utf-8")


def _error_frame(exc: BaseException, request_id: int | None) -> str:
    if not isinstance(exc, MessengerError):
        log.exception("unexpected error on a WebSocket request", exc_info=exc)
        exc = ServerError("internal server error")
    wire = exc.to_wire()
    return _text(frames.ErrorFrame(id=request_id, error=ErrorBody(**wire)))


class DeviceSocket:
    """One accepted WebSocket, from hello to close. It speaks ASGI directly (no Starlette
    ``WebSocket`` wrapper: one layer less on every frame)."""

    def __init__(self, ctx: ServerContext, scope: Scope, receive: Receive, send: Send) -> None:
        self.ctx = ctx
        self.scope = scope
        self._asgi_receive = receive
        self._asgi_send = send
        self.conn: Connection | None = None
        self.session: Session | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        client = scope.get("client")
        self.ip: str | None = client[0] if client else None
        self._slots: list[Slot] = []  # this socket's places under the admission limits

    async def _send(self, text: str) -> None:
        await self._asgi_send({"type": "websocket.send", "text": text})

    async def _close(self, code: int, reason: str) -> None:
        await self._asgi_send({"type": "websocket.close", "code": code, "reason": reason})

    async def _receive(self) -> str | bytes | None:
        message = await self._asgi_receive()
        if message["type"] == "websocket.disconnect":
            return None
        text = message.get("text")
        return text if text is not None else message.get("bytes") or b""

    # -- lifecycle -------------------------------------------------------------------------------------
    async def run(self) -> None:
        if (await self._asgi_receive())["type"] != "websocket.connect":
            return  # gone before the handshake completed
        await self._asgi_send({"type": "websocket.accept"})
        try:
            try:
                self._slots.append(await self.ctx.admission.open_socket(self.ip))
            except RateLimited as exc:
                await self._reject(exc, frames.CLOSE_RATE_LIMITED)
                return
            hello = await self._hello()
            if hello is None:
                return
            await self._catch_up(hello.since)
            await self._serve()
        except OSError:  # the device went away while we were sending (uvicorn: ClientDisconnected)
            pass
        except Exception:  # a fault of ours: say so with a close code, never a silent drop
            log.exception("WebSocket of %s failed", self.session and self.session.user_id)
            try:
                await self._close(CLOSE_INTERNAL_ERROR, "internal server error")
            except Exception:  # noqa: BLE001 - the socket may already be gone
                pass
        finally:
            await self._cleanup()

    async def _hello(self) -> frames.Hello | None:
        timeout = self.ctx.config.request_timeout_ms / 1000
        try:
            async with asyncio.timeout(timeout):  # wait_for may swallow a cancellation
                raw = await self._receive()
        except TimeoutError:
            await self._reject(InvalidParameter("no hello received"), frames.CLOSE_PROTOCOL_ERROR)
            return None
        if raw is None:
            return None
        try:
            hello = frames.decode_client_frame(raw)
        except InvalidParameter as exc:
            await self._reject(exc, frames.CLOSE_PROTOCOL_ERROR)
            return None
        if not isinstance(hello, frames.Hello):
            await self._reject(
                InvalidParameter("the first frame must be hello"), frames.CLOSE_PROTOCOL_ERROR
            )
            return None
        try:
            self.session = await self.ctx.auth.authenticate(hello.token)
        except MessengerError as exc:
            await self._reject(exc, frames.CLOSE_AUTH_FAILED)
            return None
        s = self.session
        try:
            self._slots.append(await self.ctx.admission.open_user_socket(s.user_id))
        except RateLimited as exc:
            await self._reject(exc, frames.CLOSE_RATE_LIMITED)
            return None
        direct = (self.scope.get("extensions") or {}).get(EXTENSION)  # see http/wsproto.py
        self.conn = Connection(
            user_id=s.user_id,
            device_id=s.device_id,
            token_hash=s.token_hash,
            expires_at=s.expires_at,
            send_text=self._send,
            close=self._close,
            queue_limit=self.ctx.config.ws_queue_limit,
            write=direct["write_text"] if direct else None,
        )
        self.ctx.hub.register(self.conn)
        head = self.ctx.storage.head
        await self._send(
            _text(
                frames.Welcome(
                    user_id=s.user_id,
                    device_id=s.device_id,
                    head=head,
                    server_time=_now_ms(),
                    expires_at=s.expires_at,
                )
            )
        )
        return hello

    async def _reject(self, exc: BaseException, code: int) -> None:
        try:
            await self._send(_error_frame(exc, None))
            await self._close(code, type(exc).__name__)
        except Exception:  # noqa: BLE001 - answered as a typed error frame
            pass

    async def _catch_up(self, since: int | None) -> None:
        conn, session = self.conn, self.session
        assert conn is not None and session is not None
        if since is None:
            conn.go_live(0)
            await self._send(_text(frames.Synced(version=self.ctx.storage.head)))
            return
        version = max(0, since)
        while not conn.closed:
            page = await self.ctx.storage.feed(session.user_id, version, CATCHUP_PAGE)
            if page.changes:
                await self._send(_text(frames.Changes(changes=page.changes, catchup=True)))
            version = page.next_version
            if not page.has_more:
                break
        conn.go_live(version)
        await self._send(_text(frames.Synced(version=version)))

    async def _serve(self) -> None:
        while True:
            raw = await self._receive()
            if raw is None:
                return
            try:
                frame = frames.decode_client_frame(raw)
            except InvalidParameter as exc:
                self.ctx.metrics.count_frame("invalid")
                log.debug(
                    "unreadable frame from %s: %s", self.session and self.session.user_id, exc
                )
                self._reply(_error_frame(exc, _request_id(raw, exc)))
                continue
            self.ctx.metrics.count_frame(type(frame).__name__)
            assert self.session is not None
            try:
                if not isinstance(frame, frames.Send):  # (messages have limits of their own)
                    await self.ctx.admission.user_request(self.session.user_id)
            except RateLimited as exc:
                self._reply(_error_frame(exc, getattr(frame, "id", None)))
                continue
            await self._dispatch(frame)

    async def _dispatch(self, frame: frames.AnyClientFrame) -> None:
        assert self.session is not None and self.conn is not None
        user_id = self.session.user_id
        if isinstance(frame, frames.Send):
            try:
                pending = await self.ctx.messaging.submit(
                    user_id, frame.conversation_id, frame.msg, origin=self.conn
                )
            except Exception as exc:  # noqa: BLE001 - answered as a typed error frame
                self._reply(_error_frame(exc, frame.id))
                return
            self._answer_later(pending, frame.id, functools.partial(_send_ack, frame.id))
        elif isinstance(frame, frames.Read):
            pending_read = self.ctx.conversations.read(
                user_id, frame.conversation_id, frame.seq, origin=self.conn
            )
            self._answer_later(
                pending_read, frame.id, lambda state: frames.Ack(id=frame.id, state=state)
            )
        elif isinstance(frame, frames.TypingOut):
            try:
                await self.ctx.messaging.typing(user_id, frame.conversation_id, frame.typing)
            except MessengerError as exc:
                log.debug("typing from %s refused: %r", user_id, exc)  # best effort
        elif isinstance(frame, frames.Ping):
            self._reply(_text(frames.Pong(id=frame.id, server_time=_now_ms())))
        else:
            self._reply(_error_frame(InvalidParameter("hello was already received"), None))

    def _reply(self, text: str) -> None:
        assert self.conn is not None
        self.conn.push(0, text)

    def _answer_later(self, pending: Awaitable[Any], request_id: int, make: Any) -> None:
        """Reply when ``pending`` settles (a future needs no task of its own)."""

        def answer(done: asyncio.Future[Any]) -> None:
            self._tasks.discard(done)
            if done.cancelled():
                return
            exc = done.exception()
            if exc is not None:
                self._reply(_error_frame(exc, request_id))
            else:
                self._reply(_text(make(done.result())))

        future = pending if isinstance(pending, asyncio.Future) else asyncio.ensure_future(pending)
        self._tasks.add(future)
        future.add_done_callback(answer)

    async def _cleanup(self) -> None:
        for slot in self._slots:
            slot.release()
        if self.conn is not None:
            self.ctx.hub.unregister(self.conn)
            await self.conn.stop()
        for task in list(self._tasks):
            task.cancel()


_REQUESTS = frozenset(("send", "read", "ping"))


def _request_id(raw: str | bytes, error: InvalidParameter) -> int | None:
    """The ``id`` of a request frame that could not be read as a whole, so that its error still
    answers it (the device is waiting for that id)."""
    if error.details.get("reason") != "schema":
        return None  # not JSON at all: no id to find
    try:
        loose = decoding.decode(raw, Any, what="frame")
    except InvalidParameter:
        return None
    if not isinstance(loose, dict) or not isinstance(loose.get("t"), str):
        return None
    if loose["t"] not in _REQUESTS:
        return None
    rid = loose.get("id")
    if isinstance(rid, int) and not isinstance(rid, bool) and abs(rid) <= bounds.MAX_INT:
        return rid
    return None


def _send_ack(request_id: int, stored: StoredMessage) -> frames.Ack:
    """The answer to a send: the stored message and, when sending read messages that were
    unread, my new state of the conversation. The state's live change may wait behind another
    node's commit (``bus/horizon.py``) while this answer does not: without it my device would
    count those messages as unread until then."""
    read = stored.sender_read
    state = read.state if read is not None else None
    return frames.Ack(id=request_id, message=stored.message, state=state)


def _now_ms() -> int:
    return int(time.time() * 1000)


class WebSocketEndpoint:
    """The ASGI app of ``/v1/ws`` (a class, so Starlette hands it scope, receive and send as
    they are)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ctx: ServerContext = scope["app"].state.ctx
        await DeviceSocket(ctx, scope, receive, send).run()


websocket_endpoint = WebSocketEndpoint()
