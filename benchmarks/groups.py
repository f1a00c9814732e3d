"""Groups benchmark: a big Public group and a big live room, with every member online.

    python -m benchmarks.groups [--quick] [--members N]

A Public group of ``members`` users and a live room (AVChatRoom) the same users joined are
written into the server's database with the server's own storage code (users, sessions, the
group, the joins), then a real ``messenger-server`` serves them and every member opens a raw
WebSocket. Measured:

- the group panel of the desktop app (real client, ``GroupViewModel`` + ``GroupPanel``, Qt
  offscreen): from opening the group to its first page of members painted;
- mute, role change and kick in the Public group: from the request to the last online member
  that got the change (the tip);
- a message in the live room: from the send to the last online member that got it;
- the live room's online count: the answer of ``GET /online`` with everyone connected, and how
  long after 100 members disconnect the count shows it.

Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import msgspec
import websockets

from benchmarks.server import KEY, SDK_APP_ID, Server
from messenger.protocol import frames
from messenger.protocol.models import GroupType, JoinOption, SendRequest
from messenger.protocol.usersig import generate_usersig
from messenger.server.services.auth import hash_token
from messenger.server.storage.records import GroupOp, NewGroup, NewMembers, SessionRecord
from messenger.server.storage.sqlite.storage import SqliteStorage

OWNER = "g_owner"
PUBLIC = "bench_public"
LIVE = "bench_live"


def member_id(i: int) -> str:
    return f"m{i:05d}"


async def seed(db: Path, members: int) -> tuple[float, dict[str, str]]:
    """Users with one session each, the Public group and the live room; returns the tokens."""
    started = time.perf_counter()
    storage = SqliteStorage(db, synchronous="OFF")
    await storage.open()
    users = [OWNER, *(member_id(i) for i in range(members))]
    await asyncio.gather(*(storage.create_user(u, u, None) for u in users))
    tokens: dict[str, str] = {}
    expires = int(time.time() * 1000) + 86_400_000
    for user in users:
        token = secrets.token_urlsafe(24)
        tokens[user] = token
        record = SessionRecord(
            token_hash=hash_token(token),
            user_id=user,
            device_id=uuid.uuid4().hex,
            device_name="bench",
            platform="bench",
            created=int(time.time() * 1000),
            expires_at=expires,
        )
        await storage.open_session(record, device_limit=5, policy="kick_oldest")
    outcome = await storage.create_group(
        NewGroup(
            group_id=PUBLIC,
            name="Big public group",
            type=GroupType.PUBLIC,
            owner=OWNER,
            members=[],
            introduction="",
            notification="",
            max_members=members + 10,
            tip_message_id=uuid.uuid4().hex,
            join_option=JoinOption.APPROVAL,
        )
    )
    others = users[1:]
    for at in range(0, len(others), 500):
        await storage.add_members(
            NewMembers(
                conv_id=outcome.conv_id,
                group_id=PUBLIC,
                operator=OWNER,
                user_ids=others[at : at + 500],
                max_members=members + 10,
                tip_message_id=uuid.uuid4().hex,
            )
        )
    await storage.create_group(
        NewGroup(
            group_id=LIVE,
            name="Big live room",
            type=GroupType.AVCHATROOM,
            owner=OWNER,
            members=[],
            introduction="",
            notification="",
            max_members=1_000_000,
            tip_message_id=uuid.uuid4().hex,
            join_option=JoinOption.FREE,
        )
    )
    await asyncio.gather(
        *(
            storage.group_op(
                GroupOp(kind="join", group_id=LIVE, operator=u, message_id=uuid.uuid4().hex)
            )
            for u in others
        )
    )
    await storage.close()
    return time.perf_counter() - started, tokens


# -- the desktop app's group panel ------------------------------------------------------------------
def panel_figures(server: Server, data: Path) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from messenger.app.qt_compat import pin_singletons_if_needed

    pin_singletons_if_needed()
    app = QApplication.instance() or QApplication(["bench-groups"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        figures: dict[str, Any] = loop.run_until_complete(_panel(server, data))
    return figures


async def _panel(server: Server, data: Path) -> dict[str, Any]:
    from messenger.core import Client
    from messenger.ui.group_panel import GroupPanel
    from messenger.viewmodels.group import GroupViewModel
    from messenger.viewmodels.names import NamesViewModel

    client = Client(server.url, data / "client", sync_timeout=300)
    await client.start()
    await client.login(OWNER, generate_usersig(SDK_APP_ID, KEY, OWNER, 86400))
    names = NamesViewModel(client)
    vm = GroupViewModel(client, names)
    panel = GroupPanel(vm)
    panel.resize(260, 720)
    panel.show()
    times = []
    for _ in range(5):
        vm.show("")
        await asyncio.sleep(0.05)
        loaded = asyncio.get_running_loop().create_future()
        vm.members_loaded.connect(lambda f=loaded: f.done() or f.set_result(None))
        started = time.perf_counter()
        vm.show(PUBLIC)
        await loaded
        panel.repaint()
        times.append((time.perf_counter() - started) * 1e3)
        vm.members_loaded.disconnect()
    page = vm.members.rowCount()
    figures = {
        f"group panel of {vm.info.member_count if vm.info else 0:,} members: "
        f"open to first page ({page}) painted (ms, median / max of 5)": (
            f"{statistics.median(times):.1f} / {max(times):.1f}"
        )
    }
    panel.close()
    vm.close()
    await client.aclose()
    return figures


# -- fan-out to every online member -----------------------------------------------------------------
async def _connect(server: Server, tokens: list[str]) -> list[Any]:
    async def one(token: str) -> Any:
        for _ in range(5):  # a busy machine may miss the hello deadline: try again
            ws = await websockets.connect(server.ws_url, max_size=None, open_timeout=120)
            await ws.send(frames.encode(frames.Hello(token=token, since=None)))
            try:
                while not isinstance(frames.decode_server_frame(await ws.recv()), frames.Welcome):
                    pass
                return ws
            except websockets.ConnectionClosed:
                await asyncio.sleep(1.0)
        raise RuntimeError("could not connect")

    sockets = []
    for at in range(0, len(tokens), 50):
        sockets.extend(await asyncio.gather(*(one(t) for t in tokens[at : at + 50])))
    return sockets


async def _until_all(sockets: list[Any], wanted: Any) -> list[float]:
    arrived: list[float] = []

    async def wait(ws: Any) -> None:
        while True:
            frame = frames.decode_server_frame(await ws.recv())
            if isinstance(frame, frames.Changes) and any(wanted(c) for c in frame.changes):
                arrived.append(time.perf_counter())
                return

    await asyncio.wait_for(asyncio.gather(*(wait(ws) for ws in sockets)), 120)
    return arrived


def _tip(kind: str) -> Any:
    def match(change: Any) -> bool:
        return (
            isinstance(change, frames.MessageChange)
            and change.message.kind == "tip"
            and change.message.body.get("tip") == kind
        )

    return match


async def fanout(server: Server, tokens: dict[str, str], members: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    everyone = [member_id(i) for i in range(members)]
    started = time.perf_counter()
    sockets = await _connect(server, [tokens[u] for u in everyone])
    figures[f"{members:,} members connected (s)"] = time.perf_counter() - started
    await asyncio.sleep(1.0)
    auth = {"Authorization": f"Bearer {tokens[OWNER]}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=server.url, timeout=120, headers=auth) as http:

        async def timed(label: str, method: str, path: str, body: Any, tip: str) -> None:
            listeners = sockets[:-1] if tip == "member_kicked" else sockets
            waiting = asyncio.create_task(_until_all(listeners, _tip(tip)))
            await asyncio.sleep(0.2)
            began = time.perf_counter()
            r = await http.request(method, path, content=msgspec.json.encode(body))
            r.raise_for_status()
            delays = sorted((t - began) * 1e3 for t in await waiting)
            figures[f"{label} → {len(listeners):,} online members: median / last (ms)"] = (
                f"{statistics.median(delays):.1f} / {delays[-1]:.1f}"
            )

        target = everyone[-1]
        base = f"/v1/groups/{PUBLIC}"
        await timed(
            "mute", "PUT", f"{base}/members/{target}/mute", {"seconds": 600}, "member_info_changed"
        )
        await timed(
            "set admin", "PUT", f"{base}/members/{target}/role", {"role": "admin"}, "admin_set"
        )
        await timed("kick", "POST", f"{base}/kick", {"user_ids": [target]}, "member_kicked")

        # the live room: one message to everyone
        def live_text(change: Any) -> bool:
            return (
                isinstance(change, frames.MessageChange)
                and change.message.target == LIVE
                and change.message.kind == "text"
            )

        waiting = asyncio.create_task(_until_all(sockets, live_text))
        await asyncio.sleep(0.2)
        send = SendRequest(client_msg_id=uuid.uuid4().hex, body={"text": "live!"})
        began = time.perf_counter()
        r = await http.post(
            f"/v1/conversations/GROUP{LIVE}/messages", content=msgspec.json.encode(send)
        )
        r.raise_for_status()
        delays = sorted((t - began) * 1e3 for t in await waiting)
        figures[f"live room message → {members:,} online members: median / last (ms)"] = (
            f"{statistics.median(delays):.1f} / {delays[-1]:.1f}"
        )

        began = time.perf_counter()
        r = await http.get(f"/v1/groups/{LIVE}/online")
        answered = (time.perf_counter() - began) * 1e3
        figures[f"live room online count (of {members:,} connected): answer, time (ms)"] = (
            f"{r.json()['online']:,}, {answered:.1f}"
        )
        gone = sockets[:100]
        for ws in gone:
            await ws.close()
        began = time.perf_counter()
        expected = members - 100
        while True:
            r = await http.get(f"/v1/groups/{LIVE}/online")
            if r.json()["online"] == expected:
                break
            await asyncio.sleep(0.01)
        figures["live room online count right after 100 disconnect (ms)"] = (
            time.perf_counter() - began
        ) * 1e3
    for ws in sockets[100:]:
        await ws.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 members, for a smoke run")
    parser.add_argument("--members", type=int, default=0)
    args = parser.parse_args()
    members = args.members or (1_000 if args.quick else 10_000)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "server"
        data.mkdir()
        seconds, tokens = asyncio.run(seed(data / "messenger.sqlite3", members))
        print(f"seeded {members:,} members, a Public group and a live room in {seconds:.1f} s")
        server = Server(data, "NORMAL")
        try:
            figures = panel_figures(server, root)
            for name, value in figures.items():
                print(f"{name}: {value}", flush=True)
            figures.update(asyncio.run(fanout(server, tokens, members)))
        finally:
            server.stop()
    for name, value in figures.items():
        shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
        print(f"{name}: {shown}")


if __name__ == "__main__":
    main()
