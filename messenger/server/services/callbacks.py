"""Callbacks to the operator's own service: it hears of sends, joins and friend requests, and may
refuse a message or a join before it happens (moderation, custom mutes).

Every callback is an HTTP ``POST`` of a JSON document to ``callback_url`` with three headers:

- ``X-Messenger-Event``: ``before_send``, ``after_send``, ``before_join`` or
  ``after_friend_request`` (also the document's ``event``);
- ``X-Messenger-Timestamp``: Unix seconds when it was sent;
- ``X-Messenger-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed with ``callback_secret``,
  of ``"<timestamp>.<body>"``. A receiver recomputes it over the raw body and refuses a
  timestamp older than a few minutes, so a captured call cannot be replayed later
  (``verify_signature``).

A "before" callback answers ``200`` with ``{"allow": true}`` or ``{"allow": false, "reason":
"..."}``; a refusal reaches the sender as ``RefusedByCallback`` with that reason. Anything else
(no answer within ``callback_timeout_ms``, no connection, a status other than 2xx, an unreadable
body) is a failure, decided by ``callback_on_failure``: ``allow`` (the default: a moderation
service that is down does not stop the chat) lets the action through, ``refuse`` refuses it
with ``CallbackUnavailable`` (a server error: the sender's outbox tries again later).

"After" callbacks are sent once the change is committed, without delaying anyone; at most
``callback_max_pending`` wait at once, and beyond that they are dropped and counted
(``messenger_callbacks_total{outcome="dropped"}``): they are notifications, not a log.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from messenger.protocol.errors import CallbackUnavailable, RefusedByCallback

log = logging.getLogger(__name__)

BEFORE_SEND = "before_send"
AFTER_SEND = "after_send"
BEFORE_JOIN = "before_join"
AFTER_FRIEND_REQUEST = "after_friend_request"
EVENTS = (BEFORE_SEND, AFTER_SEND, BEFORE_JOIN, AFTER_FRIEND_REQUEST)
REASON_BYTES = 500  # a refusal's reason is cut to this length

SIGNATURE_HEADER = "X-Messenger-Signature"
TIMESTAMP_HEADER = "X-Messenger-Timestamp"
EVENT_HEADER = "X-Messenger-Event"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Messenger-Signature`` value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    max_age: float = 300.0,
    now: float | None = None,
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent."""
    try:
        timestamp = int(headers[TIMESTAMP_HEADER])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > max_age:
        return False
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected, headers.get(SIGNATURE_HEADER, ""))


class _Failed(Exception):
    """The callback service did not give a usable answer."""


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise _Failed("the answer is not JSON") from None


class Callbacks:
    """Sends the configured callbacks; without a URL every method returns at once."""

    def __init__(
        self,
        *,
        url: str,
        secret: str,
        sdk_app_id: int,
        timeout_ms: int = 2000,
        on_failure: str = "allow",
        events: tuple[str, ...] = EVENTS,
        max_pending: int = 1000,
        on_outcome: Any = None,
    ) -> None:
        self._url = url
        self._secret = secret
        self._sdk_app_id = sdk_app_id
        self._timeout = timeout_ms / 1000
        self._refuse_on_failure = on_failure == "refuse"
        self._events = frozenset(events) if url else frozenset()
        self._max_pending = max_pending
        self._pending: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None
        self._on_outcome = on_outcome  # (event, outcome) → None, for the metrics

    def wants(self, event: str) -> bool:
        return event in self._events

    # -- before: may refuse --------------------------------------------------------------------------
    async def before(self, event: str, payload: dict[str, Any]) -> None:
        """Ask the service; raise ``RefusedByCallback`` if it refuses (or ``CallbackUnavailable``
        if it fails and the policy is to refuse then)."""
        if event not in self._events:
            return
        try:
            answer = _json(await self._post(event, payload))
            allow = answer.get("allow") if isinstance(answer, dict) else None
            if not isinstance(allow, bool):
                raise _Failed('the answer has no boolean "allow"')
        except _Failed as exc:
            self._count(event, "failed")
            log.warning("%s callback failed: %s", event, exc)
            if self._refuse_on_failure:
                raise CallbackUnavailable(
                    "the moderation service did not answer; try again later", event=event
                ) from None
            return
        if allow:
            self._count(event, "allowed")
            return
        self._count(event, "refused")
        reason = answer.get("reason")
        reason = reason[:REASON_BYTES] if isinstance(reason, str) and reason else "refused"
        raise RefusedByCallback(reason, event=event, reason=reason)

    # -- after: notifications ------------------------------------------------------------------------
    def after(self, event: str, payload: dict[str, Any]) -> None:
        """Tell the service in the background (dropped, and counted, past ``max_pending``)."""
        if event not in self._events:
            return
        if len(self._pending) >= self._max_pending:
            self._count(event, "dropped")
            return
        task = asyncio.get_running_loop().create_task(self._notify(event, payload))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _notify(self, event: str, payload: dict[str, Any]) -> None:
        try:
            await self._post(event, payload)
        except _Failed as exc:
            self._count(event, "failed")
            log.info("%s callback failed: %s", event, exc)
            return
        self._count(event, "delivered")

    # -- the HTTP call -------------------------------------------------------------------------------
    async def _post(self, event: str, payload: dict[str, Any]) -> httpx.Response:
        document = {
            "event": event,
            "sdk_app_id": self._sdk_app_id,
            "time": int(time.time() * 1000),
            **payload,
        }
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            EVENT_HEADER: event,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
        }
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=None, follow_redirects=False)
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._http.post(self._url, content=body, headers=headers)
        except TimeoutError:
            raise _Failed(f"no answer within {self._timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise _Failed(f"{type(exc).__name__}: {exc}") from None
        if not 200 <= response.status_code < 300:
            raise _Failed(f"HTTP {response.status_code}")
        return response

    def _count(self, event: str, outcome: str) -> None:
        if self._on_outcome is not None:
            self._on_outcome(event, outcome)

    async def aclose(self) -> None:
        for task in list(self._pending):
            task.cancel()
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
            self._http = None
