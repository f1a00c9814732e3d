"""The conversation list: order, pin, remind, hide, clear, mark unread — the same on my devices."""

from __future__ import annotations

import asyncio
import time

from messenger.core import Conversation, MessageState
from messenger.protocol.models import RemindType
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid


async def listed(device: Device) -> list[str]:
    return [c.conversation_id for c in await device.client.conversations()]


async def conversation(device: Device, chat: str) -> Conversation:
    found = await device.client.conversation(chat)
    assert found is not None
    return found


async def say(devices: Devices, sender: Device, to: str, text: str, *seen_by: Device) -> None:
    """Send and wait until it arrived everywhere (and the clock moved on a millisecond)."""
    echo = await sender.client.send_text("C2C" + to, text)
    [sent] = await devices.until(
        lambda: [
            m for m in sender.updated(MessageState.SENT) if m.client_msg_id == echo.client_msg_id
        ]
    )
    for device in seen_by:
        await devices.until(
            lambda d=device: any(
                m.message_id == sent.message_id for m in d.added("C2C" + sender.user_id)
            ),
            what=f"{text!r} to arrive",
        )
    await asyncio.sleep(max(0.0, (sent.time + 1) / 1000 - time.time()))


async def test_pinned_first_latest_pin_first_then_by_activity_on_both_devices(
    devices: Devices,
) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    laptop = await devices.sign_in(me)
    bob, carol, dave = [await devices.sign_in(uid(name)) for name in ("bob", "carol", "dave")]
    for friend in (bob, carol, dave):
        await say(devices, friend, me, f"hi from {friend.user_id}", phone, laptop)
    b, c, d = ("C2C" + f.user_id for f in (bob, carol, dave))
    assert await listed(phone) == await listed(laptop) == [d, c, b]

    await phone.client.pin(b)
    await devices.until_equal(lambda: listed(laptop), [b, d, c])
    await laptop.client.pin(c)
    await devices.until_equal(lambda: listed(phone), [c, b, d])
    await phone.client.pin(b, False)
    await devices.until_equal(lambda: listed(laptop), [c, d, b])
    await say(devices, bob, me, "bump", phone, laptop)
    for device in (phone, laptop):
        await devices.until_equal(lambda x=device: listed(x), [c, b, d])
    assert (await conversation(laptop, c)).pinned


async def test_silent_counts_apart_from_the_total_and_block_delivers_nothing(
    devices: Devices,
) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    laptop = await devices.sign_in(me)
    bob = await devices.sign_in(uid("bob"))
    carol = await devices.sign_in(uid("carol"))
    b, c = "C2C" + bob.user_id, "C2C" + carol.user_id
    await say(devices, carol, me, "before the block", phone, laptop)

    await phone.client.set_remind(b, RemindType.SILENT)
    await laptop.client.set_remind(c, RemindType.BLOCK)
    for device in (phone, laptop):
        await devices.until_equal(
            lambda x=device: reminds(x, b, c), [RemindType.SILENT, RemindType.BLOCK]
        )

    await say(devices, carol, me, "while blocked")  # acknowledged, but not for me
    await say(devices, bob, me, "silent one", phone, laptop)
    await say(devices, bob, me, "silent two", phone, laptop)
    for device in (phone, laptop):
        assert (await conversation(device, b)).unread_count == 2
        assert await device.client.total_unread() == 0  # silent and blocked are left out
        assert [m.text for m in device.added(c)] == ["before the block"]
        assert (await conversation(device, c)).unread_count == 0
    # Blocked is not deleted: the history is there when I open it.
    assert await laptop.texts(c) == ["before the block", "while blocked"]
    assert (await conversation(laptop, c)).unread_count == 0

    await phone.client.set_remind(b, RemindType.NOTIFY)
    await devices.until_equal(lambda: laptop.client.total_unread(), 2)


async def reminds(device: Device, *chats: str) -> list[RemindType]:
    return [(await conversation(device, chat)).remind for chat in chats]


async def test_hide_keeps_history_and_a_new_message_brings_it_back(devices: Devices) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    laptop = await devices.sign_in(me)
    bob = await devices.sign_in(uid("bob"))
    b = "C2C" + bob.user_id
    await say(devices, bob, me, "old news", phone, laptop)

    await phone.client.hide(b)
    for device in (phone, laptop):
        await devices.until_equal(lambda x=device: listed(x), [])
        assert (await conversation(device, b)).hidden
        assert await device.texts(b) == ["old news"]  # history is kept

    await say(devices, bob, me, "new news", phone, laptop)
    for device in (phone, laptop):
        await devices.until_equal(lambda x=device: listed(x), [b])
        assert await device.texts(b) == ["old news", "new news"]


async def test_clearing_history_reaches_my_other_device_but_not_the_peer(
    devices: Devices,
) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    laptop = await devices.sign_in(me)
    bob = await devices.sign_in(uid("bob"))
    b, mine = "C2C" + bob.user_id, "C2C" + me
    for text in ("one", "two"):
        await say(devices, bob, me, text, phone, laptop)

    await laptop.client.clear_history(b)
    for device in (phone, laptop):
        await devices.until_equal(lambda x=device: x.texts(b), [])
        assert (await conversation(device, b)).unread_count == 0
    assert await bob.texts(mine) == ["one", "two"]  # the peer keeps theirs

    await say(devices, bob, me, "three", phone, laptop)
    for device in (phone, laptop):
        assert await device.texts(b) == ["three"]
    fresh = await devices.sign_in(me)
    assert await fresh.texts(b) == ["three"]  # a new device does not bring them back


async def test_mark_unread_shows_on_my_other_device_until_read(devices: Devices) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    laptop = await devices.sign_in(me)
    bob = await devices.sign_in(uid("bob"))
    b = "C2C" + bob.user_id
    await say(devices, bob, me, "read me later", phone, laptop)
    await phone.client.mark_read(b)
    await devices.until_equal(lambda: laptop.client.total_unread(), 0)

    await phone.client.mark_unread(b)
    await devices.until_equal(lambda: laptop.client.total_unread(), 1)
    marked = await conversation(laptop, b)
    assert (marked.marked_unread, marked.unread_count, marked.badge) == (True, 0, 1)

    await laptop.client.mark_read(b)
    await devices.until_equal(lambda: phone.client.total_unread(), 0)
    assert not (await conversation(phone, b)).marked_unread


async def test_after_unblocking_the_messages_sent_meanwhile_are_shown_and_counted(
    devices: Devices,
) -> None:
    me = uid("me")
    phone = await devices.sign_in(me)
    laptop = await devices.sign_in(me)
    bob = await devices.sign_in(uid("bob"))
    b = "C2C" + bob.user_id
    await say(devices, bob, me, "before", phone, laptop)
    await phone.client.mark_read(b)
    await devices.until_equal(lambda: laptop.client.total_unread(), 0)
    await devices.close(laptop)  # off during the block and the unblock
    await phone.client.set_remind(b, RemindType.BLOCK)
    await say(devices, bob, me, "during one")
    await say(devices, bob, me, "during two")

    assert [m.text for m in phone.added(b)] == ["before"]

    await phone.client.set_remind(b, RemindType.NOTIFY)

    # What came during the block is fetched and announced like news.
    await devices.until_equal(
        lambda: [m.text for m in phone.added(b)], ["before", "during one", "during two"]
    )
    unblocked = await conversation(phone, b)
    assert (unblocked.unread_count, unblocked.last_seq) == (2, 3)
    assert unblocked.last_message is not None and unblocked.last_message.text == "during two"
    assert await phone.texts(b) == ["before", "during one", "during two"]
    assert await phone.client.total_unread() == 2

    laptop = await devices.reopen(laptop)  # catches up, then fetches what the feed lacked
    await devices.until_equal(
        lambda: [m.text for m in laptop.added(b)], ["during one", "during two"]
    )
    assert await laptop.client.conversations() == await phone.client.conversations()
