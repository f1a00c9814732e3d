"""Our server as a peer: ``messenger-server`` started as a real subprocess on a fresh data folder,
rate limits raised through the environment, ``group_max_members`` through ``server.toml``, and
set up through its REST API."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import msgspec

from benchmarks.peers.clients import Cred, Target
from benchmarks.peers.wire import HttpPool, WsClient
from benchmarks.peers.workloads import Pair
from messenger.protocol.usersig import generate_usersig

SDK_APP_ID = 1400000003
KEY = "benchmark-secret-key-0123456789abcdef"
MAX_PER_REQUEST = 500  # members per create/add request (the server's rule)


class OurServer:
    name = "messenger-server"

    def __init__(
        self,
        data_dir: Path,
        *,
        max_members: int = 20_000,
        synchronous: str = "FULL",
        code_root: Path | None = None,
    ):
        """``code_root``: run the server from another copy of the code (a before/after)."""
        self.data_dir = data_dir
        self.code_root = code_root
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "server.toml").write_text(f"[limits]\ngroup_max_members = {max_members}\n")
        self.synchronous = synchronous
        self.proc: subprocess.Popen[bytes] | None = None
        self.host = "127.0.0.1"
        self.port = 0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def target(self) -> Target:
        # permessage-deflate offered, as the desktop client (the websockets library) does
        return Target("ours", self.host, self.port, deflate=True)

    def start(self) -> None:
        port_file = self.data_dir / "port"
        env = {
            **os.environ,
            "MESSENGER_USER_MSG_RATE": "1000000",
            "MESSENGER_USER_MSG_BURST": "1000000",
            "MESSENGER_GROUP_MSG_RATE": "1000000",
            "MESSENGER_GROUP_MSG_BURST": "1000000",
            "MESSENGER_USER_REQUEST_RATE": "1000000",  # (a benchmark is one user's flood)
            "MESSENGER_USER_REQUEST_BURST": "1000000",
            "MESSENGER_USER_SOCKET_LIMIT": "1000000",
            "MESSENGER_DEVICE_LIMIT": "100",
        }
        if self.code_root is not None:
            env["PYTHONPATH"] = str(self.code_root)
        err = (self.data_dir / "stderr.log").open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "messenger.server.cli",
                "--data-dir",
                str(self.data_dir),
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--sdk-app-id",
                str(SDK_APP_ID),
                "--secret-key",
                KEY,
                "--log-level",
                "warning",
                "--sqlite-synchronous",
                self.synchronous,
            ],
            env=env,
            stdout=err,
            stderr=err,
            cwd=self.code_root,
        )
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"messenger-server did not start; see {err.name}")
            time.sleep(0.02)
        self.port = int(port_file.read_text())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # -- setup through the REST API ------------------------------------------------------------------
    def pool(self, size: int = 32) -> HttpPool:
        return HttpPool(self.host, self.port, size)

    async def login(self, http: HttpPool, user_id: str) -> str:
        sig = generate_usersig(SDK_APP_ID, KEY, user_id, 86400)
        answer = await http.ok(
            "POST",
            "/v1/auth/login",
            {"user_id": user_id, "user_sig": sig, "device_id": uuid.uuid4().hex},
        )
        return str(answer["session_token"])

    async def login_many(self, http: HttpPool, user_ids: list[str]) -> list[str]:
        gate = asyncio.Semaphore(64)

        async def one(user_id: str) -> str:
            async with gate:
                return await self.login(http, user_id)

        return list(await asyncio.gather(*(one(u) for u in user_ids)))

    async def pairs(self, count: int, tag: str) -> list[Pair]:
        http = self.pool()
        try:
            senders = [f"{tag}s{i}" for i in range(count)]
            receivers = [f"{tag}r{i}" for i in range(count)]
            tokens = await self.login_many(http, senders + receivers)
        finally:
            await http.close()
        return [
            Pair(Cred(s, tokens[i], "C2C" + receivers[i]), Cred(r, tokens[count + i]))
            for i, (s, r) in enumerate(zip(senders, receivers, strict=True))
        ]

    async def group(self, size: int, tag: str) -> tuple[Cred, list[Cred], float]:
        """A group of ``size`` members (the owner included): the owner's device (the sender),
        the other members' devices, and the seconds the setup took."""
        started = time.monotonic()
        http = self.pool()
        try:
            owner = f"{tag}o"
            others = [f"{tag}m{i}" for i in range(size - 1)]
            tokens = await self.login_many(http, [owner, *others])
            group_id = f"{tag}g"
            await http.ok(
                "POST",
                "/v1/groups",
                {
                    "name": "bench",
                    "group_id": group_id,
                    "type": "Public",
                    "members": others[: MAX_PER_REQUEST - 1],
                },
                token=tokens[0],
            )
            for i in range(MAX_PER_REQUEST - 1, len(others), MAX_PER_REQUEST):
                await http.ok(
                    "POST",
                    f"/v1/groups/{group_id}/members",
                    {"user_ids": others[i : i + MAX_PER_REQUEST]},
                    token=tokens[0],
                )
        finally:
            await http.close()
        sender = Cred(owner, tokens[0], "GROUP" + group_id)
        members = [Cred(u, t) for u, t in zip(others, tokens[1:], strict=True)]
        return sender, members, time.monotonic() - started


async def catch_up(server: OurServer, conversations: int, per_conversation: int) -> dict[str, Any]:
    """``conversations`` peers each send ``per_conversation`` messages to a device that is
    offline; then the time from its hello (``since`` = its last version) to ``synced``, every
    message decoded."""
    http = server.pool()
    try:
        me = await server.login(http, "syncer")
        peers = await server.login_many(http, [f"peer{i}" for i in range(conversations)])
    finally:
        await http.close()
    target = server.target

    async def fill(token: str) -> None:
        ws = await WsClient.connect(target.host, target.port, "/v1/ws")
        ws.send(json.dumps({"t": "hello", "token": token, "since": None}))
        while json.loads(await ws.recv(60))["t"] != "synced":
            pass
        for i in range(per_conversation):
            msg = {"client_msg_id": uuid.uuid4().hex, "body": {"text": f"message {i} 你好世界"}}
            frame = {"t": "send", "id": i, "conversation_id": "C2Csyncer", "msg": msg}
            ws.send(json.dumps(frame))
        acks = 0
        while acks < per_conversation:
            if json.loads(await ws.recv(60))["t"] in ("ack", "error"):
                acks += 1
        ws.close()

    await asyncio.gather(*(fill(t) for t in peers))
    started = time.perf_counter()
    ws = await WsClient.connect(target.host, target.port, "/v1/ws")
    ws.send(json.dumps({"t": "hello", "token": me, "since": 0}))
    count = 0
    while True:
        frame = msgspec.json.decode(await ws.recv(120))
        if frame["t"] == "changes":
            count += sum(c["c"] == "message" for c in frame["changes"])
        elif frame["t"] == "synced":
            break
    elapsed = time.perf_counter() - started
    ws.close()
    return {
        "messages": count,
        "conversations": conversations,
        "raw_seconds": elapsed,
    }
