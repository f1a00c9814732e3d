"""The suite's shared fixtures, in one place (registered by ``tests/conftest.py``).

Servers are real ``messenger-server`` processes on loopback (``tests/helpers/server.py``):

- ``server``: one server shared by every test of the run that asks for it; tests keep out of
  each other's way by using their own user IDs (``tests/helpers/ids.uid``);
- ``own_server``: ``own_server(*args, limits={...}, env={...})`` starts a server of the test's
  own (for tests that restart, kill or configure it); killed at the end.

Devices on a server:

- ``devices``: real core ``Client``s (``await devices.sign_in(uid("alice"))``), closed at the end;
- ``make``: raw protocol devices (``await make(user_id, connect=True)``), closed at the end;
- ``raw_devices``: a list the test appends its own ``RawDevice``s to, closed at the end.

Other services:

- ``redis``: a throw-away ``redis-server`` of the test's own on a free loopback port
  (``tests/helpers/redis_server.py``), killed at the end.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.clients import Devices
from tests.helpers.postgres import PostgresCluster, shared_cluster
from tests.helpers.raw import Make, RawDevice
from tests.helpers.redis_server import INSTALL, RedisProcess, redis_server
from tests.helpers.server import ServerProcess, shared_server

OwnServer = Callable[..., ServerProcess]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server for every test that shares one (each uses its own user IDs)."""
    with shared_server(tmp_path_factory.mktemp("server")) as proc:
        yield proc


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[OwnServer]:
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


@pytest.fixture
async def devices(server: ServerProcess, tmp_path: Path) -> AsyncIterator[Devices]:
    """Real signed-in clients (``await devices.sign_in(uid("alice"))``), closed at the end."""
    made = Devices(server.url, tmp_path / "devices")
    yield made
    await made.aclose()


@pytest.fixture
async def make(server: ServerProcess) -> AsyncIterator[Make]:
    """``await make(user_id, connect=False, url=None)``: a signed-in raw device, closed at the end."""
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


@pytest.fixture
async def raw_devices(server: ServerProcess) -> AsyncIterator[list[RawDevice]]:
    """Raw devices a test makes itself (``raw_devices.append(device)``), closed at the end."""
    made: list[RawDevice] = []
    yield made
    for d in made:
        await d.aclose()


@pytest.fixture(scope="session")
def postgres() -> PostgresCluster:
    """A throw-away PostgreSQL cluster on loopback, one per run, started on first use
    (``tests/helpers/postgres.py``; ``postgres.fresh_schema()`` is a DSN as good as a new
    database)."""
    return shared_cluster()


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisProcess]:
    """A throw-away Redis of the test's own (``.url``; ``.kill()`` and ``.start()`` again).
    Skipped where ``make test`` does not install Redis (not Linux) and it is missing."""
    if sys.platform != "linux" and shutil.which("redis-server") is None:
        pytest.skip(f"redis-server is not installed ({INSTALL})")
    with redis_server(tmp_path / "redis") as proc:
        yield proc
