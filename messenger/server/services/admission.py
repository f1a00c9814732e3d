"""Admission: per-IP and per-user limits on requests, sign-ins and open WebSockets.

Each limit refuses with ``RateLimited`` (429 on REST, an ``error`` frame and close 4029 on a
WebSocket that may not open) whose ``retry_after_ms`` says when to try again, and whose
``scope`` names the limit. Requests and sign-ins are token buckets (a steady rate and a burst);
sockets are counted while open. Addresses in ``ip_limits_exempt`` (loopback by default: the local
app, tests, benchmarks, a reverse proxy that does not pass ``X-Forwarded-For``) skip the per-IP
limits, never the per-user ones. The figures are in docs/operations.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from messenger.protocol.errors import RateLimited
from messenger.server.config import ServerConfig
from messenger.server.services.lru import Lru
from messenger.server.services.ratelimit import TokenBucket

SOCKET_RETRY_MS = 5_000
_BUCKETS = 100_000


class Admission:
    def __init__(self, config: ServerConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._clock = clock
        self._exempt = frozenset(config.ip_limits_exempt)
        self._app_admins = frozenset(config.admin_users)  # the operator's own backend identities
        self._buckets: Lru[tuple[str, str], TokenBucket] = Lru(_BUCKETS)
        self._sockets_by_ip: dict[str, int] = {}
        self._sockets_by_user: dict[str, int] = {}

    def exempt(self, ip: str | None) -> bool:
        return ip is None or ip in self._exempt

    def _take(self, key: tuple[str, str], rate: float, burst: int, message: str) -> None:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(rate, float(burst), now)
        wait = bucket.take(now)
        if wait:
            raise RateLimited(message, retry_after_ms=max(1, int(wait * 1000)), scope=key[0])

    # -- requests ------------------------------------------------------------------------------------
    def ip_request(self, ip: str | None) -> None:
        """One REST request from ``ip`` (checked before the caller is known)."""
        if not self.exempt(ip):
            assert ip is not None
            c = self._config
            self._take(("ip", ip), c.ip_request_rate, c.ip_request_burst, "too many requests")

    def user_request(self, user_id: str) -> None:
        """One REST request or WebSocket frame of a signed-in ``user_id``. App admins (the
        operator's backend, signed with the secret key) are not limited per user."""
        if user_id in self._app_admins:
            return
        c = self._config
        self._take(
            ("user", user_id), c.user_request_rate, c.user_request_burst, "too many requests"
        )

    def sign_in(self, ip: str | None) -> None:
        """One attempt to register, exchange a password or sign a device in, from ``ip``."""
        if not self.exempt(ip):
            assert ip is not None
            c = self._config
            self._take(("sign_in", ip), c.ip_sign_in_rate, c.ip_sign_in_burst, "too many sign-ins")

    # -- open sockets ----------------------------------------------------------------------------------
    def open_socket(self, ip: str | None) -> None:
        """Count a socket from ``ip``; ``RateLimited`` if the address has too many open."""
        if self.exempt(ip):
            return
        assert ip is not None
        if self._sockets_by_ip.get(ip, 0) >= self._config.ip_socket_limit:
            raise RateLimited(
                "too many connections from this address",
                retry_after_ms=SOCKET_RETRY_MS,
                scope="ip_sockets",
            )
        self._sockets_by_ip[ip] = self._sockets_by_ip.get(ip, 0) + 1

    def close_socket(self, ip: str | None) -> None:
        if self.exempt(ip):
            return
        assert ip is not None
        left = self._sockets_by_ip.get(ip, 0) - 1
        if left > 0:
            self._sockets_by_ip[ip] = left
        else:
            self._sockets_by_ip.pop(ip, None)

    def open_user_socket(self, user_id: str) -> None:
        """Count a signed-in socket of ``user_id``; ``RateLimited`` beyond the user's limit."""
        if self._sockets_by_user.get(user_id, 0) >= self._config.user_socket_limit:
            raise RateLimited(
                "too many connections of this account",
                retry_after_ms=SOCKET_RETRY_MS,
                scope="user_sockets",
            )
        self._sockets_by_user[user_id] = self._sockets_by_user.get(user_id, 0) + 1

    def close_user_socket(self, user_id: str) -> None:
        left = self._sockets_by_user.get(user_id, 0) - 1
        if left > 0:
            self._sockets_by_user[user_id] = left
        else:
            self._sockets_by_user.pop(user_id, None)
