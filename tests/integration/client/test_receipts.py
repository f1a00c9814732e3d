"""Read receipts and unread counts: what the sender learns, and my devices staying in step."""

from __future__ import annotations

from messenger.core import LocalMessage, MessageState
from messenger.core.events import PeerReadChanged, ReceiptsChanged, TotalUnreadChanged
from messenger.protocol.models import ReceiptCount
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid


async def acked(devices: Devices, device: Device, count: int) -> list[LocalMessage]:
    """My messages once ``count`` of them are acknowledged."""

    def all_acked() -> list[LocalMessage]:
        found = device.updated(MessageState.SENT)
        return found if len(found) == count else []

    acked: list[LocalMessage] = await devices.until(all_acked, what=f"{count} acks")
    return acked


async def unread(device: Device, chat: str) -> int | None:
    found = await device.client.conversation(chat)
    return None if found is None else found.unread_count


async def test_the_c2c_sender_sees_how_far_the_peer_has_read(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    for text in ("one", "two", "three"):
        await alice.client.send_text("C2C" + bob_id, text)
    await acked(devices, alice, 3)
    await devices.until_equal(lambda: unread(bob, "C2C" + alice_id), 3)
    assert alice.of(PeerReadChanged) == []
    before = await alice.client.receipts("C2C" + bob_id, [1, 2, 3])
    assert [(r.read_count, r.unread_count) for r in before] == [(0, 1)] * 3

    await bob.client.mark_read("C2C" + alice_id, 2)

    await devices.until_equal(
        lambda: alice.of(PeerReadChanged), [PeerReadChanged("C2C" + bob_id, 2)]
    )
    conversation = await alice.client.conversation("C2C" + bob_id)
    assert conversation is not None and conversation.peer_read_seq == 2
    after = await alice.client.receipts("C2C" + bob_id, [1, 2, 3])
    assert [(r.seq, r.read_count) for r in after] == [(1, 1), (2, 1), (3, 0)]
    assert await unread(bob, "C2C" + alice_id) == 1


async def test_group_receipts_count_readers_and_are_pushed_to_the_sender(
    devices: Devices,
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Readers", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    await alice.client.send_text(chat, "please read")
    [message] = await acked(devices, alice, 1)
    seq = message.seq
    for member in (bob, carol):
        await devices.until_equal(lambda m=member: unread(m, chat), 1)

    assert await alice.client.receipts(chat, [seq]) == [
        ReceiptCount(seq=seq, read_count=0, unread_count=2)
    ]
    readers = await alice.client.readers(chat, seq)
    assert (readers.read, sorted(readers.unread)) == ([], sorted([bob_id, carol_id]))

    await bob.client.mark_read(chat)
    pushed = await devices.until(lambda: alice.of(ReceiptsChanged), what="receipts pushed")
    assert pushed == [ReceiptsChanged(chat, (ReceiptCount(seq=seq, read_count=1, unread_count=1),))]
    readers = await alice.client.readers(chat, seq)
    assert (readers.read, readers.unread) == ([bob_id], [carol_id])

    await carol.client.mark_read(chat)
    await devices.until(lambda: len(alice.of(ReceiptsChanged)) == 2, what="second push")
    assert alice.of(ReceiptsChanged)[-1].receipts == (
        ReceiptCount(seq=seq, read_count=2, unread_count=0),
    )
    assert await alice.client.receipts(chat, [seq]) == [
        ReceiptCount(seq=seq, read_count=2, unread_count=0)
    ]
    assert bob.of(ReceiptsChanged) == []  # only the sender hears of it


async def test_unread_counts_stay_in_step_across_my_devices(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    carol = await devices.sign_in(carol_id)
    phone = await devices.sign_in(bob_id)
    laptop = await devices.sign_in(bob_id)
    for i in range(3):
        await alice.client.send_text("C2C" + bob_id, f"a{i}")
    await carol.client.send_text("C2C" + bob_id, "c0")
    for device in (phone, laptop):
        await devices.until_equal(lambda d=device: d.client.total_unread(), 4)
        assert await unread(device, "C2C" + alice_id) == 3
        assert await unread(device, "C2C" + carol_id) == 1

    await phone.client.mark_read("C2C" + alice_id)

    await devices.until_equal(lambda: laptop.client.total_unread(), 1)
    assert await unread(laptop, "C2C" + alice_id) == 0
    assert await unread(laptop, "C2C" + carol_id) == 1
    assert laptop.of(TotalUnreadChanged)[-1] == TotalUnreadChanged(1)
    assert await phone.client.total_unread() == 1

    await laptop.client.mark_read("C2C" + carol_id)
    await devices.until_equal(lambda: phone.client.total_unread(), 0)
    assert phone.of(TotalUnreadChanged)[-1] == TotalUnreadChanged(0)


async def test_replying_reads_the_conversation_everywhere(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    phone = await devices.sign_in(bob_id)
    laptop = await devices.sign_in(bob_id)
    for text in ("are you there?", "hello?"):
        await alice.client.send_text("C2C" + bob_id, text)
    for device in (phone, laptop):
        await devices.until_equal(lambda d=device: unread(d, "C2C" + alice_id), 2)

    await phone.client.send_text("C2C" + alice_id, "yes, sorry")  # without opening the chat

    for device in (phone, laptop):
        await devices.until_equal(lambda d=device: d.client.total_unread(), 0)
    await devices.until(
        lambda: PeerReadChanged("C2C" + bob_id, 3) in alice.of(PeerReadChanged), what="read"
    )
    seen = await alice.client.conversation("C2C" + bob_id)
    assert seen is not None and (seen.peer_read_seq, seen.unread_count) == (3, 1)
    assert [(r.seq, r.read_count) for r in await alice.client.receipts("C2C" + bob_id, [1, 2])] == [
        (1, 1),
        (2, 1),
    ]


async def test_a_member_added_later_is_no_reader_of_earlier_messages(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Growing", [bob_id])
    chat = "GROUP" + group.group_id
    await alice.client.send_text(chat, "before carol")
    [early] = await acked(devices, alice, 1)
    await alice.client.add_members(group.group_id, [carol_id])
    await devices.until(lambda: carol.added(chat), what="carol joins")
    await alice.client.send_text(chat, "after carol")
    [_, late] = await acked(devices, alice, 2)

    await carol.client.mark_read(chat)

    await devices.until(lambda: alice.of(ReceiptsChanged), what="carol's read pushed")
    assert alice.of(ReceiptsChanged)[-1].receipts == (
        ReceiptCount(seq=late.seq, read_count=1, unread_count=1),
    )
    counts = await alice.client.receipts(chat, [early.seq, late.seq])
    assert [(r.seq, r.read_count, r.unread_count) for r in counts] == [
        (early.seq, 0, 1),
        (late.seq, 1, 1),
    ]
    readers = await alice.client.readers(chat, early.seq)
    assert (readers.read, readers.unread) == ([], [bob_id])
