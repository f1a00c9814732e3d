"""@-mentions: my conversation shows "@me" until I read it; @all and strangers are checked."""

from __future__ import annotations

from messenger.core import MessageState
from messenger.protocol import errors
from tests.helpers.clients import Device, Devices, refusal
from tests.helpers.ids import uid


async def mention_state(device: Device, chat: str) -> tuple[int, tuple[int, ...]] | None:
    found = await device.client.conversation(chat)
    return None if found is None else (found.unread_count, found.mention_seqs)


async def test_a_mention_marks_my_conversation_on_every_device_until_i_read_it(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    group = await bob.client.create_group("Ops", [alice_id])
    chat = "GROUP" + group.group_id

    await bob.client.send_text(chat, f"@{alice_id} can you look?", mentions=[alice_id])
    await bob.client.send_text(chat, "no rush")  # a later message does not clear the mention
    for device in (phone, laptop):
        await devices.until_equal(lambda d=device: mention_state(d, chat), (2, (2,)))
    conversation = await laptop.client.conversation(chat)
    assert conversation is not None and conversation.mention
    assert (await mention_state(bob, chat)) == (0, ())  # not for the sender

    await phone.client.mark_read(chat)
    for device in (phone, laptop):
        await devices.until_equal(lambda d=device: mention_state(d, chat), (0, ()))


async def test_only_the_owner_or_an_admin_may_mention_everyone(devices: Devices) -> None:
    owner_id, bob_id, carol_id = uid("owner"), uid("bob"), uid("carol")
    owner = await devices.sign_in(owner_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await owner.client.create_group("Everyone", [bob_id, carol_id])
    chat = "GROUP" + group.group_id

    attempt = await bob.client.send_text(chat, "@all hello", mention_all=True)
    [failed] = await devices.until(lambda: bob.updated(MessageState.FAILED), what="refusal")
    assert failed.client_msg_id == attempt.client_msg_id
    assert isinstance(refusal(failed), errors.PermissionDenied)

    await owner.client.send_text(chat, "@all meeting at 3", mention_all=True)
    for member in (bob, carol):
        await devices.until_equal(lambda m=member: mention_state(m, chat), (1, (2,)))
    assert await carol.texts(chat) == ["@all meeting at 3"]  # seq 2: bob's was never stored


async def test_mentioning_someone_outside_the_group_is_refused(devices: Devices) -> None:
    alice_id, bob_id, stranger_id = uid("alice"), uid("bob"), uid("stranger")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    await devices.sign_in(stranger_id)
    group = await alice.client.create_group("Closed", [bob_id])
    chat = "GROUP" + group.group_id

    await alice.client.send_text(chat, f"@{stranger_id} hi", mentions=[stranger_id])
    [failed] = await devices.until(lambda: alice.updated(MessageState.FAILED), what="refusal")
    assert isinstance(refusal(failed), errors.InvalidParameter)
    assert failed.error is not None and "mentions" in str(failed.error.details)

    await alice.client.send_text(chat, "after")
    await devices.until_equal(lambda: bob.texts(chat), ["after"])
