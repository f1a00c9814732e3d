"""The smaller item models: group members, quick switcher, list filter, emoji."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from messenger.protocol.models import GroupRole
from messenger.viewmodels.emoji import NAME_ROLE, EmojiFilterModel
from messenger.viewmodels.group import MEMBER_ROLE
from messenger.viewmodels.quick_switcher import ID_ROLE, QuickSwitcherModel, fuzzy_score
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, sent, until


async def test_the_group_panel_lists_members_owner_first_with_roles(
    devices: Devices, sessions: Any, qtmodeltester: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    await devices.sign_in(alice_id)
    await devices.sign_in(carol_id)
    bob = await devices.sign_in(bob_id)
    group = await bob.client.create_group(
        "Team", [alice_id, carol_id], notification="<b>Friday</b> release"
    )
    alice = devices.devices[0]
    session = await sessions(alice)
    await session.chat.open("GROUP" + group.group_id)
    panel = session.chat.group
    await until(lambda: panel.members.rowCount() == 3, what="members are listed")
    qtmodeltester.check(panel.members)

    members = column(panel.members, MEMBER_ROLE)
    first = members[0]
    assert (first.user_id, first.role, first.role_text) == (
        bob_id,
        GroupRole.OWNER,
        "Owner",
    )
    assert {m.user_id for m in members[1:]} == {alice_id, carol_id}
    assert all(m.role_text == "" for m in members[1:])
    assert panel.info is not None and panel.info.notification == "<b>Friday</b> release"
    assert panel.my_role is GroupRole.MEMBER and not panel.is_admin

    dave_id = uid("dave")
    await devices.sign_in(dave_id)
    await bob.client.add_members(group.group_id, [dave_id])  # live: the list follows
    await until(lambda: panel.members.rowCount() == 4, what="the new member is listed")
    assert dave_id in [m.user_id for m in column(panel.members, MEMBER_ROLE)]
    qtmodeltester.check(panel.members)


async def test_the_quick_switcher_and_the_filter_find_conversations(
    devices: Devices, sessions: Any, qtmodeltester: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team Rocket", [bob_id])
    await sent(bob, "C2C" + alice_id, "hi")
    await sent(carol, "C2C" + alice_id, "hey")
    session = await sessions(alice)
    await until(lambda: session.conversations.model.rowCount() == 3)

    switcher = QuickSwitcherModel(session.conversations.model)
    switcher.set_query("trk")  # T…R…K: fuzzy, in order
    qtmodeltester.check(switcher)
    assert column(switcher, ID_ROLE) == ["GROUP" + group.group_id]
    switcher.set_query(carol_id[:6])
    assert column(switcher, ID_ROLE)[0] == "C2C" + carol_id
    switcher.set_query("")
    assert switcher.rowCount() == 3

    session.conversations.set_filter(bob_id[:5].upper())  # case-insensitive, by ID
    qtmodeltester.check(session.conversations.filtered)
    assert column(session.conversations.filtered, Qt.ItemDataRole.DisplayRole) == [bob_id]
    session.conversations.set_filter("")
    assert session.conversations.filtered.rowCount() == 3


def test_fuzzy_scores_prefer_starts_and_runs() -> None:
    assert fuzzy_score("tm", "Team") is not None
    assert fuzzy_score("mt", "Team") is None
    start, scattered = fuzzy_score("team", "Team chat"), fuzzy_score("team", "The east amber manor")
    assert start is not None and scattered is not None and start > scattered


def test_the_emoji_picker_filters_by_name(qtmodeltester: Any) -> None:
    model = EmojiFilterModel()
    qtmodeltester.check(model.sourceModel())
    qtmodeltester.check(model)
    total = model.rowCount()
    model.set_text("HEART")
    names = column(model, NAME_ROLE)
    assert 0 < len(names) < total and all("heart" in n for n in names)
    qtmodeltester.check(model)
