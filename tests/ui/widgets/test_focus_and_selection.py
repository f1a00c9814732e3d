"""Focus and selection in the conversation list: a click on a chat lets the user type into it
at once; only the user's choice opens a chat (and marks it read) — not a right click, not
typing in the filter box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from messenger.ui.main_window import MainWindow
from messenger.viewmodels.conversation_list import ROW_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, open_chat, sent, settle, until


def badge(window: MainWindow, conversation_id: str) -> int:
    assert window.session is not None
    for row in column(window.session.conversations.model, ROW_ROLE):
        if row.conversation_id == conversation_id:
            return int(row.badge)
    raise AssertionError(f"{conversation_id} is not listed")


def row_center(window: MainWindow, conversation_id: str) -> QPoint:
    assert window.conversation_list is not None and window.session is not None
    listing = window.conversation_list.list
    model = listing.model()
    for position in range(model.rowCount()):
        index = model.index(position, 0)
        if index.data(ROW_ROLE).conversation_id == conversation_id:
            return listing.visualRect(index).center()
    raise AssertionError(f"{conversation_id} is not shown")


async def two_chats(devices: Devices, windows: Any) -> tuple[MainWindow, str, str]:
    """Alice's window with an unread message from Bob and one from Carol; nothing open."""
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "from bob")
    await sent(carol, "C2C" + alice_id, "from carol")
    window = await windows(alice)
    bob_chat, carol_chat = "C2C" + bob_id, "C2C" + carol_id
    await until(lambda: badge(window, bob_chat) == badge(window, carol_chat) == 1)
    return window, bob_chat, carol_chat


async def test_clicking_a_chat_puts_the_typed_keys_into_its_composer(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    window, bob_chat, carol_chat = await two_chats(devices, windows)
    assert window.conversation_list is not None and window.chat_pane is not None
    listing = window.conversation_list.list
    for chat in (bob_chat, carol_chat):
        qtbot.mouseClick(
            listing.viewport(), Qt.MouseButton.LeftButton, pos=row_center(window, chat)
        )
        edit = window.chat_pane.composer.edit
        await until(lambda e=edit: QApplication.focusWidget() is e, what="the composer's focus")
        assert window.chat_pane.vm.current_conversation_id == chat
        qtbot.keyClicks(QApplication.focusWidget(), "hello")
        assert edit.toPlainText() == "hello"
        edit.clear()


async def test_a_right_click_on_a_row_opens_its_menu_not_the_chat(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    window, bob_chat, carol_chat = await two_chats(devices, windows)
    await open_chat(window, bob_chat)
    assert window.conversation_list is not None and window.session is not None
    listing = window.conversation_list.list
    where = row_center(window, carol_chat)

    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.RightButton, pos=where)
    menu_event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, listing.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(listing.viewport(), menu_event)
    menu = window.conversation_list.menu
    await until(lambda: menu is not None and menu.isVisible(), what="the row's menu")
    await settle(10)
    assert window.session.chat.current_conversation_id == bob_chat
    assert badge(window, carol_chat) == 1  # not marked read
    assert menu is not None
    menu.close()


async def test_typing_in_the_filter_box_opens_nothing_and_marks_nothing_read(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    window, bob_chat, carol_chat = await two_chats(devices, windows)
    await open_chat(window, bob_chat)
    assert window.conversation_list is not None and window.session is not None
    search = window.conversation_list.filter
    search.setFocus()
    qtbot.keyClicks(search, carol_chat[3:])  # Carol's chat is the only match
    await until(
        lambda: window.session is not None and window.session.conversations.filtered.rowCount() == 1
    )
    await settle(10)
    assert window.session.chat.current_conversation_id == bob_chat
    assert badge(window, carol_chat) == 1

    qtbot.keyClick(search, Qt.Key.Key_Backspace)  # the list changes again: still nothing opens
    search.clear()
    await settle(10)
    assert window.session.chat.current_conversation_id == bob_chat

    qtbot.keyClicks(search, carol_chat[3:])
    qtbot.keyClick(search, Qt.Key.Key_Return)  # the user's choice: open it, type into it
    await until(
        lambda: (
            window.session is not None and window.session.chat.current_conversation_id == carol_chat
        )
    )
    assert window.chat_pane is not None
    edit = window.chat_pane.composer.edit
    await until(lambda: QApplication.focusWidget() is edit, what="the composer has focus")
    await until(lambda: badge(window, carol_chat) == 0, what="Carol's chat read once open")


async def test_send_message_on_a_friends_card_puts_the_typed_keys_into_the_chat(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    """Contacts → a friend → "Send message": the chat opens and what is typed next goes into its
    composer (it went into the top search box, which kept the focus)."""
    alice, bob = await devices.friends()
    bob_id = bob.user_id
    window = await windows(alice)
    qtbot.mouseClick(window.contacts_button, Qt.MouseButton.LeftButton)
    friends = window.contacts.friends
    await until(lambda: bob_id in column(friends.model()), what="bob in the list")
    row = next(
        friends.model().index(r, 0)
        for r in range(friends.model().rowCount())
        if friends.model().index(r, 0).data() == bob_id
    )
    qtbot.mouseClick(
        friends.viewport(), Qt.MouseButton.LeftButton, pos=friends.visualRect(row).center()
    )
    card = window.contacts.card
    button = card.message_button
    await until(lambda: button.isVisible() and button.height() > 0, what="bob's card laid out")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert window.chat_pane is not None
    edit = window.chat_pane.composer.edit
    await until(lambda: QApplication.focusWidget() is edit, what="the composer's focus")
    assert window.chat_pane.vm.current_conversation_id == "C2C" + bob_id
    qtbot.keyClicks(QApplication.focusWidget(), "hello bob")
    assert edit.toPlainText() == "hello bob"
    assert window.conversation_list is not None
    assert window.conversation_list.filter.text() == ""
