"""Waiting in shell tests: the loop (Qt and asyncio) runs while a condition is re-checked."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

STEP = 0.01


async def until(check: Callable[..., object], *, within: float = 10.0, what: str = "") -> Any:
    """Wait until ``check()`` (sync or async) is truthy and return its value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"{what or 'condition'} not reached in {within} s: {value!r}")
        await asyncio.sleep(STEP)
