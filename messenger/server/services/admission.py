"""Admission: per-IP and per-user limits on requests, sign-ins and open WebSockets.

Each limit refuses with ``RateLimited`` (429 on REST, an ``error`` frame and close 4029 on a
WebSocket that may not open) whose ``retry_after_ms`` says when to try again, and whose
``scope`` names the limit. Requests and sign-ins are token buckets (a steady rate and a burst);
sockets are counted while open. Addresses in ``ip_limits_exempt`` (loopback by default: the local
app, tests, benchmarks, a reverse proxy that does not pass ``X-Forwarded-For``) skip the per-IP
limits, never the per-user ones. The figures are in docs/operations.md.

With several nodes (a shared ``NodeBus``: Redis) every limit here counts on all nodes together:
the buckets and the open sockets live on the bus. Where the bus cannot answer, this node's own
buckets and counts decide (they are kept either way).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from messenger.protocol.errors import RateLimited
from messenger.server.bus.base import LocalBus, NodeBus
from messenger.server.config import ServerConfig
from messenger.server.services.lru import Lru
from messenger.server.services.ratelimit import TokenBucket

SOCKET_RETRY_MS = 5_000
_BUCKETS = 100_000
# failed password sign-ins per user ID: 10, then 5 a minute
_PASSWORD_RATE, _PASSWORD_BURST = 5 / 60, 10


class Slot:
    """One open socket counted under a limit; ``release`` frees its place (once)."""

    __slots__ = ("_release",)

    def __init__(self, release: Callable[[], None] | None = None) -> None:
        self._release = release

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


class Admission:
    def __init__(
        self,
        config: ServerConfig,
        bus: NodeBus | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._bus = bus or LocalBus()
        self._clock = clock
        self._exempt = frozenset(config.ip_limits_exempt)
        self._app_admins = frozenset(config.admin_users)  # the operator's own backend identities
        self._buckets: Lru[tuple[str, str], TokenBucket] = Lru(_BUCKETS)
        self._sockets_by_ip: dict[str, int] = {}
        self._sockets_by_user: dict[str, int] = {}

    def exempt(self, ip: str | None) -> bool:
        return ip is None or ip in self._exempt

    async def _take(
        self, scope: str, key: str, rate: float, burst: float, message: str, peek: bool = False
    ) -> None:
        wait = None
        if self._bus.shared:
            wait = await self._bus.take(f"{scope}:{key}", rate, burst, peek=peek)
        if wait is None:  # one node, or the bus cannot answer
            now = self._clock()
            bucket = self._buckets.get((scope, key))
            if bucket is None:
                bucket = self._buckets[(scope, key)] = TokenBucket(rate, float(burst), now)
            wait = bucket.wait(now) if peek else bucket.take(now)
        if wait:
            raise RateLimited(message, retry_after_ms=max(1, int(wait * 1000)), scope=scope)

    # -- requests ------------------------------------------------------------------------------------
    async def ip_request(self, ip: str | None) -> None:
        """One REST request from ``ip`` (checked before the caller is known)."""
        if not self.exempt(ip):
            assert ip is not None
            c = self._config
            await self._take("ip", ip, c.ip_request_rate, c.ip_request_burst, "too many requests")

    async def user_request(self, user_id: str) -> None:
        """One REST request or WebSocket frame of a signed-in ``user_id``. App admins (the
        operator's backend, signed with the secret key) are not limited per user."""
        if user_id in self._app_admins:
            return
        c = self._config
        await self._take(
            "user", user_id, c.user_request_rate, c.user_request_burst, "too many requests"
        )

    async def sign_in(self, ip: str | None) -> None:
        """One attempt to register, exchange a password or sign a device in, from ``ip``."""
        if not self.exempt(ip):
            assert ip is not None
            c = self._config
            await self._take(
                "sign_in", ip, c.ip_sign_in_rate, c.ip_sign_in_burst, "too many sign-ins"
            )

    # -- failed passwords ----------------------------------------------------------------------------
    async def check_password(self, user_id: str) -> None:
        """Refused while ``user_id`` has had too many wrong passwords lately."""
        await self._take(
            "password",
            user_id,
            _PASSWORD_RATE,
            _PASSWORD_BURST,
            "too many failed sign-ins; wait a moment",
            peek=True,
        )

    async def password_failed(self, user_id: str) -> None:
        try:
            await self._take("password", user_id, _PASSWORD_RATE, _PASSWORD_BURST, "")
        except RateLimited:
            pass  # (already at the limit: the next check refuses)

    # -- open sockets ----------------------------------------------------------------------------------
    async def open_socket(self, ip: str | None) -> Slot:
        """Count a socket from ``ip``; ``RateLimited`` if the address has too many open."""
        if self.exempt(ip):
            return Slot()
        assert ip is not None
        return await self._hold(
            "ip_sockets",
            ip,
            self._sockets_by_ip,
            self._config.ip_socket_limit,
            "too many connections from this address",
        )

    async def open_user_socket(self, user_id: str) -> Slot:
        """Count a signed-in socket of ``user_id``; ``RateLimited`` beyond the user's limit."""
        return await self._hold(
            "user_sockets",
            user_id,
            self._sockets_by_user,
            self._config.user_socket_limit,
            "too many connections of this account",
        )

    async def _hold(
        self, scope: str, key: str, counts: dict[str, int], limit: int, message: str
    ) -> Slot:
        shared = await self._bus.hold(f"{scope}:{key}", limit) if self._bus.shared else None
        if shared is False or (shared is None and counts.get(key, 0) >= limit):
            raise RateLimited(message, retry_after_ms=SOCKET_RETRY_MS, scope=scope)
        counts[key] = counts.get(key, 0) + 1

        def release() -> None:
            left = counts.get(key, 0) - 1
            if left > 0:
                counts[key] = left
            else:
                counts.pop(key, None)
            if shared:
                self._bus.release(f"{scope}:{key}")

        return Slot(release)
