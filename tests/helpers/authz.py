"""Refused-case authorisation tests: the registry that ``tests/meta/test_authorization.py`` checks.

Every route of the server (REST endpoints of ``protocol/api.py``, the admin API, the WebSocket,
and any route added outside the JSON router) needs at least one test showing a caller who may not
use it being refused, and that nothing changed. Mark such a test with ``@refuses("<route name>")``
(the name of ``protocol.api.ENDPOINTS``, or the Starlette route's ``name``); it may live in any
test module under ``tests/integration/``. ``nothing_changes`` checks the "nothing changed" part
for the users involved: their change feed (every message, state and group change they can see)
is the same before and after.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import msgspec

from tests.helpers.raw import RawDevice

F = TypeVar("F", bound=Callable[..., Any])

REFUSED: dict[str, list[str]] = {}
"""Route name → the refused-case tests that cover it."""


def refuses(*routes: str) -> Callable[[F], F]:
    """Register the decorated test as a refused case of each of ``routes``."""

    def register(test: F) -> F:
        for route in routes:
            REFUSED.setdefault(route, []).append(f"{test.__module__}.{test.__qualname__}")
        return test

    return register


async def feed_of(device: RawDevice) -> list[Any]:
    """Everything ``device``'s user can see change, as plain data."""
    changes, _ = await device.sync_all()
    return msgspec.to_builtins(changes)  # type: ignore[no-any-return]


@asynccontextmanager
async def nothing_changes(*devices: RawDevice) -> AsyncIterator[None]:
    """Assert that the feeds of the users of ``devices`` are the same after the block."""
    before = [await feed_of(d) for d in devices]
    yield
    after = [await feed_of(d) for d in devices]
    for device, old, new in zip(devices, before, after, strict=True):
        assert new == old, f"the refused call changed what {device.user_id} sees"
