"""Typing indicators and online-only messages: shown to whoever is connected, never stored."""

from __future__ import annotations

from messenger.core.events import MessagesAdded, OnlineMessageReceived, TypingChanged
from messenger.protocol.models import TextBody
from tests.helpers.clients import Devices
from tests.helpers.ids import uid


async def test_typing_reaches_the_peer_and_is_never_stored(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)

    await alice.client.typing("C2C" + bob_id, True)
    await devices.until_equal(
        lambda: bob.of(TypingChanged), [TypingChanged("C2C" + alice_id, alice_id, True)]
    )
    await alice.client.typing("C2C" + bob_id, False)
    await devices.until(lambda: len(bob.of(TypingChanged)) == 2, what="stopped typing")
    assert bob.of(TypingChanged)[-1] == TypingChanged("C2C" + alice_id, alice_id, False)

    assert await bob.client.conversations() == []
    assert await bob.history("C2C" + alice_id) == []
    assert bob.of(MessagesAdded) == []
    assert laptop.of(TypingChanged) == alice.of(TypingChanged) == []  # not to my own devices


async def test_group_typing_reaches_the_other_members(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Chatty", [bob_id, carol_id])
    chat = "GROUP" + group.group_id

    await bob.client.typing(chat)
    for member in (alice, carol):
        await devices.until_equal(
            lambda m=member: m.of(TypingChanged), [TypingChanged(chat, bob_id, True)]
        )
    assert bob.of(TypingChanged) == []


async def test_an_online_only_message_reaches_connected_devices_and_is_never_stored(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    bob_laptop = await devices.sign_in(bob_id)
    await devices.close(bob_laptop)  # off while the message goes out

    await alice.client.send_online("C2C" + bob_id, TextBody(text="incoming call"))

    [received] = await devices.until(lambda: bob.of(OnlineMessageReceived), what="the push")
    assert received.conversation_id == "C2C" + alice_id
    assert (received.message.body, received.message.sender, received.message.seq) == (
        {"text": "incoming call"},
        alice_id,
        0,
    )
    await alice.client.send_text("C2C" + bob_id, "stored one")  # a barrier behind it
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), ["stored one"])
    assert await alice.texts("C2C" + bob_id) == ["stored one"]
    assert await bob.client.total_unread() == 1
    bob_laptop = await devices.reopen(bob_laptop)
    assert await bob_laptop.texts("C2C" + alice_id) == ["stored one"]
    assert bob_laptop.of(OnlineMessageReceived) == []
