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
- the live room's online count: the answer of ``GET /online`` with everyone connected; after 100
  members disconnect, how long until the others have the pushed count, the GET answer came before.

Each fan-out figure comes with the CPU time the server process spent on it.

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

from benchmarks.peers.clients import Target
from benchmarks.receivers import Receivers
from benchmarks.server import KEY, SDK_APP_ID, Server
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
def user_system_cpu(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process (all its threads) so far."""
    rest = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(rest[11]) / 100, int(rest[12]) / 100  # (fields 14 and 15, in ticks)


def _tip(kind: str) -> bytes:
    return b'"tip":"' + kind.encode() + b'"'


async def fanout(
    server: Server, tokens: dict[str, str], members: int, processes: int
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    everyone = [member_id(i) for i in range(members)]
    port = int(server.url.rsplit(":", 1)[1])
    target = Target("ours", "127.0.0.1", port, deflate=True)  # as the desktop client connects
    receivers = Receivers(target, [(u, tokens[u]) for u in everyone], processes)
    figures[f"{receivers.connected:,} members connected from {processes} processes (s)"] = (
        receivers.connect_s
    )
    print(f"{receivers.connected:,} members connected in {receivers.connect_s:.1f} s", flush=True)
    await asyncio.sleep(2.0)  # (the live room's count frames of the arrivals settle)
    auth = {"Authorization": f"Bearer {tokens[OWNER]}", "Content-Type": "application/json"}
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=120, headers=auth) as http:

            async def timed(
                label: str, needle: bytes, method: str, path: str, body: Any, skip: str = ""
            ) -> None:
                async def request() -> None:
                    r = await http.request(method, path, content=msgspec.json.encode(body))
                    r.raise_for_status()

                user0, system0 = user_system_cpu(server.proc.pid)
                skipped = frozenset({skip} if skip else ())
                delays, missing = await receivers.first(needle, request, skipped)
                user1, system1 = user_system_cpu(server.proc.pid)
                lost = f", {missing} never got it" if missing else ""
                figures[
                    f"{label} → {len(delays):,} online members: median / last (ms); "
                    f"server CPU user + system (ms){lost}"
                ] = (
                    f"{statistics.median(delays):.1f} / {delays[-1]:.1f}; "
                    f"{(user1 - user0) * 1e3:.0f} + {(system1 - system0) * 1e3:.0f}"
                )

            victim = everyone[-1]
            base = f"/v1/groups/{PUBLIC}"
            await timed(
                "mute",
                _tip("member_info_changed"),
                "PUT",
                f"{base}/members/{victim}/mute",
                {"seconds": 600},
            )
            await timed(
                "set admin",
                _tip("admin_set"),
                "PUT",
                f"{base}/members/{victim}/role",
                {"role": "admin"},
            )
            await timed(
                "kick",
                _tip("member_kicked"),
                "POST",
                f"{base}/kick",
                {"user_ids": [victim]},
                skip=victim,
            )
            text = f"live {uuid.uuid4().hex}"
            send = SendRequest(client_msg_id=uuid.uuid4().hex, body={"text": text})
            await timed(
                "live room message",
                text.encode(),
                "POST",
                f"/v1/conversations/GROUP{LIVE}/messages",
                send,
            )

            began = time.perf_counter()
            r = await http.get(f"/v1/groups/{LIVE}/online")
            answered = (time.perf_counter() - began) * 1e3
            figures[f"live room online count (of {members:,} connected): answer, time (ms)"] = (
                f"{r.json()['online']:,}, {answered:.1f}"
            )
            await asyncio.sleep(1.5)  # (a count frame asked for above goes out first)
            expected = members - 100
            pushed, missing = await receivers.first(
                f'"online":{expected},'.encode(), wait_s=30, close=100
            )
            lost = f" ({missing} never got it)" if missing else ""
            figures[
                f"live room: 100 disconnect → the pushed count ({expected:,}) reaches "
                f"{len(pushed):,} online members: median / last (ms){lost}"
            ] = f"{statistics.median(pushed):.1f} / {pushed[-1]:.1f}" if pushed else "none"
    finally:
        receivers.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 members, for a smoke run")
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument(
        "--processes", type=int, default=4, help="worker processes the receivers are spread over"
    )
    parser.add_argument(
        "--server-code", type=Path, help="serve with the code of this copy (a before/after)"
    )
    args = parser.parse_args()
    members = args.members or (1_000 if args.quick else 10_000)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "server"
        data.mkdir()
        seconds, tokens = asyncio.run(seed(data / "messenger.sqlite3", members))
        print(f"seeded {members:,} members, a Public group and a live room in {seconds:.1f} s")
        server = Server(data, "NORMAL", code_root=args.server_code)
        try:
            figures = panel_figures(server, root)
            for name, value in figures.items():
                print(f"{name}: {value}", flush=True)
            figures.update(asyncio.run(fanout(server, tokens, members, args.processes)))
        finally:
            server.stop()
    for name, value in figures.items():
        shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
        print(f"{name}: {shown}")


if __name__ == "__main__":
    main()
