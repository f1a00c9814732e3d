"""Launching the app as a person does: a quiet console, and one instance per account (U9)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from messenger.app.single_instance import INSTANCES_DIR, socket_name
from messenger.server.runtime import DataDirLock
from tests.helpers.local_server import kill_local_server

APP_ENV = {
    **{k: v for k, v in os.environ.items() if k != "MESSENGER_CONSOLE_LOG"},
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
}


def _app(data: Path, *args: str, **env: str) -> list[str]:
    return [sys.executable, "-m", "messenger.app", "--data-dir", str(data), *args]


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    yield folder
    kill_local_server(folder / "server")


def test_a_launch_prints_nothing_on_the_console(data: Path) -> None:
    """No warning of the binding guard, the keyring or Qt's platform plugin on stderr: they
    go to the log file."""
    for args in (["--quit-after", "2"], ["--demo", "--quit-after", "3"]):
        done = subprocess.run(
            _app(data, *args), env=APP_ENV, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stderr == ""
        assert done.stdout == ""
    log = (data / "logs" / "messenger.log").read_text("utf-8")
    assert "demo data created" in log


def _holds(data: Path, key: str) -> bool:
    probe = DataDirLock(data / INSTANCES_DIR, socket_name(data, key) + ".lock")
    if not (data / INSTANCES_DIR).is_dir() or probe.try_acquire():
        probe.release()
        return False
    return True


def test_a_second_launch_of_the_same_account_shows_the_first_and_ends(data: Path) -> None:
    env = {**APP_ENV, "MESSENGER_CONSOLE_LOG": "info"}
    first_log = data.parent / "first.log"
    with first_log.open("w") as out:
        first = subprocess.Popen(
            _app(data, "--demo", "--as", "bob", "--quit-after", "25"),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not _holds(data, "local|bob"):
            assert first.poll() is None, first_log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the first window never signed in"
            time.sleep(0.1)
        # No --quit-after: a second window that opened would never end (a timeout here).
        second = subprocess.run(
            _app(data, "--demo", "--as", "bob"), env=env, capture_output=True, timeout=60
        )
        assert second.returncode == 0, second.stderr[-2000:]
        time.sleep(1)
        assert first.poll() is None  # still running, still signed in
        assert _holds(data, "local|bob")
    finally:
        first.wait(60)
    text = first_log.read_text()
    assert first.returncode == 0, text[-2000:]
    assert "another launch of this account: showing the window" in text
    assert "session of bob ended" not in text  # not signed out ("replaced")


QUIT_SCRIPT = """
import asyncio, sys, threading
import messenger.app.main as app_main

async def app_with_leftovers(args, data):
    # a worker thread in a blocking call, and a task that swallows its cancellation
    asyncio.get_running_loop().run_in_executor(None, threading.Event().wait)

    async def stubborn():
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                pass

    asyncio.get_running_loop().create_task(stubborn())
    await asyncio.sleep(0.1)
    return 0

app_main.run = app_with_leftovers
sys.exit(app_main.main(["--data-dir", sys.argv[1]]))
"""


def test_quitting_is_not_held_up_by_leftover_work(data: Path) -> None:
    """Once the app has closed its things, the process ends: a leftover task that swallows
    its cancellation or a worker thread stuck in a call cannot keep it alive (the event loop's
    own cleanup would wait for them for ever)."""
    done = subprocess.run(
        [sys.executable, "-c", QUIT_SCRIPT, str(data)],
        env=APP_ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
