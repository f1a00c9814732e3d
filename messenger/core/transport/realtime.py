"""The WebSocket push channel: hello, catch-up, live frames, requests, keepalive, reconnects.

One ``RealtimeTransport`` keeps one device connection alive. Each attempt sends ``hello`` with
the version the listener has applied, hands ``welcome``, the catch-up ``changes`` and ``synced``
to the listener in order, then live frames. ``send`` and ``read`` requests are matched to their
answers by ``id``. A dropped connection is retried with exponential backoff and full jitter; a
kick (``kicked``, close code 4001, a revoked or invalid session) ends it for good.

``websockets`` is imported by the connection loop when it starts, not with this module (as
``rest`` does with httpx): a returning account's list is painted before the network is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from messenger.core.backoff import Backoff
from messenger.core.models import Accepted, ConnectionState
from messenger.core.transport.inbox import FrameInbox
from messenger.protocol import errors
from messenger.protocol.frames import (
    CLOSE_AUTH_FAILED,
    CLOSE_KICKED,
    Ack,
    AnyServerFrame,
    Changes,
    ClientFrame,
    ErrorFrame,
    Expiring,
    GroupOnline,
    Hello,
    Kicked,
    OnlineMessage,
    Ping,
    Pong,
    Presence,
    Read,
    ReceiptsFrame,
    Send,
    Synced,
    TypingIn,
    TypingOut,
    Welcome,
    decode_server_frame,
    encode,
)
from messenger.protocol.models import ConversationState, SendRequest

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger(__name__)

PushFrame = TypingIn | OnlineMessage | ReceiptsFrame | Expiring | Presence | GroupOnline
Relocate = Callable[[], Awaitable[str | None]]
"""After a failed connection: the WebSocket URL to use from now on if the server moved, else None."""
MAX_FRAME_BYTES = 64 * 1024 * 1024  # a catch-up page of 500 large messages fits
# Read from the socket per turn of the event loop (asyncio's default is 256 KiB, some 1,500
# pushed messages parsed in one turn of a burst, which then keeps the GUI from painting).
READ_CHUNK = 16 * 1024
# Frames parsed but not yet taken by the inbox before the socket stops being read. The
# library's 16 is fewer than one chunk of a burst holds (about 50), so it stopped and started
# reading some 90 times in 5,000 messages, and qasync makes a socket notifier anew each time.
# The inbox bounds what waits beyond this (``inbox.LIMIT``).
READ_AHEAD_FRAMES = 256


class RealtimeListener(Protocol):
    """What the connection reports to; the sync engine is one."""

    async def since(self) -> int | None:
        """The version to resume from (may first take a new device's snapshot)."""

    async def on_welcome(self, frame: Welcome) -> None: ...

    async def on_changes(self, frame: Changes) -> None: ...

    async def on_synced(self, frame: Synced) -> None: ...

    async def on_push(self, frame: PushFrame) -> None: ...

    def on_state(self, state: ConnectionState) -> None: ...

    def on_kicked(self, reason: str, message: str) -> None: ...


class _SessionEnded(Exception):
    """The server ended this session; do not reconnect."""

    def __init__(self, reason: str, message: str, error: errors.MessengerError) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.error = error


def websocket_url(server_url: str) -> str:
    """``http://host:port`` → ``ws://host:port/v1/ws`` (``https`` → ``wss``)."""
    base = server_url.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base.removeprefix("https://")
    elif base.startswith("http://"):
        base = "ws://" + base.removeprefix("http://")
    return base + "/v1/ws"


class RealtimeTransport:
    def __init__(
        self,
        url: str,
        token: str,
        listener: RealtimeListener,
        *,
        backoff: Backoff,
        request_timeout: float = 15.0,
        open_timeout: float = 10.0,
        ping_interval: float = 20.0,
        ping_timeout: float = 20.0,
        relocate: Relocate | None = None,
    ) -> None:
        self.url = url
        self._relocate = relocate
        self.token = token
        self._listener = listener
        self._backoff = backoff
        self._request_timeout = request_timeout
        self._open_timeout = open_timeout
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout
        self._state = ConnectionState.OFFLINE
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._wake = asyncio.Event()
        self._connected = asyncio.Event()
        self._first_sync: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending: dict[int, asyncio.Future[Ack | Pong]] = {}
        self._send_lock = asyncio.Lock()  # FIFO: frames leave in the order they were sent
        self._next_id = 0

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def connected(self) -> bool:
        return self._state is ConnectionState.CONNECTED

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="messenger-realtime")

    async def aclose(self) -> None:
        self._stopped = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            while not task.done():  # a library may swallow one cancellation: ask again
                task.cancel()
                await asyncio.wait({task}, timeout=1.0)
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._end_first_sync(errors.ClientClosed("the connection was closed"))
        self._set_state(ConnectionState.OFFLINE)

    async def wait_synced(self) -> None:
        """Until the first catch-up is done; raises the error that ended the session instead."""
        await asyncio.shield(self._first_sync)

    async def wait_connected(self) -> None:
        await self._connected.wait()

    def reconnect_now(self) -> None:
        """Skip the rest of the current backoff delay (e.g. the network came back)."""
        self._wake.set()

    # -- requests --------------------------------------------------------------------------------
    async def send_message(self, conversation_id: str, request: SendRequest) -> Accepted:
        ack = await self._request(
            lambda i: Send(id=i, conversation_id=conversation_id, msg=request)
        )
        if not isinstance(ack, Ack) or ack.message is None:
            raise errors.ServerError("the send was acknowledged without a message")
        return Accepted(ack.message, ack.state)

    async def read(self, conversation_id: str, seq: int | None) -> ConversationState:
        ack = await self._request(lambda i: Read(id=i, conversation_id=conversation_id, seq=seq))
        if not isinstance(ack, Ack) or ack.state is None:
            raise errors.ServerError("the read was acknowledged without a state")
        return ack.state

    async def typing(self, conversation_id: str, typing: bool) -> None:
        await self._send(TypingOut(conversation_id=conversation_id, typing=typing))

    async def _request(self, make: Callable[[int], ClientFrame]) -> Ack | Pong:
        if not self.connected:
            raise errors.NetworkError("not connected")
        return await self._exchange(make, self._request_timeout)

    async def _exchange(self, make: Callable[[int], ClientFrame], within: float) -> Ack | Pong:
        self._next_id += 1
        request_id = self._next_id
        answer: asyncio.Future[Ack | Pong] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = answer
        try:
            await self._send(make(request_id))
            async with asyncio.timeout(within):  # not wait_for: see _greet
                return await answer
        except TimeoutError:
            raise errors.RequestTimeout("no answer from the server") from None
        finally:
            self._pending.pop(request_id, None)

    async def _send(self, frame: ClientFrame) -> None:
        ws = self._ws
        if ws is None:
            raise errors.NetworkError("not connected")
        import websockets  # (loaded: there is a connection)

        try:
            async with self._send_lock:
                await ws.send(encode(frame).decode())
        except websockets.ConnectionClosed as exc:
            self._connected.clear()
            raise errors.NetworkError("the connection closed") from exc

    # -- the connection loop ---------------------------------------------------------------------
    async def _run(self) -> None:
        import websockets

        while not self._stopped:
            self._set_state(ConnectionState.CONNECTING)
            try:
                await self._connect_once()
            except _SessionEnded as ended:
                self._stopped = True
                self._set_state(ConnectionState.OFFLINE)
                self._end_first_sync(ended.error)
                self._listener.on_kicked(ended.reason, ended.message)
                return
            except errors.ClientClosed as exc:
                self._stopped = True
                self._end_first_sync(exc)
                break
            except errors.AuthError as exc:  # e.g. the snapshot was refused: the session is gone
                self._stopped = True
                self._set_state(ConnectionState.OFFLINE)
                self._end_first_sync(exc)
                self._listener.on_kicked(exc.name, exc.message)
                return
            except (
                OSError,
                TimeoutError,
                websockets.WebSocketException,
                errors.NetworkError,
            ) as exc:
                log.info("connection to %s failed: %r", self.url, exc)  # offline: retried
            except errors.MessengerError as exc:
                log.warning("connection to %s failed: %r", self.url, exc)
            except Exception:
                log.exception("connection to %s failed", self.url)
            if self._should_stop():
                break
            self._set_state(ConnectionState.OFFLINE)
            if await self._moved():
                continue  # the server is elsewhere now: try there at once
            await self._pause(self._backoff.next_delay())
        self._set_state(ConnectionState.OFFLINE)

    async def _moved(self) -> bool:
        if self._relocate is None:
            return False
        url = await self._relocate()
        if url is None or url == self.url or self._stopped:
            return False
        self.url = url
        self._backoff.reset()
        return True

    def _should_stop(self) -> bool:
        return self._stopped  # set by aclose() while a connection attempt runs

    async def _pause(self, delay: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    async def _connect_once(self) -> None:
        import websockets
        from websockets.asyncio.client import connect

        since = await self._listener.since()
        async with connect(
            self.url,
            open_timeout=self._open_timeout,
            ping_interval=None,  # the protocol's own ping frames keep the connection alive
            close_timeout=2,
            max_size=MAX_FRAME_BYTES,
            max_queue=READ_AHEAD_FRAMES,
        ) as ws:
            self._ws = ws
            _read_in_chunks(ws)
            keepalive: asyncio.Task[None] | None = None
            try:
                await ws.send(encode(Hello(token=self.token, since=since)).decode())
                await self._greet(ws)
                keepalive = asyncio.create_task(self._keepalive(ws))
                inbox = FrameInbox(ws, _decode)  # reads ahead, merges bursts
                inbox.start()
                try:
                    while (frame := await inbox.next()) is not None:
                        await self._dispatch(frame)
                finally:
                    await inbox.aclose()
            except websockets.ConnectionClosed as exc:
                _raise_if_session_ended(exc.rcvd.code if exc.rcvd else None)
                raise
            finally:
                self._ws = None
                self._connected.clear()
                if keepalive is not None:
                    keepalive.cancel()
                with contextlib.suppress(websockets.WebSocketException, OSError):
                    await ws.close()  # a normal close, not the 1011 of an exception or cancel
                self._fail_pending(errors.NetworkError("the connection closed"))
            _raise_if_session_ended(ws.close_code)

    async def _greet(self, ws: ClientConnection) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
        # arrives just as the frame does, and aclose() would wait for this task forever
        async with asyncio.timeout(self._open_timeout):
            raw = await ws.recv()
        frame = _decode(raw)
        if isinstance(frame, Welcome):
            await self._listener.on_welcome(frame)
            return
        await self._dispatch(frame)  # an error or a kick ends the session
        raise errors.ServerError(f"expected welcome, got {type(frame).__name__}")

    async def _dispatch(self, frame: object) -> None:
        if isinstance(frame, Changes):
            await self._listener.on_changes(frame)
        elif isinstance(frame, Synced):
            await self._listener.on_synced(frame)
            self._backoff.reset()
            self._set_state(ConnectionState.CONNECTED)
            self._connected.set()
            self._end_first_sync(None)
        elif isinstance(frame, Ack | Pong):
            answer = self._pending.get(frame.id)
            if answer is not None and not answer.done():
                answer.set_result(frame)
        elif isinstance(frame, ErrorFrame):
            self._on_error(frame)
        elif isinstance(frame, Kicked):
            raise _SessionEnded(frame.reason, frame.message, errors.SessionRevoked(frame.message))
        elif isinstance(
            frame, TypingIn | OnlineMessage | ReceiptsFrame | Expiring | Presence | GroupOnline
        ):
            await self._listener.on_push(frame)

    def _on_error(self, frame: ErrorFrame) -> None:
        error = errors.error_from_wire(msgspec.to_builtins(frame.error))
        if frame.id is not None:
            answer = self._pending.get(frame.id)
            if answer is not None and not answer.done():
                answer.set_exception(error)
            return
        if isinstance(error, errors.AuthError):  # the session is not (or no longer) valid
            raise _SessionEnded(error.name, error.message, error)
        # Anything else: the server closes the socket if it cannot go on (4002).
        log.warning("the server reported %r", error)

    async def _keepalive(self, ws: ClientConnection) -> None:
        while True:
            await asyncio.sleep(self._ping_interval)
            try:
                await self._exchange(lambda i: Ping(id=i), self._ping_timeout)
            except errors.RequestTimeout:
                log.info("no pong within %.0f s; reconnecting", self._ping_timeout)
                await ws.close(1011, "keepalive timeout")
                return
            except errors.NetworkError:
                return

    # -- helpers ---------------------------------------------------------------------------------
    def _set_state(self, state: ConnectionState) -> None:
        if state is not self._state:
            self._state = state
            self._listener.on_state(state)

    def _end_first_sync(self, error: BaseException | None) -> None:
        if self._first_sync.done():
            return
        if error is None:
            self._first_sync.set_result(None)
        else:
            self._first_sync.set_exception(error)
            self._first_sync.exception()  # retrieved: nobody may be waiting

    def _fail_pending(self, error: errors.MessengerError) -> None:
        for answer in self._pending.values():
            if not answer.done():
                answer.set_exception(error)
                answer.exception()
        self._pending.clear()


def _decode(raw: str | bytes) -> AnyServerFrame:
    """A server frame; one that cannot be read ends the connection with ``ServerError`` (nothing
    of it reaches the store, and the catch-up after reconnecting starts where the store is)."""
    try:
        return decode_server_frame(raw)
    except errors.InvalidParameter as exc:
        raise errors.ServerError(f"the server sent an unreadable frame: {exc.message}") from None


def _raise_if_session_ended(close_code: int | None) -> None:
    if close_code == CLOSE_KICKED:
        raise _SessionEnded("kicked", "", errors.SessionRevoked("this device was signed out"))
    if close_code == CLOSE_AUTH_FAILED:
        raise _SessionEnded(
            "session_invalid", "", errors.SessionInvalid("the session was not accepted")
        )


def _read_in_chunks(ws: ClientConnection) -> None:
    """At most ``READ_CHUNK`` bytes read (and parsed into frames) per turn of the loop; a
    transport without asyncio's ``max_size`` (another event loop's) is left as it is."""
    transport: Any = ws.transport
    if isinstance(getattr(transport, "max_size", None), int):
        transport.max_size = READ_CHUNK
