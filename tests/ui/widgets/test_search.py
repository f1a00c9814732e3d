"""Search in the app: Ctrl+F in the open chat, the top box over everything (Ctrl+Shift+F),
opening a chat at a result with the messages around it, jump to a date, clickable links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from messenger.protocol.models import AllowType
from messenger.ui.profile_card import ProfileCardDialog
from messenger.viewmodels import chat as chat_module
from messenger.viewmodels.message_list import ROW_ROLE
from messenger.viewmodels.message_ops import message_link, parse_message_link
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, open_chat, sent, until

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_module, "PAGE", 20)
    monkeypatch.setattr(chat_module, "CONTEXT_ABOVE", 3)
    monkeypatch.setattr(chat_module, "MAX_ROWS", 50)


async def history(bob: Device, alice: Device, special: dict[int, str], count: int = 60) -> None:
    """Bob's ``count`` messages to Alice ("m0" … unless ``special``), all read by her."""
    for n in range(count):
        await bob.client.send_text("C2C" + alice.user_id, special.get(n, f"m{n}"))
    await until(lambda: len(bob.updated()) >= count, within=60, what="bob's messages are sent")
    if alice.client.user_id is not None:
        await alice.client.mark_read("C2C" + bob.user_id)


def selected_text(window: Any) -> str:
    view = window.chat_pane.view
    chosen = view.selectionModel().selectedIndexes()
    return chosen[0].data(ROW_ROLE).text if chosen else ""


def on_screen(window: Any, text: str) -> bool:
    view = window.chat_pane.view
    model = window.session.chat.messages
    for row in range(model.rowCount()):
        if model.index(row, 0).data(ROW_ROLE).text == text:
            rect = view.visualRect(model.index(row, 0))
            return bool(rect.bottom() > 0 and rect.top() < view.viewport().height())
    return False


async def test_ctrl_f_finds_steps_and_opens_the_chat_around_each_match(
    devices: Devices, windows: Any, qtbot: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await history(bob, alice, {5: "apple pie", 30: "an Apple a day", 50: "APPLE!"})
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    assert "apple pie" not in [r.text for r in chat_rows(window)]  # far above the window

    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    bar = window.chat_pane.search_bar
    await until(lambda: bar.isVisible() and QApplication.focusWidget() is bar.edit, what="bar")
    qtbot.keyClicks(bar.edit, "apple")
    await until(lambda: bar.position.text() == "1 of 3", what="three matches, the newest first")
    await until(lambda: selected_text(window) == "APPLE!" and on_screen(window, "APPLE!"))
    assert window.chat_pane.view.delegate.search_terms == ["apple"]  # marked in the bubbles

    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    await until(lambda: selected_text(window) == "an Apple a day", what="the older match")
    assert bar.position.text() == "2 of 3" and on_screen(window, "an Apple a day")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    await until(lambda: selected_text(window) == "apple pie", what="the oldest, far back")
    texts = [r.text for r in chat_rows(window)]
    assert {"m4", "m6"} <= set(texts)  # opened with its context around it
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    await until(lambda: selected_text(window) == "an Apple a day", what="back to the newer one")

    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    await until(lambda: not bar.isVisible())
    assert window.chat_pane.view.delegate.search_terms == []


async def test_the_top_box_finds_messages_grouped_by_chat_and_opens_one(
    devices: Devices, windows: Any, qtbot: Any, small_pages: None
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await history(bob, alice, {3: "预算 budget draft", 40: "budget: https://example.com/b"})
    await sent(carol, "C2C" + alice_id, "the budget is fine")
    window = await windows(alice)

    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    box = window.conversation_list.filter
    await until(lambda: QApplication.focusWidget() is box, what="the top box has focus")
    qtbot.keyClicks(box, "budget")
    panel = window.global_search
    await until(lambda: len(panel.vm.chats) == 2, what="two chats with matches")
    lines = [panel.results.item(i).text() for i in range(panel.results.count())]
    assert lines[0] == "Messages"
    assert lines[1].endswith("1 message") and "the budget is fine" in lines[2]  # the newest
    assert lines[3].endswith("2 messages")
    assert "budget: https://example.com/b" in lines[4] and "预算 budget draft" in lines[5]

    panel.kind.setCurrentIndex(3)  # links
    await until(lambda: [c.count for c in panel.vm.chats] == [1], what="the link only")

    panel.kind.setCurrentIndex(0)
    await until(lambda: len(panel.vm.chats) == 2)
    old = next(i for i in range(panel.results.count()) if "预算" in panel.results.item(i).text())
    panel.results.itemClicked.emit(panel.results.item(old))
    chat = window.session.chat
    await until(lambda: chat.current_conversation_id == "C2C" + bob_id, what="Bob's chat opens")
    await until(lambda: selected_text(window) == "预算 budget draft", what="at that message")
    assert on_screen(window, "预算 budget draft")
    assert {"m2", "m4"} <= {r.text for r in chat_rows(window)}


async def test_the_server_finds_what_this_device_never_downloaded(
    devices: Devices, windows: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    old_device = await devices.sign_in(alice_id)
    await devices.close(old_device)
    await history(bob, old_device, {2: "the old invoice"})
    alice = await devices.sign_in(alice_id)  # a new device: the history is on the server only
    window = await windows(alice)
    panel = window.global_search
    window.conversation_list.filter.setText("invoice")
    await until(lambda: panel.vm.query == "invoice" and panel.server_button.isEnabled())
    assert panel.vm.chats == []
    panel.server_button.click()
    await until(lambda: [m.text for m in panel.vm.server] == ["the old invoice"], what="server")
    item = next(
        panel.results.item(i)
        for i in range(panel.results.count())
        if "the old invoice" in panel.results.item(i).text()
    )
    panel.results.itemClicked.emit(item)
    await until(lambda: selected_text(window) == "the old invoice", what="opened at it")


async def test_jump_to_a_date_opens_the_chat_at_that_days_first_message(
    devices: Devices, windows: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await history(bob, alice, {})
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    assert chat_rows(window)[0].text != "m0"
    button = window.chat_pane.header.date_button
    assert button.isVisible() and button.calendar.maximumDate() == QDate.currentDate()
    button.calendar.activated.emit(QDate.currentDate())  # today: everything was sent today
    await until(lambda: selected_text(window) == "m0", what="the day's first message")
    assert chat_rows(window)[0].text == "m0" and on_screen(window, "m0")

    tomorrow = QDateTime(QDate.currentDate().addDays(1), QTime(0, 0)).toMSecsSinceEpoch()
    assert not await window.session.chat.jump_to_time(tomorrow)  # nothing that new


def last_bubble_text(view: Any) -> tuple[str, Callable[[int], QPoint]]:
    """The newest bubble's text, and where (in the view's viewport) its character at a given
    position is drawn, on its first line."""
    index = view.model().index(view.model().rowCount() - 1, 0)
    geometry = view.delegate.geometry(index)
    assert geometry is not None and geometry.text is not None
    line = geometry.text.lineAt(0)
    rect = view.visualRect(index)

    def point_at(position: int) -> QPoint:
        x = geometry.text_at.x() + line.cursorToX(position)[0] + 2
        y = geometry.text_at.y() + line.y() + line.height() / 2
        return QPoint(int(rect.left() + x), int(rect.top() + y))

    return str(index.data(ROW_ROLE).text), point_at


async def test_links_in_bubbles_open_in_the_browser_other_schemes_stay_text(
    devices: Devices, windows: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "see https://example.com/docs?a=1 and ftp://example.com/x")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    view = window.chat_pane.view
    text, point_at = last_bubble_text(view)

    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(text.index("example"))
    )
    assert opened == ["https://example.com/docs?a=1"]
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(text.index("ftp") + 3)
    )
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(1))  # "see"
    assert opened == ["https://example.com/docs?a=1"]


async def test_a_message_link_opens_its_chat_at_that_message_not_the_browser(
    devices: Devices, windows: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await bob.client.create_group("Plans", [alice_id])
    target = await sent(bob, "GROUP" + group.group_id, "the plan is on page 3")
    for n in range(30):
        await sent(bob, "GROUP" + group.group_id, f"later {n}")
    # Bob copies the link (as he sees the chat) and sends it to alice.
    link = message_link("GROUP" + group.group_id, target.message_id)
    await sent(bob, "C2C" + alice_id, f"look: {link}")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    view = window.chat_pane.view
    text, point_at = last_bubble_text(view)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(text.index("message/"))
    )
    chat = window.session.chat
    await until(lambda: chat.current_conversation_id == "GROUP" + group.group_id, what="opened")
    await until(lambda: "the plan is on page 3" in [r.text for r in chat_rows(window)])
    assert opened == []  # not handed to the browser

    # A link to a message this device does not have says so.
    missing = message_link("GROUP" + group.group_id, "0" * 23)
    assert not await chat.ops.open_link(missing)


def test_message_links_are_parsed_strictly() -> None:
    assert parse_message_link("messenger://message/C2Cbob/abc") == ("C2Cbob", "abc")
    for bad in ("messenger://message/abc", "messenger://user/x/y", "https://x/message/a/b", ""):
        assert parse_message_link(bad) is None


async def test_the_top_box_lists_people_and_filters_by_chat_sender_kind_and_time(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    word = uid("rowan")  # their first name, unique on the server the tests share
    await bob.client.update_profile(nickname=f"{word} Bell", allow_type=AllowType.ANYONE)
    await carol.client.update_profile(nickname=f"{word} Carter")
    await alice.client.add_friend(bob_id)
    await devices.until(lambda: alice.client.friends(), what="bob is a friend")
    await sent(bob, "C2C" + alice_id, "the picnic is on saturday")
    await sent(carol, "C2C" + alice_id, "picnic photos: https://example.com/p")
    await sent(alice, "C2C" + bob_id, "picnic plan: sandwiches")
    window = await windows(alice)
    panel = window.global_search
    box = window.conversation_list.filter

    # people: the friend first (opens the chat), then a user the server finds (their card)
    box.setText(word)
    await until(lambda: len(panel.vm.people) == 2, what="two people")
    lines = [panel.results.item(i).text() for i in range(panel.results.count())]
    assert lines == ["People", f"{word} Bell", f"{word} Carter · not a friend"]
    panel.results.itemClicked.emit(panel.results.item(2))
    card = await until(lambda: window.findChild(ProfileCardDialog), what="carol's card")
    assert card.card.user_id == carol_id
    card.close()
    panel.results.itemClicked.emit(panel.results.item(1))
    chat = window.session.chat
    await until(lambda: chat.current_conversation_id == "C2C" + bob_id, what="bob's chat")

    def found() -> list[str]:
        return sorted(m.text for c in panel.vm.chats for m in c.messages)

    await until(lambda: window.session.names.display(carol_id) == f"{word} Carter")
    box.setText("picnic")
    await until(lambda: len(found()) == 3, what="three messages in two chats")
    panel.in_chat.showPopup()  # its list, made as it opens: every chat by its name now
    panel.in_chat.hidePopup()
    chats = [panel.in_chat.itemText(i) for i in range(panel.in_chat.count())]
    assert chats[0] == "All chats" and sorted(chats[1:]) == [f"{word} Bell", f"{word} Carter"]
    panel.choose(panel.in_chat, "C2C" + bob_id)
    await until(lambda: found() == ["picnic plan: sandwiches", "the picnic is on saturday"])
    assert not panel.vm.people  # a filtered search lists messages only
    panel.choose(panel.who, alice_id)
    await until(lambda: found() == ["picnic plan: sandwiches"], what="mine only")
    assert panel.who.currentText() == "Me"
    panel.choose(panel.who, "")
    panel.choose(panel.in_chat, "")
    await until(lambda: len(found()) == 3, what="everything again")
    panel.kind.setCurrentIndex(3)  # links
    await until(lambda: found() == ["picnic photos: https://example.com/p"], what="the link")
    panel.kind.setCurrentIndex(0)

    # time: seen from two days later, nothing is from "today"; all is from the past week
    panel.vm.clock = lambda: int(QDateTime.currentMSecsSinceEpoch()) + 2 * 24 * 3600 * 1000
    panel.period.setCurrentIndex(1)
    await until(lambda: panel.vm.period == "day" and found() == [], what="nothing today")
    panel.period.setCurrentIndex(2)
    await until(lambda: len(found()) == 3, what="all of the past week")
    panel.server_button.click()  # the server's search takes the same filters
    await until(lambda: panel.vm.server_asked, what="the server's answer")
    assert sorted(m.text for m in panel.vm.server) == sorted(found())

    # days picked on calendars: up to yesterday finds nothing, up to today everything
    assert not panel.range_row.isVisible()
    panel.period.setCurrentIndex(5)
    assert panel.period.currentText() == "Between days…" and panel.range_row.isVisible()
    today = QDate.currentDate()
    panel.from_day.setDate(today.addDays(-7))
    panel.to_day.setDate(today.addDays(-1))
    await until(lambda: panel.vm.range_until and found() == [], what="nothing before today")
    panel.to_day.setDate(today)
    await until(lambda: len(found()) == 3, what="the three of today")


async def test_while_searching_the_chats_found_take_only_the_rows_they_need(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    """No chat's name matches: the list gives all its room to people and messages (it stood
    as an empty half of the column); one matches: one row tall; the box cleared: as before."""
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "the demo is tomorrow")
    window = await windows(alice)
    window.resize(900, 700)
    listing = window.conversation_list
    await until(lambda: listing.vm.filtered.rowCount() == 1, what="bob's chat listed")
    full = listing.list.height()
    panel = window.global_search

    qtbot.keyClicks(listing.filter, "demo")
    await until(lambda: len(panel.vm.chats) == 1, what="the message found")
    await until(lambda: not listing.list.isVisible(), what="no room for an empty list")

    listing.filter.clear()
    qtbot.keyClicks(listing.filter, bob_id)  # bob's chat is named by his ID
    await until(lambda: listing.list.isVisible(), what="the matching chat")
    row = listing.list.sizeHintForRow(0)
    await until(lambda: listing.list.height() <= row + 2 * listing.list.frameWidth())
    assert panel.height() > 3 * row  # the rest goes to the people and messages below

    listing.filter.clear()
    await until(lambda: listing.list.height() >= full - 2, what="the whole column again")
