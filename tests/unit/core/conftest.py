from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from messenger.core.events import Event, EventBus
from messenger.core.store import Store


class Recorder:
    """Collects the events a bus publishes."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        bus.subscribe(self.events.append)

    def of(self, kind: type) -> list:  # type: ignore[type-arg]
        return [e for e in self.events if isinstance(e, kind)]

    def clear(self) -> None:
        self.events.clear()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(tmp_path / "alice" / "messages.sqlite3", "alice")
    await s.open()
    yield s
    await s.aclose()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def recorder(bus: EventBus) -> Recorder:
    return Recorder(bus)
