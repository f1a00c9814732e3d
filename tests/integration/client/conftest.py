"""Client-level integration tests: real ``Client``s against the real server in a subprocess."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.clients import Devices
from tests.helpers.server import ServerProcess, shared_server


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for the whole package (every test uses its own user IDs)."""
    with shared_server(tmp_path_factory.mktemp("server")) as proc:
        yield proc


@pytest.fixture
async def devices(server: ServerProcess, tmp_path: Path) -> AsyncIterator[Devices]:
    made = Devices(server.url, tmp_path / "devices")
    yield made
    await made.aclose()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start a server of the test's own: ``own_server(*args, limits={...}, env={...})``.

    ``limits`` go to ``server.toml`` ``[limits]`` in its data folder. Killed at the end.
    """
    started: list[ServerProcess] = []

    def start(*args: str, limits: dict[str, Any] | None = None, **kw: Any) -> ServerProcess:
        data_dir = tmp_path / f"server-{len(started)}"
        data_dir.mkdir(parents=True)
        if limits:
            lines = ["[limits]", *(f"{key} = {value}" for key, value in limits.items())]
            (data_dir / "server.toml").write_text("\n".join(lines) + "\n", "utf-8")
        proc = ServerProcess(data_dir, *args, **kw)
        started.append(proc)
        return proc.start()

    yield start
    for proc in started:
        proc.kill()
