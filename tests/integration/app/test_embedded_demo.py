"""The embedded default (U6): the app runs a real server on loopback and fills it with demo data."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from messenger.app.embedded import EmbeddedServer
from messenger.core import Client
from messenger.demo.data import DEMO_FRIEND_GROUP, seed_demo
from messenger.demo.users import DEMO_PASSWORD
from tests.helpers.local_server import kill_local_server


async def test_demo_data_gives_alice_a_realistic_conversation_list(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "server").start()
    try:
        async with httpx.AsyncClient() as http:
            assert (await http.get(server.url + "/health")).json()["status"] == "ok"
        await seed_demo(server.url, tmp_path / "demo")
        await seed_demo(server.url, tmp_path / "demo")  # a second run changes nothing
        async with Client(server.url, tmp_path / "alice") as alice:
            await alice.login_with_password("alice", DEMO_PASSWORD)
            convs = {c.conversation_id: c for c in await alice.conversations()}
            # the system conversation tells of the friends made and of the request
            assert set(convs) == {"GROUPteam", "C2Cbob", "C2Ccarol", "@TIM#SYSTEM"}
            assert convs["GROUPteam"].unread_count == 2 and convs["GROUPteam"].mention
            assert convs["C2Cbob"].unread_count == 1  # alice answered the first one
            assert convs["C2Ccarol"].unread_count == 1
            bob_chat = await alice.messages("C2Cbob")
            assert [m.sender for m in bob_chat] == ["bob", "alice", "bob"]
            assert "发布说明" in bob_chat[1].text
            # The Contacts page is not empty: two friends in a friend group, one request waiting.
            friends = {f.user_id: f for f in await alice.friends()}
            assert set(friends) == {"bob", "carol"}
            assert all(DEMO_FRIEND_GROUP in f.groups for f in friends.values())
            [request] = await alice.friend_requests()
            assert (request.sender, request.receiver) == ("dave", "alice") and request.note
    finally:
        server.stop()
    again = EmbeddedServer(tmp_path / "server").start()  # the folder was released
    again.stop()


# The app in a subprocess: offscreen, and never the keychain of the machine running the tests.
APP_ENV = {
    **os.environ,
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    "MESSENGER_CONSOLE_LOG": "info",  # the test reads what the app logs
}


def _app(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = APP_ENV
    return subprocess.run(
        [sys.executable, "-m", "messenger.app.main", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_messenger_demo_opens_and_a_second_window_joins_its_server(tmp_path: Path) -> None:
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "messenger.app.main",
            "--data-dir",
            str(tmp_path),
            "--demo",
            "--quit-after",
            "12",
        ],
        env=APP_ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ready = (tmp_path / "server" / "server.run", tmp_path / "demo" / "demo-seeded")
        deadline = time.monotonic() + 30
        while not all(p.exists() for p in ready):
            assert first.poll() is None and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.05)
        shot = tmp_path / "bob.png"
        second = _app(
            tmp_path, "--demo", "--as", "bob", "--quit-after", "2", "--screenshot", str(shot)
        )
        assert second.returncode == 0, second.stderr[-2000:]
        assert "starting the local server" not in second.stderr  # it used the running one
        assert "demo bot dave is answering" not in second.stderr  # one bot per server
        assert shot.stat().st_size > 1000
    finally:
        out, _ = first.communicate(timeout=60)
        kill_local_server(tmp_path / "server")
    assert first.returncode == 0, out[-2000:]
    assert "demo bot dave is answering" in out
