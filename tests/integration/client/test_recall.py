"""Recalling messages: who may, until when, and what every device shows afterwards."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from messenger.core import LocalMessage, MessageState
from messenger.core.events import MessageUpdated
from messenger.protocol import errors
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess


async def sent(devices: Devices, device: Device, client_msg_id: str) -> LocalMessage:
    """My message once the server has acknowledged it."""
    found: list[LocalMessage] = await devices.until(
        lambda: [m for m in device.updated(MessageState.SENT) if m.client_msg_id == client_msg_id],
        what="the ack",
    )
    return found[0]


def recalled(device: Device, message_id: str) -> list[LocalMessage]:
    return [
        e.message
        for e in device.of(MessageUpdated)
        if e.message.message_id == message_id and e.message.recalled
    ]


async def shown(device: Device, chat: str) -> list[tuple[str, bool]]:
    return [(m.text, m.recalled) for m in await device.history(chat) if m.kind == "text"]


async def unread(device: Device, chat: str) -> int | None:
    found = await device.client.conversation(chat)
    return None if found is None else found.unread_count


async def test_my_recall_shows_on_the_peer_and_on_my_other_device(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    echo = await phone.client.send_text("C2C" + bob_id, "wrong chat, sorry")
    await phone.client.send_text("C2C" + bob_id, "keep this one")
    message = await sent(devices, phone, echo.client_msg_id)
    await devices.until_equal(lambda: unread(bob, "C2C" + alice_id), 2)

    answer = await phone.client.recall("C2C" + bob_id, message.message_id)

    assert answer.recalled and answer.recalled_by == alice_id and answer.text == ""
    for device, chat in ((bob, "C2C" + alice_id), (laptop, "C2C" + bob_id)):
        [update] = await devices.until(lambda d=device: recalled(d, message.message_id))
        assert update.body == {}
        assert await shown(device, chat) == [("", True), ("keep this one", False)]
    assert await unread(bob, "C2C" + alice_id) == 1
    assert await bob.client.total_unread() == 1
    assert await bob.client.search("wrong chat") == []  # a recalled text is not found


async def test_the_owner_may_recall_a_members_message_a_member_may_not(
    devices: Devices,
) -> None:
    owner_id, bob_id, carol_id = uid("owner"), uid("bob"), uid("carol")
    owner = await devices.sign_in(owner_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await owner.client.create_group("Moderated", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    echo = await bob.client.send_text(chat, "spam spam spam")
    message = await sent(devices, bob, echo.client_msg_id)
    await devices.until_equal(lambda: shown(carol, chat), [("spam spam spam", False)])
    await devices.until_equal(lambda: shown(owner, chat), [("spam spam spam", False)])

    with pytest.raises(errors.PermissionDenied):
        await carol.client.recall(chat, message.message_id)
    assert await shown(bob, chat) == [("spam spam spam", False)]

    answer = await owner.client.recall(chat, message.message_id)
    assert answer.recalled and answer.recalled_by == owner_id
    for device in (bob, carol):
        [update] = await devices.until(lambda d=device: recalled(d, message.message_id))
        assert update.recalled_by == owner_id
        assert await shown(device, chat) == [("", True)]
    assert await unread(carol, chat) == 0


async def test_a_recall_after_the_window_is_refused_but_the_owner_still_may(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    window_ms = 1
    server = own_server(limits={"recall_window_ms": window_ms})
    owner_id, bob_id = uid("owner"), uid("bob")
    owner = await devices.sign_in(owner_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    assert bob.client.limits is not None and bob.client.limits.recall_window_ms == window_ms
    group = await owner.client.create_group("Strict", [bob_id])
    chat = "GROUP" + group.group_id
    to_owner = await sent(
        devices, bob, (await bob.client.send_text("C2C" + owner_id, "c2c")).client_msg_id
    )
    in_group = await sent(devices, bob, (await bob.client.send_text(chat, "group")).client_msg_id)
    await past(in_group.time + window_ms)

    with pytest.raises(errors.RecallWindowExpired):
        await bob.client.recall("C2C" + owner_id, to_owner.message_id)
    with pytest.raises(errors.RecallWindowExpired):
        await bob.client.recall(chat, in_group.message_id)
    assert await shown(bob, chat) == [("group", False)]

    await devices.until_equal(lambda: shown(owner, chat), [("group", False)])
    answer = await owner.client.recall(chat, in_group.message_id)
    assert answer.recalled
    await devices.until(lambda: recalled(bob, in_group.message_id), what="bob sees it recalled")


async def test_a_device_offline_during_the_recall_sees_it_after_reconnecting(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob_phone = await devices.sign_in(bob_id)
    bob_laptop = await devices.sign_in(bob_id)
    await alice.client.send_text("C2C" + bob_id, "first")
    second = await alice.client.send_text("C2C" + bob_id, "second")
    await alice.client.send_text("C2C" + bob_id, "third")
    message = await sent(devices, alice, second.client_msg_id)
    await devices.until_equal(lambda: unread(bob_laptop, "C2C" + alice_id), 3)
    await devices.close(bob_laptop)

    # While the laptop is off: bob reads the first on his phone, alice writes once more and
    # recalls the second. The server's count for the laptop already leaves the recall out.
    await bob_phone.client.mark_read("C2C" + alice_id, 1)
    await alice.client.send_text("C2C" + bob_id, "fourth")
    await alice.client.recall("C2C" + bob_id, message.message_id)
    await devices.until(lambda: recalled(bob_phone, message.message_id), what="phone sees it")

    bob_laptop = await devices.reopen(bob_laptop)
    assert await shown(bob_laptop, "C2C" + alice_id) == [
        ("first", False),
        ("", True),
        ("third", False),
        ("fourth", False),
    ]
    assert [m.seq for m in recalled(bob_laptop, message.message_id)] == [2]
    assert await unread(bob_laptop, "C2C" + alice_id) == 2  # third and fourth
    assert await unread(bob_phone, "C2C" + alice_id) == 2
    assert await bob_laptop.client.total_unread() == 2


async def past(ms_timestamp: int) -> None:
    """Until the wall clock (the server's too: same machine) is past ``ms_timestamp``."""
    await asyncio.sleep(max(0.0, (ms_timestamp + 1) / 1000 - time.time()))


async def test_recalling_what_someone_else_already_recalled_is_refused(devices: Devices) -> None:
    owner_id, bob_id, carol_id = uid("owner"), uid("bob"), uid("carol")
    owner = await devices.sign_in(owner_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await owner.client.create_group("Twice", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    message = await sent(devices, bob, (await bob.client.send_text(chat, "oops")).client_msg_id)
    await devices.until_equal(lambda: shown(carol, chat), [("oops", False)])
    await devices.until_equal(lambda: shown(owner, chat), [("oops", False)])
    await owner.client.recall(chat, message.message_id)
    await devices.until(lambda: recalled(carol, message.message_id), what="carol sees it")

    # docs/protocol.md: not_recallable for a message "already recalled by someone else"; a plain
    # member may not recall another's message at all.
    with pytest.raises(errors.NotRecallable):
        await bob.client.recall(chat, message.message_id)
    with pytest.raises(errors.PermissionDenied):
        await carol.client.recall(chat, message.message_id)
    assert [m.recalled_by for m in await bob.history(chat) if m.kind == "text"] == [owner_id]
