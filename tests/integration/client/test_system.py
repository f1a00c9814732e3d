"""The system conversation (C3): notices addressed to me, read-only, synced like any chat."""

from __future__ import annotations

import pytest

from messenger.core.events import MessagesAdded
from messenger.protocol import errors
from messenger.protocol.ids import SYSTEM_CONVERSATION_ID
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid

SYSTEM = SYSTEM_CONVERSATION_ID


async def test_being_added_to_a_group_arrives_as_a_system_notice(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    bob_laptop = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)

    group = await alice.client.create_group("Launch", [bob_id])

    [added] = await devices.until(lambda: bob.added(SYSTEM), what="bob's notice")
    assert added.kind == "notice" and added.sender == alice_id
    assert (added.body["notice"], added.body["group_id"], added.body["group_name"]) == (
        "added_to_group",
        group.group_id,
        "Launch",
    )
    system = await bob.client.conversation(SYSTEM)
    assert system is not None and system.unread_count == 1
    assert system.last_message is not None and system.last_message.message_id == added.message_id
    # the creator gets no notice of her own act, and outsiders get nothing
    assert alice.added(SYSTEM) == [] and carol.added(SYSTEM) == []
    await devices.until(lambda: bob_laptop.added(SYSTEM), what="the notice on bob's laptop")

    # read on one device → read on the other; the conversation is read-only
    await bob.client.mark_read(SYSTEM)
    await devices.until_equal(lambda: _unread(bob_laptop), 0)  # read on the laptop too
    with pytest.raises(errors.PermissionDenied):
        await bob.client.send_text(SYSTEM, "hello system")

    # added later by a member: a second notice, the operator named
    await bob.client.add_members(group.group_id, [carol_id])
    [to_carol] = await devices.until(lambda: carol.added(SYSTEM), what="carol's notice")
    assert to_carol.sender == bob_id and to_carol.body["operator"] == bob_id
    assert len([e for e in bob.of(MessagesAdded) if e.conversation_id == SYSTEM]) == 1


async def _unread(device: Device) -> int:
    conv = await device.client.conversation(SYSTEM)
    return -1 if conv is None else conv.unread_count
