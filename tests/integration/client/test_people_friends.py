"""Friends and friend requests through the real server with real clients: every flow seen live by
the devices that are online and after an offline device syncs, every refusal typed and changing
nothing."""

from __future__ import annotations

import pytest

from messenger.core.events import ContactsChanged
from messenger.protocol import errors
from messenger.protocol.ids import SYSTEM_CONVERSATION_ID
from messenger.protocol.models import AllowType
from messenger.protocol.social import Relation
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid


async def _friend_ids(device: Device) -> list[str]:
    return sorted(f.user_id for f in await device.client.friends())


async def _requests(device: Device) -> list[tuple[str, str, str]]:
    return [(r.sender, r.receiver, r.note) for r in await device.client.friend_requests()]


async def _notices(device: Device) -> list[tuple[str, str]]:
    messages = await device.client.messages(SYSTEM_CONVERSATION_ID)
    return [(m.body.get("notice", ""), m.body.get("operator", "")) for m in messages]


async def test_a_request_waits_for_approval_and_accepting_makes_friends_both_ways(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    bob_offline = await devices.sign_in(bob_id)
    await devices.close(bob_offline)

    result = await alice.client.add_friend(
        bob_id, note="hi, it's Alice", remark="Bobby", group="Work", source="search"
    )
    assert result == "pending"

    # Live: both inboxes, bob's unread, a notice in bob's system conversation.
    await devices.until_equal(lambda: _requests(bob), [(alice_id, bob_id, "hi, it's Alice")])
    await devices.until_equal(lambda: _requests(alice), [(alice_id, bob_id, "hi, it's Alice")])
    [incoming] = await bob.client.friend_requests()
    assert incoming.unread and incoming.remark == "Bobby" and incoming.source == "search"
    await devices.until_equal(lambda: _notices(bob), [("friend_request", alice_id)])
    assert any("requests" in e.parts for e in bob.of(ContactsChanged))

    # A second request while the first waits is refused and changes nothing.
    with pytest.raises(errors.DuplicateFriendRequest):
        await alice.client.add_friend(bob_id, note="again?")
    assert await _requests(bob) == [(alice_id, bob_id, "hi, it's Alice")]

    await bob.client.mark_friend_requests_read()
    await devices.until(lambda: _all_read(bob), what="the request is marked read")

    relation = await bob.client.accept_friend_request(alice_id, remark="Ally", group="School")
    assert relation is Relation.BOTH
    await devices.until_equal(lambda: _friend_ids(alice), [bob_id])
    await devices.until_equal(lambda: _friend_ids(bob), [alice_id])
    await devices.until_equal(lambda: _requests(alice), [])
    await devices.until_equal(lambda: _requests(bob), [])
    [alices_entry] = await alice.client.friends()
    assert (alices_entry.remark, alices_entry.groups) == ("Bobby", ["Work"])
    [bobs_entry] = await bob.client.friends()
    assert (bobs_entry.remark, bobs_entry.groups) == ("Ally", ["School"])
    assert await alice.client.friend_groups() == ["Work"]
    await devices.until_equal(lambda: _notices(alice), [("friend_request_accepted", bob_id)])
    assert await alice.client.relation(bob_id) is Relation.BOTH

    # Bob's other device was offline the whole time: it catches up with the same result.
    bob_offline = await devices.reopen(bob_offline)
    assert await _friend_ids(bob_offline) == [alice_id]
    assert await _requests(bob_offline) == []
    assert await bob_offline.client.remarks() == {alice_id: "Ally"}
    assert await bob_offline.client.friend_groups() == ["School"]
    # Alice's profile came with the friendship.
    await devices.until(lambda: _stored(bob_offline, alice_id), what="alice's profile")

    # Already friends: refused.
    with pytest.raises(errors.AlreadyFriends):
        await alice.client.add_friend(bob_id)


async def _stored(device: Device, user_id: str) -> bool:
    return user_id in await device.client.stored_profiles([user_id])


async def _all_read(device: Device) -> bool:
    requests = await device.client.friend_requests()
    return bool(requests) and not any(r.unread for r in requests)


async def test_refusing_and_withdrawing_requests_empties_both_inboxes(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)

    await alice.client.add_friend(bob_id, note="please")
    await devices.until(lambda: _requests(bob))
    await bob.client.refuse_friend_request(alice_id)
    await devices.until_equal(lambda: _requests(alice), [])
    await devices.until_equal(lambda: _requests(bob), [])
    await devices.until(lambda: _has_notice(alice, "friend_request_refused"))
    assert await alice.client.friends() == [] and await bob.client.friends() == []
    with pytest.raises(errors.FriendRequestNotFound):
        await bob.client.accept_friend_request(alice_id)

    # Withdrawn by its sender: carol's inbox empties, nobody is told.
    await alice.client.add_friend(carol_id)
    await devices.until(lambda: _requests(carol))
    await alice.client.delete_friend_request(carol_id)
    await devices.until_equal(lambda: _requests(carol), [])
    assert not await _has_notice(alice, "friend_request_refused", carol_id)

    # Asking someone who already asked me accepts their request.
    await carol.client.add_friend(alice_id)
    await devices.until(lambda: _requests(alice))
    assert await alice.client.add_friend(carol_id) == "added"
    await devices.until_equal(lambda: _friend_ids(carol), [alice_id])
    assert await alice.client.relation(carol_id) is Relation.BOTH


async def _has_notice(device: Device, kind: str, operator: str | None = None) -> bool:
    return any(k == kind and operator in (None, op) for k, op in await _notices(device))


async def test_who_may_add_me_is_enforced_by_the_server(devices: Devices) -> None:
    alice_id, open_id, closed_id = uid("alice"), uid("open"), uid("closed")
    alice = await devices.sign_in(alice_id)
    opened = await devices.sign_in(open_id)
    closed = await devices.sign_in(closed_id)
    await opened.client.update_profile(allow_type=AllowType.ANYONE)
    await closed.client.update_profile(allow_type=AllowType.NOBODY)

    # Anyone: friends at once, both ways by default; one way when asked.
    assert await alice.client.add_friend(open_id, remark="Open") == "added"
    await devices.until_equal(lambda: _friend_ids(alice), [open_id])
    await devices.until_equal(lambda: _friend_ids(opened), [alice_id])
    await devices.until(lambda: _has_notice(opened, "friend_added", alice_id))
    assert await alice.client.remarks() == {open_id: "Open"}

    # Nobody: a typed refusal, no request stored anywhere.
    with pytest.raises(errors.FriendAddForbidden):
        await alice.client.add_friend(closed_id, note="let me in")
    assert await _requests(closed) == [] and await _requests(alice) == []

    # Myself, a user who does not exist, a remark over its limit: refused, nothing changes.
    with pytest.raises(errors.InvalidParameter):
        await alice.client.add_friend(alice_id)
    with pytest.raises(errors.UserNotFound):
        await alice.client.add_friend(uid("ghost"))
    with pytest.raises(errors.InvalidParameter):
        await alice.client.add_friend(uid("x"), remark="r" * 97)
    with pytest.raises(errors.InvalidParameter):
        await alice.client.set_friend_remark(open_id, "長" * 33)  # 99 bytes
    assert await alice.client.remarks() == {open_id: "Open"}
    assert await _friend_ids(alice) == [open_id]


async def test_deleting_a_friend_one_way_or_both_ways(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    bob_offline = await devices.sign_in(bob_id)
    await bob.client.update_profile(allow_type=AllowType.ANYONE)
    await alice.client.add_friend(bob_id)
    await devices.until_equal(lambda: _friend_ids(bob_offline), [alice_id])
    await devices.close(bob_offline)

    await alice.client.delete_friend(bob_id, both=False)
    await devices.until_equal(lambda: _friend_ids(alice), [])
    assert await alice.client.relation(bob_id) is Relation.THEIRS
    assert await bob.client.relation(alice_id) is Relation.MINE
    assert await _friend_ids(bob) == [alice_id]

    await bob.client.delete_friend(alice_id, both=True)
    await devices.until_equal(lambda: _friend_ids(bob), [])
    assert await bob.client.relation(alice_id) is Relation.NONE
    with pytest.raises(errors.NotFriend):
        await bob.client.delete_friend(alice_id)

    bob_offline = await devices.reopen(bob_offline)
    assert await _friend_ids(bob_offline) == []


async def test_friend_groups_are_synced_across_my_devices(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    offline = await devices.sign_in(alice_id)
    await devices.close(offline)
    for other in (bob_id, carol_id):
        friend = await devices.sign_in(other)
        await friend.client.update_profile(allow_type=AllowType.ANYONE)
        await alice.client.add_friend(other)

    async def groups_of(device: Device) -> dict[str, list[str]]:
        return {f.user_id: f.groups for f in await device.client.friends()}

    await alice.client.create_friend_group("Family", [bob_id])
    await devices.until_equal(lambda: laptop.client.friend_groups(), ["Family"])
    await alice.client.edit_friend_group("Family", new_name="Kin", add=[carol_id])
    await devices.until_equal(lambda: groups_of(laptop), {bob_id: ["Kin"], carol_id: ["Kin"]})
    await alice.client.edit_friend_group("Kin", remove=[bob_id])
    await alice.client.create_friend_group("Climbing", [bob_id])
    await devices.until_equal(lambda: groups_of(laptop), {bob_id: ["Climbing"], carol_id: ["Kin"]})

    # Refused, nothing changed: a name taken, a group that is not there, a stranger, a bad name.
    with pytest.raises(errors.AlreadyExists):
        await alice.client.create_friend_group("Kin")
    with pytest.raises(errors.FriendGroupNotFound):
        await alice.client.edit_friend_group("Family", add=[bob_id])
    with pytest.raises(errors.NotFriend):
        await alice.client.edit_friend_group("Kin", add=[uid("stranger")])
    with pytest.raises(errors.InvalidParameter):
        await alice.client.create_friend_group("a/b")
    with pytest.raises(errors.FriendGroupNotFound):
        await alice.client.set_friend_groups(bob_id, ["Nope"])

    await alice.client.delete_friend_group("Climbing")
    await devices.until_equal(lambda: laptop.client.friend_groups(), ["Kin"])
    offline = await devices.reopen(offline)
    assert await offline.client.friend_groups() == ["Kin"]
    assert await groups_of(offline) == {bob_id: [], carol_id: ["Kin"]}
