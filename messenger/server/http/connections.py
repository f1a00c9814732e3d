"""Open TCP connections per client address, capped (``ip_connection_limit``).

A client that opens connections and keeps them (idle keep-alives, slow heads, many sockets)
would hold the server's file descriptors and memory whatever the request rates say. Each
connection counts from the moment it is accepted until it is lost, through a WebSocket upgrade
(the WebSocket protocol releases what the HTTP protocol counted). Past the cap the connection is
answered 429 ``rate_limited`` (``scope: ip_connections``) and closed. Exempt addresses
(``ip_limits_exempt``) are not counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from messenger.protocol.errors import RateLimited
from messenger.protocol.frames import encode

RETRY_MS = 1_000
LINGER_SECONDS = 1.0  # a refused connection is closed this long after its answer


def _refusal() -> bytes:
    refused = RateLimited(
        "too many connections from this address", retry_after_ms=RETRY_MS, scope="ip_connections"
    )
    body = encode(refused.to_wire())
    return (
        b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
        b"retry-after: 1\r\nconnection: close\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


def _refuse(transport: asyncio.Transport) -> None:
    """Answer 429 and end the connection. Closing at once would reset it if the client's request
    is already on its way (and the answer would be lost): half-close, let it be read, close."""
    transport.write(_refusal())
    if transport.can_write_eof():
        transport.write_eof()
    asyncio.get_running_loop().call_later(LINGER_SECONDS, transport.close)


class ConnectionsByAddress:
    def __init__(self, limit: int, exempt: Iterable[str]) -> None:
        self.limit = limit
        self._exempt = frozenset(exempt)
        self._by_address: dict[str, int] = {}
        self._address_of: dict[asyncio.BaseTransport, str] = {}

    def count(self, address: str) -> int:
        return self._by_address.get(address, 0)

    def accept(self, transport: asyncio.Transport) -> bool:
        """Count a new connection; False (after answering 429 and closing it) past the cap."""
        if transport in self._address_of:
            return True  # (counted already: an upgrade hands the same transport on)
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        if not address or address in self._exempt:
            return True
        if self._by_address.get(address, 0) >= self.limit:
            _refuse(transport)
            return False
        self._by_address[address] = self._by_address.get(address, 0) + 1
        self._address_of[transport] = address
        return True

    def release(self, transport: asyncio.BaseTransport) -> None:
        address = self._address_of.pop(transport, None)
        if address is not None:
            left = self._by_address[address] - 1
            if left:
                self._by_address[address] = left
            else:
                del self._by_address[address]


# The server's one counter, set by ``runner.uvicorn_config`` (uvicorn builds its protocols from
# classes, without a way to hand them an object).
COUNTER: ConnectionsByAddress | None = None
