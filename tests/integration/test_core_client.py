"""The core Client against the real server: the flows a user of the app goes through."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from messenger.core import Client, ConnectionState, MessageState
from messenger.core.backoff import Backoff
from messenger.core.events import Event, KickedOut, MessagesAdded
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess

PASSWORD = "correct horse battery"


async def eventually(check: Callable[[], object], within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


class Devices:
    """Clients of the test, each with its own data directory, closed at the end."""

    def __init__(self, server: ServerProcess, root: Path) -> None:
        self.server = server
        self.root = root
        self.clients: list[Client] = []

    async def new(self, name: str) -> Client:
        client = Client(
            self.server.url,
            self.root / f"{name}-{len(self.clients)}",
            backoff=lambda: Backoff(base=0.05, cap=0.5),
        )
        await client.start()
        self.clients.append(client)
        return client

    async def signed_in(self, user_id: str, *, register: bool = False) -> Client:
        client = await self.new(user_id)
        if register:
            await client.register(user_id, PASSWORD)
        await client.login_with_password(user_id, PASSWORD)
        return client


@pytest.fixture
async def devices(server: ServerProcess, tmp_path: Path) -> AsyncIterator[Devices]:
    made = Devices(server, tmp_path)
    yield made
    for client in made.clients:
        await client.aclose()


async def test_a_message_shows_at_once_is_sent_and_reaches_the_peer(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.signed_in(alice_id, register=True)
    bob = await devices.signed_in(bob_id, register=True)
    bob_events: list[Event] = []
    bob.subscribe(bob_events.append)

    echo = await alice.send_text("C2C" + bob_id, "你好 Bob")
    assert echo.state is MessageState.SENDING

    async def delivered() -> bool:
        [message] = await alice.messages("C2C" + bob_id)
        return message.state is MessageState.SENT

    await eventually(delivered)
    await eventually(lambda: any(isinstance(e, MessagesAdded) for e in bob_events))
    [conversation] = await bob.conversations()
    assert conversation.conversation_id == "C2C" + alice_id
    assert conversation.unread_count == 1 and await bob.total_unread() == 1
    assert [m.text for m in await bob.search("你好")] == ["你好 Bob"]

    await bob.mark_read("C2C" + alice_id)
    assert await bob.total_unread() == 0

    async def peer_read() -> bool:
        seen = await alice.conversation("C2C" + bob_id)
        return seen is not None and seen.peer_read_seq == 1

    await eventually(peer_read)


async def test_a_new_device_sees_what_the_online_device_sees(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.signed_in(alice_id, register=True)
    bob = await devices.signed_in(bob_id, register=True)
    carol = await devices.signed_in(carol_id, register=True)
    group = await bob.create_group("Team", [alice_id, carol_id])
    await bob.send_text("GROUP" + group.group_id, f"hi @{alice_id}", mentions=[alice_id])
    for n in range(3):
        await carol.send_text("C2C" + alice_id, f"note {n}")
    await alice.pin("C2C" + carol_id)
    await alice.set_draft("GROUP" + group.group_id, "answer later")

    async def settled() -> bool:
        listed = await alice.conversations()
        return len(listed) == 2 and listed[1].unread_count == 1 and listed[0].unread_count == 3

    await eventually(settled)

    laptop = await devices.signed_in(alice_id)
    assert await laptop.conversations() == await alice.conversations()
    assert await laptop.total_unread() == await alice.total_unread() == 4
    assert await laptop.draft("GROUP" + group.group_id) == "answer later"


async def test_the_outbox_delivers_after_the_server_comes_back(
    devices: Devices, fresh_server: ServerProcess
) -> None:
    devices.server = fresh_server
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.signed_in(alice_id, register=True)
    bob = await devices.signed_in(bob_id, register=True)

    fresh_server.kill()
    await eventually(lambda: alice.connection_state is not ConnectionState.CONNECTED)
    await alice.send_text("C2C" + bob_id, "sent while the server was down")
    fresh_server.start()

    async def arrived() -> bool:
        return [m.text for m in await bob.messages("C2C" + alice_id)] == [
            "sent while the server was down"
        ]

    await eventually(arrived, within=20)
    [mine] = await alice.messages("C2C" + bob_id)
    assert mine.state is MessageState.SENT and mine.seq == 1


async def test_a_recall_shows_on_the_peer(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.signed_in(alice_id, register=True)
    bob = await devices.signed_in(bob_id, register=True)
    await alice.send_text("C2C" + bob_id, "oops")

    async def sent_id() -> str:
        [message] = await alice.messages("C2C" + bob_id)
        return message.message_id

    await eventually(sent_id)
    await eventually(lambda: bob.total_unread())
    recalled = await alice.recall("C2C" + bob_id, await sent_id())
    assert recalled.recalled

    async def recalled_for_bob() -> bool:
        [message] = await bob.messages("C2C" + alice_id)
        return message.recalled and (await bob.total_unread()) == 0

    await eventually(recalled_for_bob)


async def test_signing_in_on_one_device_too_many_kicks_the_oldest(
    tmp_path: Path,
) -> None:
    server = ServerProcess(tmp_path / "server", "--device-limit", "1").start()
    devices = Devices(server, tmp_path)
    try:
        alice_id = uid("alice")
        first = await devices.signed_in(alice_id, register=True)
        events: list[Event] = []
        first.subscribe(events.append)
        await devices.signed_in(alice_id)

        await eventually(lambda: any(isinstance(e, KickedOut) for e in events))
        [kick] = [e for e in events if isinstance(e, KickedOut)]
        assert kick.reason == "other_device"
        assert first.connection_state is ConnectionState.OFFLINE
        assert first.session_token is None
    finally:
        for client in devices.clients:
            await client.aclose()
        server.stop()


async def test_a_draft_follows_me_to_my_other_device(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await (await devices.new(bob_id)).register(bob_id, PASSWORD)
    phone = await devices.signed_in(alice_id, register=True)
    laptop = await devices.signed_in(alice_id)
    chat = "C2C" + bob_id

    await phone.set_draft(chat, "see you at")
    await eventually(lambda: _draft_is(laptop, chat, "see you at"))
    await laptop.set_draft(chat, "see you at noon")
    await eventually(lambda: _draft_is(phone, chat, "see you at noon"))


async def _draft_is(client: Client, conversation_id: str, text: str) -> bool:
    return await client.draft(conversation_id) == text
