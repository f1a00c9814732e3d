"""Catching up: a device offline while much happened, and a new device, end in the same state."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

from messenger.core import MessageState
from messenger.core.events import MessagesAdded
from messenger.protocol import frames
from messenger.protocol.models import CreateGroupRequest, Message, SendRequest
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess

PER_CONVERSATION = 50


async def blast(peer: RawDevice, chat: str, requests: list[SendRequest]) -> list[Message]:
    """Send over the peer's socket without waiting in between; the stored messages, in order."""
    assert peer.ws is not None
    for n, request in enumerate(requests, 1):
        await peer.raw_send(frames.Send(id=n, conversation_id=chat, msg=request))
    acks: dict[int, Message] = {}
    while len(acks) < len(requests):
        answer = await peer.next_frame(10)
        if isinstance(answer, frames.ErrorFrame):
            raise AssertionError(f"refused: {answer.error}")
        if isinstance(answer, frames.Ack) and answer.message is not None:
            acks[answer.id] = answer.message
    return [acks[n] for n in sorted(acks)]


def text(value: str, mentions: list[str] | None = None) -> SendRequest:
    return SendRequest(
        client_msg_id=uuid.uuid4().hex, body={"text": value}, mentions=mentions or []
    )


async def test_an_offline_device_catches_up_exactly_and_a_new_device_agrees(
    devices: Devices, server: ServerProcess
) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    await devices.close(phone)  # offline, with its synced version kept

    # While the phone is off: 19 people write 50 messages each, a group gets 50 more (every
    # tenth @mentions me), and one message is recalled.
    peers = [await RawDevice(server.url, uid("peer")).sign_in() for _ in range(20)]
    try:
        owner = peers[-1]
        group = await owner.call("create_group", body=CreateGroupRequest(name="Busy", members=[me]))
        for peer in peers:
            await peer.connect(since=None)
        sends = [
            blast(peer, "C2C" + me, [text(f"{peer.user_id} {i}") for i in range(PER_CONVERSATION)])
            for peer in peers[:-1]
        ]
        mentions = [[me] if i % 10 == 0 else [] for i in range(PER_CONVERSATION)]
        sends.append(
            blast(
                owner,
                "GROUP" + group.group_id,
                [text(f"group {i}", mentions=mentions[i]) for i in range(PER_CONVERSATION)],
            )
        )
        stored = await asyncio.gather(*sends)
        recalled = stored[0][7]
        await peers[0].call("recall", conversation_id="C2C" + me, message_id=recalled.message_id)
    finally:
        for peer in peers:
            await peer.aclose()

    phone = await devices.reopen(phone)  # login returns once caught up

    conversations = {c.conversation_id: c for c in await phone.client.conversations()}
    expected_ids = {"C2C" + p.user_id for p in peers[:-1]} | {"GROUP" + group.group_id}
    assert set(conversations) == expected_ids | {"@TIM#SYSTEM"}
    notices = await phone.history("@TIM#SYSTEM")  # "owner added you to Busy"
    assert [(m.kind, m.body["notice"], m.body["group_id"]) for m in notices] == [
        ("notice", "added_to_group", group.group_id)
    ]
    assert conversations["@TIM#SYSTEM"].unread_count == 1
    for peer, messages in zip(peers[:-1], stored[:-1], strict=True):
        chat = "C2C" + peer.user_id
        shown = await phone.history(chat)
        assert [m.seq for m in shown] == list(range(1, PER_CONVERSATION + 1))
        assert [m.message_id for m in shown] == [m.message_id for m in messages]
        # Each announced once (the recalled one at its recall's place in the feed).
        assert sorted(e.seq for e in phone.added(chat)) == list(range(1, PER_CONVERSATION + 1))
        unread = PER_CONVERSATION - (1 if peer is peers[0] else 0)
        assert conversations[chat].unread_count == unread
        last = conversations[chat].last_message
        assert last is not None and last.text == f"{peer.user_id} {PER_CONVERSATION - 1}"
    assert [m.recalled for m in await phone.history("C2C" + peers[0].user_id)].count(True) == 1

    chat = "GROUP" + group.group_id
    shown = await phone.history(chat)
    assert [m.seq for m in shown] == list(range(1, PER_CONVERSATION + 2))  # the tip first
    assert [m.text for m in shown[1:]] == [f"group {i}" for i in range(PER_CONVERSATION)]
    assert conversations[chat].unread_count == PER_CONVERSATION
    assert conversations[chat].mention_seqs == tuple(range(2, PER_CONVERSATION + 2, 10))
    total = 20 * PER_CONVERSATION - 1 + 1  # one recalled; one system notice
    assert await phone.client.total_unread() == total
    # every message once: 20 × 50, the group's tip, the system notice
    assert sum(len(e.messages) for e in phone.of(MessagesAdded)) == 20 * PER_CONVERSATION + 2

    # A new device of mine starts from the snapshot and shows exactly the same.
    laptop = await devices.sign_in(me)
    assert await laptop.client.conversations() == await phone.client.conversations()
    assert await laptop.client.total_unread() == total
    for chat in expected_ids:
        assert await laptop.history(chat) == await phone.history(chat)


async def test_both_devices_stay_equal_through_reads_recalls_and_settings(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    phone = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    group = await bob.client.create_group("Pair", [alice_id])
    sent = [await bob.client.send_text("C2C" + alice_id, f"c{i}") for i in range(5)]
    await bob.client.send_text("GROUP" + group.group_id, f"hey @{alice_id}", mentions=[alice_id])
    await devices.until(lambda: len(phone.added("C2C" + bob_id)) == 5, what="five messages")
    laptop = await devices.sign_in(alice_id)
    await devices.close(laptop)

    # While the laptop is off: a read on the phone, a recall, a pin and a new message.
    await phone.client.mark_read("C2C" + bob_id, 2)
    first = await _sent_id(devices, bob, "C2C" + alice_id, sent[3].client_msg_id)
    await bob.client.recall("C2C" + alice_id, first)
    await phone.client.pin("GROUP" + group.group_id)
    await bob.client.send_text("C2C" + alice_id, "c5")
    await devices.until(lambda: len(phone.added("C2C" + bob_id)) == 6, what="the sixth")

    laptop = await devices.reopen(laptop)
    assert await laptop.client.conversations() == await phone.client.conversations()
    chat = await laptop.client.conversation("C2C" + bob_id)
    assert chat is not None and (chat.read_seq, chat.unread_count) == (2, 3)  # 3,5,6; 4 recalled
    # 3 in the chat with bob + 1 @mention in the group + bob's "added you" system notice
    assert await laptop.client.total_unread() == await phone.client.total_unread() == 5


async def _sent_id(devices: Devices, device: Device, chat: str, client_msg_id: str) -> str:
    async def message_id() -> str:
        for m in await device.history(chat):
            if m.client_msg_id == client_msg_id and m.message_id:
                return m.message_id
        return ""

    found: str = await devices.until(message_id, what="the ack")
    return found


async def test_reconnecting_while_messages_keep_arriving_misses_and_repeats_nothing(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    unlimited = {"MESSENGER_USER_MSG_RATE": "100000", "MESSENGER_USER_MSG_BURST": "100000"}
    server = own_server(env=unlimited)
    alice_id, bob_id = uid("alice"), uid("bob")
    laptop = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    group = await bob.client.create_group("Stream", [alice_id])
    chats = ("C2C" + alice_id, "GROUP" + group.group_id)
    await devices.close(laptop)
    texts = [f"live {i:03d}" for i in range(120)]

    for text in texts:  # bob's outbox delivers these while the laptop comes back
        for chat in chats:
            await bob.client.send_text(chat, text)
    await devices.until(lambda: len(bob.updated(MessageState.SENT)) >= 40, what="some acks")
    laptop = await devices.reopen(laptop)
    assert len(bob.updated(MessageState.SENT)) < 240  # still streaming when the laptop synced

    mine = ("C2C" + bob_id, "GROUP" + group.group_id)
    for chat in mine:
        await devices.until(
            lambda c=chat: len([m for m in laptop.added(c) if m.kind == "text"]) >= 120,
            what=f"everything in {chat}",
        )
        added = [m for m in laptop.added(chat) if m.kind == "text"]
        assert sorted(m.text for m in added) == texts  # each exactly once
        shown = await laptop.history(chat)
        assert [m.text for m in shown if m.kind == "text"] == texts
        assert [m.seq for m in shown] == list(range(shown[0].seq, shown[0].seq + len(shown)))
    assert await laptop.client.total_unread() == 240 + 1  # + the "added you to" notice
