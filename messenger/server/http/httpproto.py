"""uvicorn's httptools protocol with a deadline on request heads.

uvicorn times out idle keep-alive connections, but not a client that opens a connection and
sends its request line and headers slowly, or never finishes them (a "slowloris"): each such
connection would stay open for ever. Here every request head (the first one, and each next one
on a kept-alive connection) must be complete within ``head_timeout`` seconds, or the connection
is answered 408 ``request_too_slow`` and closed. WebSocket handshakes are requests too: the
upgrade request is covered, and ``http/ws.py`` then waits the same time for ``hello``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from messenger.protocol.errors import RequestTooSlow
from messenger.protocol.frames import encode
from messenger.server.http import connections

log = logging.getLogger(__name__)


def _too_slow_response(timeout: float) -> bytes:
    body = encode(RequestTooSlow("the request head did not arrive in time").to_wire())
    return (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


class HeadDeadlineProtocol(HttpToolsProtocol):
    """See the module's docstring; ``head_timeout`` is set by ``with_head_timeout``."""

    head_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._refused = False  # past the address's connection cap: whatever it sends is dropped

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if not self.transport.is_closing():
            log.debug("request head from %s not complete in time: closed", self.client)
            self.transport.write(_too_slow_response(self.head_timeout))
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if connections.COUNTER is not None and not connections.COUNTER.accept(transport):
            self._refused = True  # answered 429, being closed
            return
        self._arm()  # until the first request head is complete

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # idle from here: uvicorn's keep-alive timeout takes over

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if connections.COUNTER is not None:
            connections.COUNTER.release(self.transport)
        super().connection_lost(exc)


def with_head_timeout(seconds: float) -> type[HeadDeadlineProtocol]:
    """The protocol class with its deadline (uvicorn builds protocols from a class)."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_timeout": seconds})
