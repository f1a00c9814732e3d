"""The outbox across crashes: my messages arrive exactly once, in order, whatever dies."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from messenger.core import ConnectionState, MessageState
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.raw import usersig
from tests.helpers.server import ServerProcess

REPO = Path(__file__).resolve().parents[3]


async def read_line(child: asyncio.subprocess.Process, within: float = 15.0) -> str:
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), within)
    if not line:
        raise AssertionError(f"the client process ended (code {child.returncode})")
    return line.decode().strip()


async def sent_seqs(device: Device, chat: str) -> list[int]:
    return [m.seq for m in await device.history(chat) if m.state is MessageState.SENT]


async def test_a_killed_client_delivers_each_queued_message_exactly_once_after_restart(
    devices: Devices, own_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    unlimited = {"MESSENGER_USER_MSG_RATE": "100000", "MESSENGER_USER_MSG_BURST": "100000"}
    server = own_server(env=unlimited)
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id, url=server.url)
    first = await devices.sign_in(alice_id, url=server.url)
    token = first.client.session_token
    assert token is not None
    await devices.close(first)
    count = 300
    expected = [f"m{i}" for i in range(count)]

    # The app queues 300 messages while the server is away, starts sending when it is back,
    # and is killed (SIGKILL) in the middle of it.
    server.stop()
    with (tmp_path / "child.log").open("w") as log:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.helpers.outbox_child", server.url, str(first.data_dir),
            alice_id, token, "C2C" + bob_id, str(count),
            cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=log,
        )  # fmt: skip
    try:
        assert await read_line(child) == "queued"
        await asyncio.to_thread(server.start)
        acked = 0
        while acked < 5:
            acked = int((await read_line(child)).removeprefix("sent "))
    finally:
        child.kill()  # SIGKILL: no clean-up of any kind
        await child.wait()
    assert acked < count, "everything was delivered before the kill: nothing was tested"

    alice = await devices.new(alice_id, data_dir=first.data_dir, url=server.url)
    await alice.client.login(alice_id, usersig(alice_id))

    # Bob was told of each message once, in order; both sides hold exactly those, gapless.
    await devices.until_equal(lambda: [m.text for m in bob.added("C2C" + alice_id)], expected)
    await devices.until_equal(lambda: sent_seqs(alice, "C2C" + bob_id), list(range(1, count + 1)))
    assert await alice.texts("C2C" + bob_id) == expected
    assert await bob.texts("C2C" + alice_id) == expected
    assert [m.seq for m in await bob.history("C2C" + alice_id)] == list(range(1, count + 1))


async def test_messages_queued_while_the_server_is_down_are_delivered_when_it_returns(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)

    server.kill()
    await devices.until(lambda: alice.client.connection_state is not ConnectionState.CONNECTED)
    for text in ("one", "two", "three"):
        echo = await alice.client.send_text("C2C" + bob_id, text)
        assert echo.state is MessageState.SENDING
    assert await alice.texts("C2C" + bob_id) == ["one", "two", "three"]  # shown while offline
    await asyncio.to_thread(server.start)

    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), ["one", "two", "three"])
    await devices.until_equal(lambda: sent_seqs(alice, "C2C" + bob_id), [1, 2, 3])


async def test_a_server_killed_mid_conversation_loses_nothing(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    to_bob, to_alice = "C2C" + bob_id, "C2C" + alice_id

    for i in range(15):
        await alice.client.send_text(to_bob, f"a{i}")
        await bob.client.send_text(to_alice, f"b{i}")
    await devices.until(lambda: sent_seqs(alice, to_bob), what="a first ack")
    server.kill()  # SIGKILL while messages are in flight
    acked = {
        m.message_id: m.seq
        for device, chat in ((alice, to_bob), (bob, to_alice))
        for m in await device.history(chat)
        if m.state is MessageState.SENT
    }
    for i in range(15, 30):
        await alice.client.send_text(to_bob, f"a{i}")
        await bob.client.send_text(to_alice, f"b{i}")
    await asyncio.to_thread(server.start)

    everything = list(range(1, 61))
    await devices.until_equal(lambda: sent_seqs(alice, to_bob), everything, within=20)
    await devices.until_equal(lambda: sent_seqs(bob, to_alice), everything, within=20)
    seen_by_alice = [(m.seq, m.message_id, m.text) for m in await alice.history(to_bob)]
    seen_by_bob = [(m.seq, m.message_id, m.text) for m in await bob.history(to_alice)]
    assert seen_by_alice == seen_by_bob
    texts = [text for _, _, text in seen_by_alice]
    assert [t for t in texts if t.startswith("a")] == [f"a{i}" for i in range(30)]
    assert [t for t in texts if t.startswith("b")] == [f"b{i}" for i in range(30)]
    stored = {message_id: seq for seq, message_id, _ in seen_by_alice}
    assert acked and all(stored.get(message_id) == seq for message_id, seq in acked.items())
