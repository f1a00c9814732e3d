"""The synthetic profile: 1,000 conversations and 100,000+ messages in the app's own store.

Everything goes through the real parts: the account signs in with the app's ``AccountManager``
(so ``profiles.json``, the secrets and the store are where the app looks), peers send over raw
WebSockets to a real ``messenger-server``, and the app's client catches up over its WebSocket
into its SQLite store, as after a long time offline. Then most conversations are marked read
(the biggest chat included, so it opens at its latest message); the rest keep unread badges.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.peers.clients import Cred, ours_sender
from benchmarks.peers.ours import KEY, SDK_APP_ID, OurServer
from messenger.app.accounts import AccountManager, device_name
from messenger.app.local_server import LocalServer
from messenger.app.settings_file import save_settings
from messenger.core import Client
from messenger.protocol.usersig import generate_usersig
from messenger.viewmodels.accounts import SignInForm
from messenger.viewmodels.settings import Settings, SettingsViewModel

ME = "me"
WINDOW = 256  # messages in flight per sending device
SENTENCE = (
    "the quick brown fox jumps over a lazy dog while messages keep coming in from "
    "everyone on the team 今天 下午 开会 好的 收到"
)
WORDS = SENTENCE.split()


@dataclass(frozen=True)
class Shape:
    conversations: int = 1000  # in all, groups included
    groups: int = 20
    big_chat: int = 100_000  # messages in the one long chat (a C2C)
    per_conversation: int = 10  # messages in every other conversation
    unread_conversations: int = 100  # left with unread messages

    @property
    def messages(self) -> int:
        return self.big_chat + (self.conversations - 1) * self.per_conversation


@dataclass
class Profile:
    data_dir: Path
    server_url: str
    big_chat: str
    others: list[str] = field(default_factory=list)  # every other conversation, list order
    burst_peer: Cred | None = None  # a peer (signed in) whose chat takes the burst
    cached_messages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def text(n: int) -> str:
    """Message ``n``: 3 to 42 words, so bubbles take one to several lines."""
    return f"{n}: " + " ".join(WORDS[(n + i) % len(WORDS)] for i in range(3 + (n * 7) % 40))


def _manager(data: Path) -> AccountManager:
    settings = Settings(secrets_in_file=True)  # no keyring on a bench machine: the private file
    save_settings(data, settings)
    vm = SettingsViewModel(settings, partial(save_settings, data))
    return AccountManager(
        data,
        vm,
        LocalServer(data / "server"),
        client_factory=lambda url, folder: Client(
            url, folder, device_name=device_name(), sync_timeout=600
        ),
    )


async def build(server: OurServer, data: Path, shape: Shape) -> Profile:
    url = f"http://{server.host}:{server.port}"
    accounts = _manager(data)
    sig = generate_usersig(SDK_APP_ID, KEY, ME, 30 * 86400)
    form = SignInForm(server_url=url, user_id=ME, auth="usersig", secret=sig)
    account = await accounts.sign_in(form)  # the app's device now has a sync version
    await accounts.close(account)

    c2c = shape.conversations - shape.groups
    peers = [f"peer{i:04d}" for i in range(c2c)]
    http = server.pool()
    try:
        started = time.monotonic()
        tokens = dict(
            zip(
                [ME, *peers],
                await server.login_many(http, [ME, *peers]),
                strict=True,
            )
        )
        groups = []
        for g in range(shape.groups):
            members = [peers[(g * 7 + k) % c2c] for k in range(8)]
            group_id = f"team{g:02d}"
            await http.ok(
                "POST",
                "/v1/groups",
                {"name": f"Team {g}", "group_id": group_id, "type": "Work", "members": members},
                token=tokens[ME],
            )
            groups.append((group_id, members))
        setup = time.monotonic() - started
    finally:
        await http.close()

    started = time.monotonic()
    target = server.target
    big_peer = peers[0]

    async def send(cred: Cred, numbers: range | list[int]) -> None:
        sender = await ours_sender(target, cred, WINDOW)
        try:
            for n in numbers:
                await sender.send(text(n))
            await sender.drain(600)
            if sender.errors:
                raise RuntimeError(f"{cred.user_id}: {sender.errors} messages refused")
        finally:
            sender.close()

    big = list(range(1, shape.big_chat + 1))
    jobs = [
        send(Cred(big_peer, tokens[big_peer], "C2C" + ME), [n for n in big if n % 3]),
        send(Cred(ME, tokens[ME], "C2C" + big_peer), [n for n in big if not n % 3]),
    ]
    for peer in peers[1:]:
        jobs.append(send(Cred(peer, tokens[peer], "C2C" + ME), range(shape.per_conversation)))
    for group_id, members in groups:
        for k, member in enumerate(members[:3]):
            part = range(k, shape.per_conversation, 3)
            jobs.append(send(Cred(member, tokens[member], "GROUP" + group_id), part))
    gate = asyncio.Semaphore(64)  # sockets open at once

    async def gated(job: Coroutine[Any, Any, None]) -> None:
        async with gate:
            await job

    await asyncio.gather(*(gated(j) for j in jobs))
    filled = time.monotonic() - started

    started = time.monotonic()
    account = await accounts.sign_in(SignInForm(url, ME, "usersig", secret=""))
    caught_up = time.monotonic() - started
    try:
        listed = await account.client.conversations()
        order = [c.conversation_id for c in listed if c.conversation_id != "C2C" + big_peer]
        started = time.monotonic()
        keep_unread = set(order[: shape.unread_conversations])
        for conversation in listed:
            if conversation.conversation_id not in keep_unread:
                await account.client.mark_read(conversation.conversation_id)
        marked = time.monotonic() - started
    finally:
        await accounts.close(account)
    cached = _cached_messages(accounts.account_dir(account))
    expected = shape.messages
    if cached < expected:
        raise RuntimeError(f"the store holds {cached:,} messages, {expected:,} were sent")
    if len(order) + 1 < shape.conversations:
        raise RuntimeError(f"{len(order) + 1} conversations, expected {shape.conversations}")
    return Profile(
        data_dir=data,
        server_url=url,
        big_chat="C2C" + big_peer,
        others=order,
        burst_peer=Cred(peers[1], tokens[peers[1]], "C2C" + ME),
        cached_messages=cached,
        seconds={"setup": setup, "fill": filled, "catch_up": caught_up, "mark_read": marked},
    )


def _cached_messages(folder: Path | None) -> int:
    """Messages in the account's store (read after the client closed it)."""
    path = (folder or Path("missing")) / "messages.sqlite3"
    if not path.exists():
        return 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM messages").fetchone()[0])
    finally:
        db.close()
