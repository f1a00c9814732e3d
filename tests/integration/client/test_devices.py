"""Devices and connections: the device limit kicks the oldest; the state follows the server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from messenger.core import ConnectionState, MessageState
from messenger.core.events import ConnectionStateChanged, KickedOut
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.raw import usersig
from tests.helpers.server import ServerProcess

CONNECTING, CONNECTED, OFFLINE = (
    ConnectionState.CONNECTING,
    ConnectionState.CONNECTED,
    ConnectionState.OFFLINE,
)


def states(device: Device) -> list[ConnectionState]:
    return [e.state for e in device.of(ConnectionStateChanged)]


async def test_a_third_device_beyond_the_limit_kicks_the_oldest(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server("--device-limit", "2")
    alice_id = uid("alice")
    oldest = await devices.sign_in(alice_id, url=server.url)
    second = await devices.sign_in(alice_id, url=server.url)
    assert oldest.of(KickedOut) == []

    newest = await devices.sign_in(alice_id, url=server.url)

    [kick] = await devices.until(lambda: oldest.of(KickedOut), what="the kick")
    assert kick.reason == "other_device"
    assert oldest.client.connection_state is OFFLINE
    assert oldest.client.session_token is None  # forgotten: the app asks to sign in again
    assert states(oldest) == [CONNECTING, CONNECTED, OFFLINE]  # and it does not reconnect
    for device in (second, newest):
        assert device.of(KickedOut) == []
        assert device.client.connection_state is CONNECTED
    await newest.client.send_text("C2C" + alice_id, "note to self")
    await devices.until_equal(lambda: second.texts("C2C" + alice_id), ["note to self"])
    assert states(oldest)[-1] is OFFLINE and len(oldest.of(KickedOut)) == 1


async def test_the_connection_state_follows_the_server_going_away_and_coming_back(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    assert states(alice) == [CONNECTING, CONNECTED]

    server.kill()
    await devices.until(lambda: CONNECTING in states(alice)[2:], what="a reconnect attempt")
    assert states(alice)[2] is OFFLINE
    assert alice.client.connection_state is not CONNECTED
    await asyncio.to_thread(server.start)

    await devices.until(lambda: alice.client.connection_state is CONNECTED, what="back")
    after = states(alice)[2:]
    assert after[0] is OFFLINE and after[-2:] == [CONNECTING, CONNECTED]
    assert set(after) == {OFFLINE, CONNECTING, CONNECTED} and after.count(CONNECTED) == 1
    await alice.client.send_text("C2C" + bob_id, "back online")
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), ["back online"])
    [sent] = await alice.history("C2C" + bob_id)
    assert sent.state is MessageState.SENT


async def test_the_usersig_is_renewed_before_it_ends(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    """A3: warned that its UserSig ends soon, the client asks its provider for a new one."""
    server = own_server(
        env={"MESSENGER_SESSION_CHECK_MS": "100", "MESSENGER_EXPIRY_NOTICE_MS": "60000"}
    )
    alice_id = uid("alice")
    asked: list[int] = []

    async def provider() -> str:
        asked.append(1)
        return usersig(alice_id, expire=3600)

    alice = await devices.new(alice_id, url=server.url)
    await alice.client.login(alice_id, usersig(alice_id, expire=3), usersig_provider=provider)
    await devices.until(lambda: asked, what="the request for a new UserSig")
    await asyncio.sleep(4)  # past the end of the first UserSig
    assert alice.of(KickedOut) == []
    assert alice.client.connection_state is CONNECTED
    await alice.client.send_text("C2C" + alice_id, "still here")
    await devices.until(
        lambda: [m for m in alice.updated(MessageState.SENT) if m.text == "still here"],
        what="a message sent after the first UserSig ended",
    )


@pytest.mark.expected_log("messenger.core.account", "no UserSig provider to renew it")
async def test_without_a_provider_the_client_is_kicked_when_its_usersig_ends(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server(env={"MESSENGER_SESSION_CHECK_MS": "100"})
    alice_id = uid("alice")
    alice = await devices.new(alice_id, url=server.url)
    await alice.client.login(alice_id, usersig(alice_id, expire=2))
    [kick] = await devices.until(lambda: alice.of(KickedOut), within=15, what="the expiry kick")
    assert kick.reason == "usersig_expired"
    assert alice.client.connection_state is OFFLINE
