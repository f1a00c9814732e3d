from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.helpers.raw import Make, RawDevice
from tests.helpers.server import ServerProcess


@pytest.fixture
async def make(server: ServerProcess) -> AsyncIterator[Make]:
    """``await make(user_id, connect=False, url=None)``: a signed-in device, closed at the end."""
    made: list[RawDevice] = []

    async def new(user_id: str, *, connect: bool = False, url: str | None = None) -> RawDevice:
        device = await RawDevice(url or server.url, user_id).sign_in()
        made.append(device)
        if connect:
            await device.connect()
        return device

    yield new
    for d in made:
        await d.aclose()
