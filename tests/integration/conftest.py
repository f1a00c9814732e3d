from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess, shared_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server per test module (tests use their own user IDs)."""
    with shared_server(tmp_path_factory.mktemp("server")) as proc:
        yield proc


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of the test's own, for tests that restart or kill it."""
    proc = ServerProcess(tmp_path / "server")
    proc.start()
    yield proc
    proc.kill()


@pytest.fixture
async def devices(server: ServerProcess) -> AsyncIterator[list[RawDevice]]:
    made: list[RawDevice] = []
    yield made
    for d in made:
        await d.aclose()
