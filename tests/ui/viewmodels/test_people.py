"""The friend sidebar's view-model over real clients: friends grouped by friend group, the
search box, the requests count, and live changes."""

from __future__ import annotations

from typing import Any

from messenger.protocol.models import AllowType
from messenger.viewmodels.people import IS_HEADER_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, until


async def test_friends_are_grouped_filtered_and_follow_changes(
    devices: Devices, sessions: Any, qtmodeltester: Any
) -> None:
    alice_id = uid("alice")
    alice = await devices.sign_in(alice_id)
    names = {}
    for nickname, group in (("Zoe", "Family"), ("Adam", "Family"), ("张伟", "Work"), ("Kim", "")):
        other = await devices.sign_in(uid("f"))
        await other.client.update_profile(nickname=nickname, allow_type=AllowType.ANYONE)
        await alice.client.add_friend(other.user_id, group=group)
        names[nickname] = other.user_id
    asker = await devices.sign_in(uid("asker"))
    await asker.client.add_friend(alice_id, note="hello")
    await devices.until(lambda: _count(alice, 4))
    session = await sessions(alice)
    people = session.people
    model = people.friends
    await until(
        lambda: (
            column(model) == ["Family · 2", "Adam", "Zoe", "Work · 1", "张伟", "Friends · 1", "Kim"]
        ),
        what="grouped and sorted",
    )
    assert [model.index(r, 0).data(IS_HEADER_ROLE) for r in range(3)] == [True, False, False]
    assert people.unread_requests == 1
    qtmodeltester.check(model)

    people.set_filter("张")
    assert column(model) == ["Work · 1", "张伟"]
    people.set_filter(names["Kim"])  # by ID too
    assert column(model) == ["Friends · 1", "Kim"]
    people.set_filter("")

    await alice.client.set_friend_remark(names["Zoe"], "Aunt Zoe")
    await until(lambda: column(model)[:3] == ["Family · 2", "Adam", "Aunt Zoe"], what="remark")
    await alice.client.delete_friend(names["Adam"])
    await until(lambda: column(model)[:2] == ["Family · 1", "Aunt Zoe"], what="deleted")
    await people.mark_requests_read()
    await until(lambda: people.unread_requests == 0, what="requests read")

    # A header's friend group can be renamed and deleted (the friends stay).
    assert people.group_of_header(0) == "Family" and people.group_of_header(1) == ""
    assert await people.rename_group("Family", "Kin")
    await until(lambda: column(model)[:2] == ["Kin · 1", "Aunt Zoe"], what="renamed")
    assert await people.delete_group("Kin")
    await until(lambda: "Aunt Zoe" in column(model)[-3:], what="deleted group")
    assert not any(t.startswith("Kin") for t in column(model))
    qtmodeltester.check(model)


async def _count(device: Any, n: int) -> bool:
    return len(await device.client.friends()) == n
