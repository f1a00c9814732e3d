"""Password accounts and sessions: sign in, resume after an app restart, sign out one device.

(Grew out of the first client smoke tests, ``tests/integration/test_core_client.py``.)
"""

from __future__ import annotations

import asyncio

import pytest

from messenger.core import ConnectionState
from messenger.core.events import KickedOut
from messenger.protocol import errors
from tests.helpers.clients import Devices
from tests.helpers.ids import uid

PASSWORD = "correct horse battery"


async def test_a_password_account_signs_in_and_resumes_after_an_app_restart(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.new(alice_id)
    await alice.client.register(alice_id, PASSWORD, nickname="Alice")
    with pytest.raises(errors.BadCredentials):
        await alice.client.login_with_password(alice_id, "wrong")
    await alice.client.login_with_password(alice_id, PASSWORD)
    assert alice.client.user_id == alice_id
    await alice.client.send_text("C2C" + bob_id, "hi, it's me")
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), ["hi, it's me"])
    token = alice.client.session_token
    assert token is not None

    alice = await devices.reopen(alice, sign_in=False)
    await alice.client.resume(alice_id, token)  # no password needed, the list shows at once
    [listed] = await alice.client.conversations()
    assert listed.last_message is not None and listed.last_message.text == "hi, it's me"
    await devices.until(lambda: alice.client.connection_state is ConnectionState.CONNECTED)
    await bob.client.send_text("C2C" + alice_id, "welcome back")
    await devices.until_equal(lambda: alice.texts("C2C" + bob_id), ["hi, it's me", "welcome back"])


async def test_a_session_resumed_without_connecting_shows_its_store_and_goes_online_when_told(
    devices: Devices,
) -> None:
    """What an app does at launch: the list from the store first, the network after it."""
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await alice.client.send_text("C2C" + bob_id, "before the restart")
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), ["before the restart"])
    token = alice.client.session_token
    assert token is not None

    alice = await devices.reopen(alice, sign_in=False)
    await alice.client.resume(alice_id, token, connect=False)
    [listed] = await alice.client.conversations()
    assert listed.last_message is not None and listed.last_message.text == "before the restart"
    assert alice.client.connection_state is ConnectionState.CONNECTING  # (no "offline" shown)
    await alice.client.send_text("C2C" + bob_id, "written before connecting")
    await bob.client.send_text("C2C" + alice_id, "are you there?")
    await asyncio.sleep(1.0)  # a connected client has both within a few milliseconds
    assert await bob.texts("C2C" + alice_id) == ["before the restart", "are you there?"]
    assert await alice.texts("C2C" + bob_id) == ["before the restart", "written before connecting"]

    alice.client.connect()
    await devices.until(lambda: alice.client.connection_state is ConnectionState.CONNECTED)
    await devices.until_equal(
        lambda: bob.texts("C2C" + alice_id),
        ["before the restart", "are you there?", "written before connecting"],
    )
    await devices.until_equal(
        lambda: alice.texts("C2C" + bob_id),  # in the server's order: bob's reached it first
        ["before the restart", "are you there?", "written before connecting"],
    )


async def test_signing_out_ends_this_device_only(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    token = phone.client.session_token
    assert token is not None

    await phone.client.logout()

    assert phone.client.session_token is None
    assert phone.client.connection_state is ConnectionState.OFFLINE
    assert phone.of(KickedOut) == []  # my own sign-out is not a kick
    with pytest.raises(errors.NotLoggedIn):
        await phone.client.conversations()
    await bob.client.send_text("C2C" + alice_id, "still there?")
    await devices.until_equal(lambda: laptop.texts("C2C" + bob_id), ["still there?"])

    stale = await devices.new(alice_id)  # the old token no longer opens a session
    await stale.client.resume(alice_id, token)
    [kick] = await devices.until(lambda: stale.of(KickedOut), what="the refusal")
    assert kick.reason in ("session_revoked", "session_invalid")
