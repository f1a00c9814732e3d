"""People benchmark: a big friend list in the desktop app, and a profile change fanned out.

    python -m benchmarks.people [--quick]

An account with 5,000 friends in 20 friend groups and 2,000 pending requests (written into the
server's database with the server's own storage code, then served by a real
``messenger-server``) signs in with the real client; the real ``MainWindow`` (Qt offscreen)
then measures:

- the Contacts page: from the click on the rail to the page painted;
- the friend search box: each keystroke, filter and repaint of the list;
- a nickname change reaching 1,000 friends who are online (WebSockets spread over ``--processes``
  worker processes, ``benchmarks/receivers.py``): from the request to the last device that got
  the ``profile`` change.

Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import msgspec

from benchmarks.peers.clients import Target
from benchmarks.receivers import Receivers
from benchmarks.server import KEY, SDK_APP_ID, Server
from messenger.protocol.models import AllowType
from messenger.protocol.social import AddFriendRequest, ProfileUpdate
from messenger.protocol.usersig import generate_usersig
from messenger.server.storage.people import PeopleLimits
from messenger.server.storage.sqlite.storage import SqliteStorage

ME = "bench_me"
LIMITS = PeopleLimits(friends=100_000, pending_requests=100_000, friend_groups=100, blocks=10)


def usersig(user_id: str) -> str:
    return generate_usersig(SDK_APP_ID, KEY, user_id, 86400)


async def seed(db: Path, friends: int, groups: int, requests: int) -> float:
    """Users, friendships both ways (in ``groups`` friend groups) and pending requests."""
    started = time.perf_counter()
    storage = SqliteStorage(db, synchronous="OFF")
    await storage.open()
    people = storage.people
    await storage.create_user(ME, "Benchmark", None)
    friend_ids = [f"f{i:05d}" for i in range(friends)]
    requester_ids = [f"r{i:05d}" for i in range(requests)]
    await asyncio.gather(*(storage.create_user(u, f"Friend {u}", None) for u in friend_ids))
    await asyncio.gather(*(storage.create_user(u, f"Asker {u}", None) for u in requester_ids))
    anyone = ProfileUpdate(allow_type=AllowType.ANYONE)
    await asyncio.gather(*(people.update_profile(u, anyone) for u in friend_ids))
    await asyncio.gather(
        *(
            people.add_friend(
                ME,
                AddFriendRequest(user_id=u, group=f"Group {i % groups:02d}"),
                LIMITS,
                uuid.uuid4().hex,
            )
            for i, u in enumerate(friend_ids)
        )
    )
    await asyncio.gather(
        *(
            people.add_friend(u, AddFriendRequest(user_id=ME, note="hi"), LIMITS, uuid.uuid4().hex)
            for u in requester_ids
        )
    )
    await storage.close()
    return time.perf_counter() - started


def _login(http: httpx.Client, user_id: str) -> str:
    r = http.post(
        "/v1/auth/login",
        json={"user_id": user_id, "user_sig": usersig(user_id), "device_id": uuid.uuid4().hex},
    )
    r.raise_for_status()
    return str(r.json()["session_token"])


# -- the desktop app -----------------------------------------------------------------------------
def app_figures(server: Server, data: Path, keystrokes: str) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from messenger.app.qt_compat import pin_singletons_if_needed

    pin_singletons_if_needed()
    app = QApplication.instance() or QApplication(["bench-people"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        figures: dict[str, Any] = loop.run_until_complete(_app(server, data, keystrokes))
    return figures


async def _app(server: Server, data: Path, keystrokes: str) -> dict[str, Any]:
    from messenger.core import Client
    from messenger.ui.main_window import MainWindow
    from messenger.viewmodels.session import SessionViewModel

    figures: dict[str, Any] = {}
    client = Client(server.url, data / "client", sync_timeout=120)
    await client.start()
    started = time.perf_counter()
    await client.login(ME, usersig(ME))
    figures["first sign-in with the contacts snapshot (s)"] = time.perf_counter() - started
    friends = await client.friends()
    requests = await client.friend_requests()
    figures["friends / pending requests stored"] = f"{len(friends):,} / {len(requests):,}"

    session = SessionViewModel(client)
    started = time.perf_counter()
    await session.start()
    figures["people view-model loaded from the store (ms)"] = (time.perf_counter() - started) * 1e3
    window = MainWindow()
    window.resize(1100, 720)
    window.bind(session)
    window.show()
    await asyncio.sleep(0.5)  # (the loop paints the window meanwhile)
    contacts = window.contacts
    assert contacts is not None

    opens = []
    for _ in range(5):
        window.chats_button.click()
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        window.contacts_button.click()  # the rail: switch the page
        contacts.repaint()  # paint it now, synchronously
        opens.append((time.perf_counter() - started) * 1e3)
    figures["Contacts page: click to painted (ms, median of 5)"] = statistics.median(opens)
    started = time.perf_counter()
    # what a change of the friend list costs: the friends reloaded from the store, re-sorted
    await session.people.load(frozenset({"friends"}))
    contacts.repaint()
    figures["a friend changed: list reloaded, re-sorted and repainted (ms)"] = (
        time.perf_counter() - started
    ) * 1e3

    strokes, filters = [], []
    texts = [keystrokes[: i + 1] for i in range(len(keystrokes))]
    texts += [keystrokes[:i] for i in range(len(keystrokes) - 1, -1, -1)]
    for text in texts:
        started = time.perf_counter()
        contacts.filter.setText(text)  # → filter, rebuild the rows, reset the model
        filtered = time.perf_counter()
        contacts.friends.viewport().repaint()
        strokes.append((time.perf_counter() - started) * 1e3)
        filters.append((filtered - started) * 1e3)
        await asyncio.sleep(0.02)  # (the next key comes later)
    figures["friend search: per keystroke, filter + paint (ms, median / max)"] = (
        f"{statistics.median(strokes):.1f} / {max(strokes):.1f}"
    )
    figures["friend search: of which filtering the rows (ms, median)"] = statistics.median(filters)
    window.unbind()
    window.close()
    session.close()
    await client.aclose()
    return figures


# -- fan-out of a profile change --------------------------------------------------------------------
async def fanout(server: Server, watchers: int, processes: int) -> dict[str, Any]:
    """``watchers`` friends (who have ME in their list) online, their sockets spread over
    ``processes`` worker processes (``benchmarks/receivers.py``); ME changes the nickname."""
    friends = [f"f{i:05d}" for i in range(watchers)]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        tokens = [_login(http, u) for u in friends]
        me = _login(http, ME)
    port = int(server.url.rsplit(":", 1)[1])
    target = Target("ours", "127.0.0.1", port, deflate=True)  # as the desktop client connects
    receivers = Receivers(target, list(zip(friends, tokens, strict=True)), processes)
    await asyncio.sleep(0.5)
    answered: list[float] = []
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:

            async def rename() -> None:
                began = time.perf_counter()
                r = await http.patch(
                    "/v1/me",
                    content=msgspec.json.encode(ProfileUpdate(nickname="Renamed")),
                    headers={"Authorization": f"Bearer {me}", "Content-Type": "application/json"},
                )
                answered.append((time.perf_counter() - began) * 1e3)
                r.raise_for_status()

            delays, missing = await receivers.first(b'"nickname":"Renamed"', rename)
    finally:
        receivers.stop()
    lost = f" ({missing} never got it)" if missing else ""
    return {
        f"nickname change → {watchers:,} online friends: request answered (ms)": answered[0],
        f"nickname change → {watchers:,} online friends ({processes} receiving processes): "
        f"median / last device (ms){lost}": (f"{statistics.median(delays):.1f} / {delays[-1]:.1f}"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small account, for a smoke run")
    parser.add_argument(
        "--processes", type=int, default=4, help="worker processes the friends' sockets use"
    )
    args = parser.parse_args()
    friends, groups, requests, watchers = (
        (500, 20, 200, 100) if args.quick else (5_000, 20, 2_000, 1_000)
    )
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "server"
        data.mkdir()
        seconds = asyncio.run(seed(data / "messenger.sqlite3", friends, groups, requests))
        print(
            f"seeded {friends:,} friends in {groups} groups and {requests:,} requests "
            f"in {seconds:.1f} s"
        )
        server = Server(data, "NORMAL")
        try:
            figures = app_figures(server, root, "f0012")
            figures.update(asyncio.run(fanout(server, watchers, args.processes)))
        finally:
            server.stop()
    for name, value in figures.items():
        shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
        print(f"{name}: {shown}")


if __name__ == "__main__":
    main()
