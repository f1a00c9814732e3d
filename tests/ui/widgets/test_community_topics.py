"""A community's topics in the conversation list: right under their community, indented, in
their own order; folded away and shown again from the fold mark or the row's menu; a filter
finds a topic even while folded."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from messenger.protocol.models import GroupType
from messenger.ui.conversation_delegate import fold_zone
from messenger.viewmodels.conversation_list import COMMUNITY, ID_ROLE, ROW_ROLE, TOPIC, TOPIC_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, sent, until


async def test_topics_sit_under_their_community_and_fold_away(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    community = await alice.client.create_group("Makers", [bob_id], type=GroupType.COMMUNITY)
    design = await alice.client.create_topic(community.group_id, "Design")
    build = await alice.client.create_topic(community.group_id, "Build")
    home, first, second = ("GROUP" + g.group_id for g in (community, design, build))
    await sent(bob, second, "the build is green")
    await sent(bob, "C2C" + alice_id, "lunch?")  # the newest: at the top
    await sent(bob, first, "new logo")  # a topic newer than its community
    window = await windows(alice)
    view = window.conversation_list.list
    model = view.model()

    def ids() -> list[str]:
        return [str(i) for i in column(model, ID_ROLE)]

    # Makers stands where its newest topic would (above the newer chat), its topics under it.
    wanted = [home, first, second, "C2C" + bob_id]
    await until(lambda: ids()[:4] == wanted, what="topics under their community")
    roles = {
        str(model.index(r, 0).data(ID_ROLE)): model.index(r, 0).data(TOPIC_ROLE)
        for r in range(model.rowCount())
    }
    assert (roles[home], roles[first], roles[second]) == (COMMUNITY, TOPIC, TOPIC)

    # The fold mark in the community row's left margin folds its topics away; opens nothing.
    row = ids().index(home)
    zone = fold_zone(view.visualRect(model.index(row, 0)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=zone.center())
    await until(lambda: first not in ids() and second not in ids(), what="folded")
    folded_row = model.index(ids().index(home), 0).data(ROW_ROLE)
    assert folded_row.badge == 2  # its topics' unread messages, counted on the community
    assert window.session.chat.current_conversation_id != home
    # A filter still finds a folded topic.
    window.conversation_list.filter.setText("Bui")
    await until(lambda: ids() == [second], what="the topic found")
    window.conversation_list.filter.clear()
    await until(lambda: first not in ids(), what="folded again without the filter")

    # The row's menu shows them again.
    menu = window.conversation_list.context_menu(home)
    [fold] = [a for a in menu.actions() if a.objectName() == "fold_topics"]
    assert fold.text() == "Show topics"
    fold.trigger()
    await until(lambda: first in ids() and second in ids(), what="shown again")


async def test_a_new_device_nests_the_topics_too(devices: Devices, windows: Any) -> None:
    alice_id = uid("alice")
    alice = await devices.sign_in(alice_id)
    community = await alice.client.create_group("Guild", [], type=GroupType.COMMUNITY)
    topic = await alice.client.create_topic(community.group_id, "Events")
    await sent(alice, "GROUP" + topic.group_id, "party on friday")
    laptop = await devices.sign_in(alice_id)  # its store never saw the groups change
    window = await windows(laptop)
    model = window.conversation_list.list.model()
    home, events = "GROUP" + community.group_id, "GROUP" + topic.group_id

    def nested() -> bool:
        ids = [str(i) for i in column(model, ID_ROLE)]
        return ids[:2] == [home, events] and model.index(1, 0).data(TOPIC_ROLE) == TOPIC

    await until(nested, what="the topic under its community on the new device")
