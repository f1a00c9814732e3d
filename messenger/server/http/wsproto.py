"""uvicorn's sans-I/O WebSocket protocol, tuned for pushing one frame to thousands of sockets.

Three changes, none visible in the protocol (docs/protocol.md):

- **Direct writes.** The app gets a synchronous ``write_text(text) -> bool`` through the ASGI
  scope (``scope["extensions"]["messenger.direct"]``): the frame is built and buffered at once,
  no task or coroutine per frame. It answers False when the frame must wait (the transport is
  paused by flow control, or the socket is closing); the caller then queues it and sends it through
  the ordinary ASGI ``send``. Frames buffered in one event-loop iteration leave in one
  ``transport.write`` per socket (one system call), after everything already written; one
  callback per iteration flushes every socket that has something buffered.
- **Reading pauses only when the app falls behind** (``PAUSE_AFTER`` received messages waiting),
  not after every message: uvicorn pauses and resumes the socket for each one, and each pause
  and resume is a change of the event loop's epoll set (a system call). Received messages wait
  in a plain deque with one waiter instead of an ``asyncio.Queue`` (a dozen Python calls less per
  message).
- **A frame is built once per text.** The last text framed is remembered, so a group message
  pushed to 10,000 sockets is encoded (and compressed) once, not 10,000 times.
- **permessage-deflate without context takeover**, and only for frames of at least
  ``COMPRESS_MIN_BYTES`` (catch-up pages, long messages). With context takeover each socket keeps
  two zlib streams (about 40 KB) for its whole life and every frame is compressed for each
  recipient on its own; without it no zlib state outlives a message, and a compressed frame is
  the same bytes for every recipient. Short frames go uncompressed (RFC 7692 lets the sender choose
  per message); they gain little from deflate without a shared window anyway.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import weakref
import zlib
from collections import deque
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)
from websockets.protocol import State
from websockets.server import ServerProtocol

from messenger.server.http import connections

COMPRESS_MIN_BYTES = 1024
WINDOW_BITS = 12
_FLUSH_BYTES = 256 * 1024  # buffered beyond this, write at once (flow control sees it sooner)
PAUSE_AFTER = 16  # received messages waiting for the app before the socket stops being read
EXTENSION = "messenger.direct"


def frame_header(first_byte: int, length: int) -> bytes:
    """The header of an unmasked (server) frame."""
    if length < 126:
        return struct.pack("!BB", first_byte, length)
    if length < 65536:
        return struct.pack("!BBH", first_byte, 126, length)
    return struct.pack("!BBQ", first_byte, 127, length)


def deflate(payload: bytes) -> bytes:
    """One message compressed on its own (no context takeover), as RFC 7692 frames it."""
    encoder = zlib.compressobj(1, zlib.DEFLATED, -WINDOW_BITS, 5)
    data = encoder.compress(payload) + encoder.flush(zlib.Z_SYNC_FLUSH)
    return data[:-4]  # the sync flush's 00 00 ff ff


class _FrameCache:
    """The frames of the last text framed (a fan-out frames the same text object many times)."""

    __slots__ = ("compressed", "plain", "text")

    def __init__(self) -> None:
        self.text: str | None = None
        self.plain: bytes | None = None
        self.compressed: bytes | None = None

    def frame(self, text: str, compress: bool) -> bytes:
        if text is not self.text:
            self.text, self.plain, self.compressed = text, None, None
        if compress:
            if self.compressed is None:
                payload = text.encode()
                if len(payload) >= COMPRESS_MIN_BYTES:
                    data = deflate(payload)
                    self.compressed = frame_header(0xC1, len(data)) + data  # FIN, RSV1, text
                else:
                    self.compressed = self.frame(text, False)
            return self.compressed
        if self.plain is None:
            payload = text.encode()
            self.plain = frame_header(0x81, len(payload)) + payload  # FIN, text
        return self.plain


_cache = _FrameCache()


class _Inbox:
    """What uvicorn's protocol needs of its ``asyncio.Queue`` of received events, for one
    reader: ``put_nowait``, ``get``, ``empty`` and ``qsize``."""

    __slots__ = ("_items", "_loop", "_waiter")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._items: deque[Any] = deque()
        self._loop = loop
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def get(self) -> Any:
        items = self._items
        while not items:
            waiter = self._waiter = self._loop.create_future()
            await waiter
        return items.popleft()

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class _Flusher:
    """Flushes, once per event-loop iteration, every socket that buffered frames in it."""

    __slots__ = ("loop", "pending", "scheduled")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: list[MessengerWebSocketProtocol] = []
        self.scheduled = False

    def add(self, protocol: MessengerWebSocketProtocol) -> None:
        self.pending.append(protocol)
        if not self.scheduled:
            self.scheduled = True
            self.loop.call_soon(self.run)

    def run(self) -> None:
        self.scheduled = False
        pending, self.pending = self.pending, []
        for protocol in pending:
            protocol._flush()


_flushers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Flusher] = (
    weakref.WeakKeyDictionary()
)


def _flusher(loop: asyncio.AbstractEventLoop) -> _Flusher:
    flusher = _flushers.get(loop)
    if flusher is None:
        flusher = _flushers[loop] = _Flusher(loop)
    return flusher


class MessengerWebSocketProtocol(WebSocketsSansIOProtocol):
    """See the module's docstring. Used by ``runner.uvicorn_config`` as uvicorn's ``ws``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extensions = []
        if self.config.ws_per_message_deflate:
            extensions = [
                ServerPerMessageDeflateFactory(
                    server_no_context_takeover=True,
                    client_no_context_takeover=True,
                    server_max_window_bits=WINDOW_BITS,
                    client_max_window_bits=WINDOW_BITS,
                    compress_settings={"memLevel": 5, "level": 1},
                )
            ]
        self.conn = ServerProtocol(
            extensions=extensions,
            max_size=self.config.ws_max_size,
            logger=logging.getLogger("uvicorn.error"),
        )
        self.queue = _Inbox(self.loop)  # type: ignore[assignment]
        self._out: list[bytes] = []
        self._out_bytes = 0
        self._flush_pending = False
        self._flusher = _flusher(self.loop)
        self._compress = False

    # -- the direct path ---------------------------------------------------------------------------
    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:
            scope["extensions"][EXTENSION] = {"write_text": self.write_text}

    def write_text(self, text: str) -> bool:
        """Buffer a text frame now; False if it has to go through ``send`` instead (not open
        yet, flow control has paused the transport, or the socket is closing)."""
        if (
            not self.handshake_complete
            or self.close_sent
            or self.disconnected
            or self.initial_response is not None
            or not self.writable.is_set()
            or self.conn.state is not State.OPEN
        ):
            return False
        data = _cache.frame(text, self._compress)
        self._out.append(data)
        self._out_bytes += len(data)
        if self._out_bytes >= _FLUSH_BYTES:
            self._flush()
        elif not self._flush_pending:
            self._flush_pending = True
            self._flusher.add(self)
        return True

    def _flush(self) -> None:
        self._flush_pending = False
        if self._out:
            data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
            self._out.clear()
            self._out_bytes = 0
            if not self.transport.is_closing():
                self.transport.write(data)

    # -- the ASGI path: what was buffered goes first -----------------------------------------------
    async def send(self, message: Any) -> None:
        if message["type"] == "websocket.send" and message.get("text") is not None:
            await self.writable.wait()
            if (
                self.handshake_complete
                and not self.close_sent
                and not self.disconnected
                and self.initial_response is None
                and self.conn.state is State.OPEN
            ):
                self._out.append(_cache.frame(message["text"], self._compress))
                self._flush()
                return
        self._flush()
        await super().send(message)
        if message["type"] == "websocket.accept":
            # (compressed with our window, which the client's must not be smaller than)
            self._compress = any(
                isinstance(e, PerMessageDeflate) and e.local_max_window_bits >= WINDOW_BITS
                for e in self.conn.extensions
            )

    def handle_close(self, event: Any) -> None:
        self._flush()
        super().handle_close(event)

    def shutdown(self) -> None:
        self._flush()
        super().shutdown()

    def connection_lost(self, exc: Exception | None) -> None:
        self._out.clear()
        if connections.COUNTER is not None:  # (counted when the HTTP connection was accepted)
            connections.COUNTER.release(self.transport)
        super().connection_lost(exc)

    # -- reading ---------------------------------------------------------------------------------------
    def send_receive_event_to_app(self) -> None:
        """uvicorn's, except that reading pauses only once ``PAUSE_AFTER`` messages wait."""
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return  # past websocket.close: reads stay active until the peer's close reply
        if self.curr_msg_data_type == "text":
            try:
                self.queue.put_nowait({"type": "websocket.receive", "text": data.decode()})
            except UnicodeDecodeError:  # a client's mistake: close 1007, no traceback in the log
                logging.getLogger(__name__).debug("a text frame that is not UTF-8: close 1007")
                self.conn.send_close(1007, "invalid UTF-8")
                self.handle_parser_exception()
                return
        else:
            self.queue.put_nowait({"type": "websocket.receive", "bytes": data})
        if not self.read_paused and self.queue.qsize() >= PAUSE_AFTER:
            self.read_paused = True
            self.transport.pause_reading()
