"""The friend list of the Contacts page draws people as the conversation list does: an avatar
with the online dot, the name, and "online" / "last seen …" below, following presence live.
Until a friend or an entry is chosen, the right side says what to do instead of staying blank."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage

from messenger.ui.avatars import ONLINE_GREEN
from messenger.ui.contacts_page import AVATAR
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, until


def _green_pixels(image: QImage, area: QRect) -> int:
    """Pixels of the online dot's green (give or take antialiasing) inside ``area``."""
    found = 0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            colour = QColor(image.pixel(x, y))
            if (
                abs(colour.red() - ONLINE_GREEN.red()) < 12
                and abs(colour.green() - ONLINE_GREEN.green()) < 12
                and abs(colour.blue() - ONLINE_GREEN.blue()) < 12
            ):
                found += 1
    return found


async def test_a_friend_row_shows_the_avatar_dot_and_last_seen_live(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice, bob = await devices.friends()
    bob_id = bob.user_id
    window = await windows(alice)
    window.resize(900, 600)
    qtbot.mouseClick(window.contacts_button, Qt.MouseButton.LeftButton)
    contacts = window.contacts
    assert contacts.stack.currentWidget() is contacts.placeholder
    assert contacts.placeholder.text() == "Choose a friend to see their profile"
    friends = contacts.friends
    await until(lambda: bob_id in column(friends.model()), what="bob in the list")
    people = window.session.people
    await until(lambda: people.is_online(bob_id), what="bob's presence")

    row = friends.visualRect(friends.model().index(0, 0))
    assert row.height() >= AVATAR + 8  # room for the avatar and two lines
    avatar = QRect(row.left(), row.top(), AVATAR + 16, row.height())

    def dot_drawn() -> int:
        return _green_pixels(friends.viewport().grab().toImage(), avatar)

    await until(dot_drawn, what="the online dot on bob's avatar")
    await bob.client.aclose()  # bob quits: alice's list follows without a reload
    await until(lambda: not people.is_online(bob_id), what="bob offline", within=15)
    await until(lambda: dot_drawn() == 0, what="the dot is gone")
    assert people.status_text(bob_id).startswith("last seen")


async def test_i_am_online_in_my_own_window_while_connected(devices: Devices, windows: Any) -> None:
    """The server tells others of my presence, not me: my own dot (group member lists, my card)
    follows this device's connection."""
    alice_id = uid("alice")
    alice = await devices.sign_in(alice_id)
    window = await windows(alice)
    people = window.session.people
    await until(lambda: people.is_online(alice_id), what="me online")
    assert people.status_text(alice_id) == "online"


async def test_a_friend_group_header_is_one_line_not_a_blank_row(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    """A friend group's header is a bold line just above its friends, not a friend-sized row
    that stands empty above the name (it looked like a missing friend at the top)."""
    alice, bob = await devices.friends()
    bob_id = bob.user_id
    await alice.client.create_friend_group("Work", [bob_id])
    window = await windows(alice)
    qtbot.mouseClick(window.contacts_button, Qt.MouseButton.LeftButton)
    friends = window.contacts.friends
    model = friends.model()
    await until(lambda: column(model)[:2] == ["Work · 1", bob_id], what="Work, then bob")
    header = friends.visualRect(model.index(0, 0))
    bob_row = friends.visualRect(model.index(1, 0))
    line = friends.fontMetrics().height()
    assert header.height() <= line + 16 < bob_row.height()
    assert bob_row.top() == header.bottom() + 1
