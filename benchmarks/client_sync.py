"""Client-core sync benchmark: the real ``Client`` catching up on missed messages, and a new device.

    python -m benchmarks.client_sync [--conversations 100] [--per-conversation 100]

1. A device of a user signs in once (so it has a sync version) and goes offline.
2. ``conversations`` peers each send it ``per_conversation`` messages (raw WebSockets, pipelined).
3. Timed: the same device signs in again until ``login`` returns (caught up, ``synced``); then
   it is checked that every message is in its local store.
4. Timed: a new device of the same user signs in (``GET /v1/conversations`` snapshot, then sync).

``measure(server_url, ...)`` runs this against a running server (``benchmarks.backbone`` calls
it); ``__main__`` starts a server of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect

from messenger.core import Client
from messenger.protocol import frames
from messenger.protocol.models import SendRequest
from messenger.protocol.usersig import generate_usersig


@dataclass
class ClientSyncResult:
    messages: int
    conversations: int
    catch_up_seconds: float  # login → synced, every message in the store
    snapshot_seconds: float  # a new device: login → synced from the snapshot

    def report(self) -> None:
        rate = self.messages / self.catch_up_seconds if self.catch_up_seconds else 0.0
        print(
            f"Client core: login and catch up {self.messages:,} missed messages in "
            f"{self.conversations} conversations (all in the local store): "
            f"{self.catch_up_seconds:.2f} s ({rate:,.0f} msg/s)"
        )
        print(
            f"Client core: new device, snapshot of {self.conversations} conversations "
            f"(login → synced): {self.snapshot_seconds:.2f} s"
        )


def measure(
    server_url: str,
    *,
    sdk_app_id: int,
    secret_key: str,
    conversations: int = 100,
    per_conversation: int = 100,
    data_dir: Path | None = None,
) -> ClientSyncResult:
    """Run the benchmark against the server at ``server_url``; prints and returns the figures."""
    with tempfile.TemporaryDirectory(prefix="client-sync-") as tmp:
        args = (server_url, sdk_app_id, secret_key, conversations, per_conversation)
        result = asyncio.run(_measure(*args, data_dir or Path(tmp)))
    result.report()
    return result


async def _measure(
    url: str, app_id: int, key: str, conversations: int, per_conversation: int, root: Path
) -> ClientSyncResult:
    tag = secrets.token_hex(3)
    me = f"cs{tag}"

    def sig(user_id: str) -> str:
        return generate_usersig(app_id, key, user_id, 86400)

    phone_dir = root / "phone"
    async with Client(url, phone_dir, sync_timeout=600) as phone:
        await phone.login(me, sig(me))  # now it has a sync version; then it goes offline

    peers = [f"cs{tag}p{i}" for i in range(conversations)]
    await _fill(url, me, peers, per_conversation, sig)
    expected = conversations * per_conversation

    async with Client(url, phone_dir, sync_timeout=600) as phone:
        started = time.perf_counter()
        await phone.login(me, sig(me))
        catch_up = time.perf_counter() - started
        await _check(phone, conversations, per_conversation)

    async with Client(url, root / "laptop", sync_timeout=600) as laptop:
        started = time.perf_counter()
        await laptop.login(me, sig(me))
        snapshot = time.perf_counter() - started
        listed = await laptop.conversations()
        if len(listed) != conversations or await laptop.total_unread() != expected:
            raise AssertionError("the new device does not show every conversation and unread")
    return ClientSyncResult(expected, conversations, catch_up, snapshot)


async def _check(client: Client, conversations: int, per_conversation: int) -> None:
    """Every message is in the store: the history reads need no request (all cached)."""
    listed = await client.conversations()
    if len(listed) != conversations:
        raise AssertionError(f"{len(listed)} conversations, expected {conversations}")
    for conversation in listed:
        if conversation.unread_count != per_conversation:
            raise AssertionError(f"{conversation.conversation_id}: {conversation.unread_count}")
        stored = await client.messages(conversation.conversation_id, limit=per_conversation)
        if [m.seq for m in stored] != list(range(1, per_conversation + 1)):
            raise AssertionError(f"{conversation.conversation_id}: history incomplete")


async def _fill(
    url: str, target: str, peers: list[str], count: int, sig: Callable[[str], str]
) -> None:
    """Each peer sends ``count`` texts to ``target``; refused ones (rate limits) are resent."""
    ws_url = url.replace("http", "ws", 1) + "/v1/ws"
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        tokens = []
        for peer in peers:
            response = await http.post(
                "/v1/auth/login",
                json={"user_id": peer, "user_sig": sig(peer), "device_id": uuid.uuid4().hex},
            )
            response.raise_for_status()
            tokens.append(str(response.json()["session_token"]))

    async def send_all(token: str) -> None:
        async with connect(ws_url, max_size=2**24) as ws:
            await ws.send(frames.encode(frames.Hello(token=token)).decode())
            waiting = {
                n: SendRequest(client_msg_id=uuid.uuid4().hex, body={"text": f"message {n} 你好"})
                for n in range(count)
            }
            while waiting:
                for n, request in sorted(waiting.items()):
                    frame = frames.Send(id=n, conversation_id="C2C" + target, msg=request)
                    await ws.send(frames.encode(frame).decode())
                pause = 0.0
                for _ in range(len(waiting)):
                    answer = await _answer(ws)
                    if isinstance(answer, frames.Ack):
                        waiting.pop(answer.id, None)
                    else:
                        pause = max(pause, answer.error.details.get("retry_after_ms", 100) / 1000)
                await asyncio.sleep(pause)

    await asyncio.gather(*(send_all(t) for t in tokens))


async def _answer(ws: ClientConnection) -> frames.Ack | frames.ErrorFrame:
    while True:
        frame = frames.decode_server_frame(await ws.recv())
        if isinstance(frame, frames.Ack):
            return frame
        if isinstance(frame, frames.ErrorFrame) and frame.id is not None:
            return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--per-conversation", type=int, default=100)
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"])
    args = parser.parse_args()
    from benchmarks.server import KEY, SDK_APP_ID, Server  # the same server set-up

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), args.synchronous)
        try:
            print(f"messenger-server on {server.url}, SQLite synchronous={args.synchronous}")
            measure(
                server.url,
                sdk_app_id=SDK_APP_ID,
                secret_key=KEY,
                conversations=args.conversations,
                per_conversation=args.per_conversation,
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
