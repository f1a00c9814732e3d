"""Sending text: the local echo, the server's copy, the peer, my other device, order."""

from __future__ import annotations

import pytest

from messenger.core import MessageState
from messenger.core.events import MessagesAdded, MessageUpdated
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid


def added_texts(device: Device, conversation_id: str) -> list[str]:
    return [m.text for m in device.added(conversation_id) if m.kind == "text"]


def sent_updates(device: Device) -> list[MessageUpdated]:
    return [e for e in device.of(MessageUpdated) if e.message.state is MessageState.SENT]


async def test_a_c2c_text_shows_at_once_then_reaches_the_peer_and_my_other_device(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)

    echo = await phone.client.send_text("C2C" + bob_id, "hello Bob")

    # The echo is shown before the server has seen the message.
    assert (echo.state, echo.seq, echo.message_id, echo.is_self) == (
        MessageState.SENDING,
        0,
        "",
        True,
    )
    assert phone.of(MessagesAdded) == [MessagesAdded("C2C" + bob_id, (echo,))]
    [update] = await devices.until(lambda: sent_updates(phone), what="the ack")
    sent = update.message
    assert (sent.client_msg_id, sent.seq, sent.text) == (echo.client_msg_id, 1, "hello Bob")
    assert sent.message_id
    assert await phone.history("C2C" + bob_id) == [sent]  # the echo became the sent message

    [received] = await devices.until(lambda: bob.added("C2C" + alice_id), what="bob receives")
    assert (received.message_id, received.text, received.sender, received.is_self) == (
        sent.message_id,
        "hello Bob",
        alice_id,
        False,
    )
    [mirrored] = await devices.until(lambda: laptop.added("C2C" + bob_id), what="my laptop")
    assert (mirrored.message_id, mirrored.state, mirrored.is_self) == (
        sent.message_id,
        MessageState.SENT,
        True,
    )
    conversation = await bob.client.conversation("C2C" + alice_id)
    assert conversation is not None and conversation.unread_count == 1
    mine = await laptop.client.conversation("C2C" + bob_id)
    assert mine is not None and mine.unread_count == 0  # my own message is never unread


async def test_a_group_text_reaches_every_member_and_my_other_device(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await phone.client.create_group("Team", [bob_id, carol_id])
    chat = "GROUP" + group.group_id

    echo = await phone.client.send_text(chat, "hi team")
    assert echo.state is MessageState.SENDING

    [update] = await devices.until(lambda: sent_updates(phone), what="the ack")
    assert update.message.seq == 2  # after the group_created tip
    for device in (bob, carol, laptop):
        await devices.until_equal(lambda d=device: d.texts(chat), ["hi team"])
        [tip, message] = await device.history(chat)
        assert tip.kind == "tip" and message.message_id == update.message.message_id
    for member in (bob, carol):
        conversation = await member.client.conversation(chat)
        assert conversation is not None
        assert (conversation.unread_count, conversation.group_name, conversation.member_count) == (
            1,
            "Team",
            3,
        )


@pytest.mark.parametrize("kind", ["c2c", "group"])
async def test_a_burst_of_50_keeps_its_order_everywhere(devices: Devices, kind: str) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    if kind == "c2c":
        mine, theirs, first_seq = "C2C" + bob_id, "C2C" + alice_id, 1
    else:
        group = await phone.client.create_group("Burst", [bob_id])
        mine = theirs = "GROUP" + group.group_id
        first_seq = 2  # seq 1 is the tip
    texts = [f"burst {i:02d}" for i in range(50)]

    for text in texts:
        await phone.client.send_text(mine, text)

    await devices.until_equal(lambda: added_texts(bob, theirs), texts, within=15)
    for device, chat in ((phone, mine), (laptop, mine), (bob, theirs)):
        await devices.until_equal(lambda d=device, c=chat: d.texts(c), texts)
        shown = [m for m in await device.history(chat) if m.kind == "text"]
        assert [m.seq for m in shown] == list(range(first_seq, first_seq + 50))
        assert {m.state for m in shown} == {MessageState.SENT}
    assert added_texts(laptop, mine) == texts  # each announced once
    assert len({e.message.client_msg_id for e in sent_updates(phone)}) == 50
