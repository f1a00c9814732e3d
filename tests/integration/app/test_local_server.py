"""The shared local server (U9): one server process for every window of a data folder, started
by the first that needs it, outliving them all, and followed by the core when it moves."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from messenger.app.local_server import LocalServer, running_url, served
from messenger.core import Client
from messenger.core.backoff import Backoff
from messenger.server.runtime import read_run_pid
from tests.helpers.local_server import command_line, kill_local_server


@pytest.fixture
def server_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "server"
    yield folder
    kill_local_server(folder)


async def test_windows_share_one_server_process_that_outlives_them(server_dir: Path) -> None:
    first, second = LocalServer(server_dir, idle_exit=2), LocalServer(server_dir, idle_exit=2)
    url = await first.url()
    assert await second.url() == url
    assert first.started and not second.started
    pid = read_run_pid(server_dir)
    assert pid is not None
    assert "--local-server" in command_line(pid)  # its own process, the app's hidden mode

    first.stop()  # the window that started it quits: the other keeps the server
    await asyncio.sleep(3)
    assert running_url(server_dir) == url

    second.stop()  # nobody uses it any more: it stops by itself
    deadline = time.monotonic() + 10
    while served(server_dir):
        assert time.monotonic() < deadline, "the idle local server did not stop"
        await asyncio.sleep(0.1)
    assert running_url(server_dir) is None


async def _until(test: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def _fast() -> Backoff:
    return Backoff(base=0.05, cap=0.2)


async def test_a_client_follows_the_server_when_it_is_started_again_elsewhere(
    server_dir: Path, tmp_path: Path
) -> None:
    """The window that ran the server is gone and the server with it: the others find (or
    start) the server again and reconnect within seconds, on its new port."""
    local = LocalServer(server_dir)
    url = await local.url()
    async with (
        Client(url, tmp_path / "alice", server_resolver=local.url, backoff=_fast) as alice,
        Client(url, tmp_path / "bob", backoff=_fast) as bob,
    ):
        await alice.register("alice", "password-1")
        await bob.register("bob", "password-2")
        await alice.login_with_password("alice", "password-1")
        await bob.login_with_password("bob", "password-2")
        await bob.logout()

        kill_local_server(server_dir, signal.SIGKILL)
        started = time.monotonic()
        await _until(lambda: alice.connection_state.value != "connected", 10)
        await _until(lambda: alice.connection_state.value == "connected", 15)
        assert time.monotonic() - started < 15, "the client did not follow the server"
        assert alice.server_url != url
        assert alice.server_url == running_url(server_dir)
        sent = await alice.send_text("C2Cbob", "still here")
        assert sent.text == "still here"
    local.stop()
