"""The main window around the chat: the list's menu, filter and keys, the group panel, the
system conversation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from messenger.protocol.ids import SYSTEM_CONVERSATION_ID
from messenger.protocol.models import RemindType
from messenger.viewmodels.conversation_list import ROW_ROLE
from messenger.viewmodels.formatting import initials
from messenger.viewmodels.group import MEMBER_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, chat_texts, column, open_chat, sent, until


def trigger(menu: Any, name: str) -> None:
    found = [a for a in menu.findChildren(type(menu.menuAction())) if a.objectName() == name]
    found[0].trigger()


def made_later(window: Any) -> list[object]:
    """The panes ``bind(rest_later=True)`` leaves for later."""
    return [window.chat_pane, window.group_panel, window.switcher, window.contacts]


def names(window: Any) -> list[str]:
    return [row.name for row in column(window.session.conversations.model, ROW_ROLE)]


async def test_the_list_menu_pins_mutes_marks_hides_and_clears_after_asking(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "from bob")
    await sent(carol, "C2C" + alice_id, "from carol")
    window = await windows(alice)
    await until(lambda: names(window) == [carol_id, bob_id])
    rows = window.conversation_list

    trigger(rows.context_menu("C2C" + bob_id), "pin")
    await until(lambda: names(window) == [bob_id, carol_id], what="Bob pinned first")
    trigger(rows.context_menu("C2C" + bob_id), f"remind-{RemindType.SILENT.value}")
    await until(lambda: column(window.session.conversations.model, ROW_ROLE)[0].muted)
    trigger(rows.context_menu("C2C" + carol_id), "mark-read")
    await until(lambda: column(window.session.conversations.model, ROW_ROLE)[1].badge == 0)
    trigger(rows.context_menu("C2C" + carol_id), "mark-unread")
    await until(lambda: column(window.session.conversations.model, ROW_ROLE)[1].badge == 1)

    await open_chat(window, "C2C" + bob_id)
    trigger(rows.context_menu("C2C" + bob_id), "clear")
    box = await until(lambda: window.findChild(QMessageBox, "ConfirmBox"))
    assert box.isVisible()
    box.findChild(type(box.button(QMessageBox.StandardButton.Cancel)), "ConfirmButton").click()
    await until(lambda: chat_rows(window) == [], what="the history is cleared")

    trigger(rows.context_menu("C2C" + carol_id), "hide")
    await until(lambda: names(window) == [bob_id], what="Carol's chat is hidden")
    await sent(carol, "C2C" + alice_id, "back again")  # a new message shows it again
    await until(lambda: carol_id in names(window))


async def test_keys_filter_switch_and_step_through_conversations(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "b")
    await sent(carol, "C2C" + alice_id, "c")
    window = await windows(alice)
    await until(lambda: len(names(window)) == 2)
    chat = window.session.chat

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = window.switcher
    await until(switcher.isVisible, what="the quick switcher")
    qtbot.keyClicks(switcher.search, bob_id[:6])
    qtbot.keyClick(switcher.search, Qt.Key.Key_Return)
    await until(lambda: chat.current_conversation_id == "C2C" + bob_id, what="Bob's chat opens")
    assert not switcher.isVisible()

    window.activateWindow()
    await until(window.isActiveWindow, what="the main window is active again")
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # Carol's is above
    await until(lambda: chat.current_conversation_id == "C2C" + carol_id)
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    await until(lambda: chat.current_conversation_id == "C2C" + bob_id)

    everything = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_F, everything)  # (Ctrl+F alone searches the open chat)
    search = window.conversation_list.filter
    await until(lambda: QApplication.focusWidget() is search, what="the filter has focus")
    qtbot.keyClicks(search, carol_id)
    assert window.session.conversations.filtered.rowCount() == 1
    assert window.conversation_list.list.accessibleName() == "Conversations"
    assert search.accessibleName() == "Filter conversations"


async def test_the_group_panel_shows_the_group_for_groups_only(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group(
        "Team", [bob_id], notification="<b>Ship</b> on Friday", introduction="Our team"
    )
    await sent(bob, "C2C" + alice_id, "hi")
    window = await windows(alice)
    await open_chat(window, "GROUP" + group.group_id)
    panel = window.group_panel
    await until(lambda: panel.isVisible() and panel.vm.members.rowCount() == 2, what="the panel")
    assert panel.name.text() == "Team"
    assert panel.notification.text() == "<b>Ship</b> on Friday"
    for label in panel.findChildren(QLabel):
        if label.text() and label in (panel.name, panel.notification, panel.introduction):
            assert label.textFormat() == Qt.TextFormat.PlainText
    owner = column(panel.vm.members, MEMBER_ROLE)[0]
    assert (owner.user_id, owner.role_text) == (alice_id, "Owner")

    await open_chat(window, "C2C" + bob_id)
    assert not panel.isVisible()


async def test_system_notices_are_readable_but_not_answerable(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    window = await windows(alice)
    await bob.client.create_group("Team", [alice_id])
    await until(lambda: "System notifications" in names(window), what="the system conversation")
    await open_chat(window, SYSTEM_CONVERSATION_ID)
    assert [row.text for row in chat_rows(window)] == [f"{bob_id} added you to Team"]
    assert window.chat_pane.header.title.text() == "System notifications"
    assert not window.chat_pane.composer.isVisible()


async def test_a_peer_has_the_same_avatar_initials_in_the_list_and_in_the_chat(
    devices: Devices, windows: Any
) -> None:
    """Both avatars are painted from the name the chat shows (``paint_avatar`` → ``initials``),
    whether the name arrived before or after the rows were made."""
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.new(bob_id)
    await bob.client.register(bob_id, "pw-123456", "Bob <b>Builder</b>")
    await bob.client.login_with_password(bob_id, "pw-123456")
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "hi")
    await sent(alice, "C2C" + bob_id, "hello")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)

    def letters() -> tuple[str, list[str]]:
        listed = next(
            row.name
            for row in column(window.session.conversations.model, ROW_ROLE)
            if row.conversation_id == "C2C" + bob_id
        )
        shown = [row.avatar_name for row in chat_rows(window) if row.show_avatar]
        return initials(listed), [initials(name) for name in shown]

    await until(lambda: letters() == ("BB", ["BB"]), what="the same initials")


async def test_a_window_bound_with_the_rest_later_shows_the_list_and_makes_the_chat_when_wanted(
    devices: Devices, sessions: Any, qtbot: Any
) -> None:
    """A launch's first paint has the list only; opening a chat (or ``complete``) makes the
    chat pane, the group panel, the top search, Contacts and the switcher, the list keeping
    the width it was painted with."""
    from messenger.ui.main_window import MainWindow

    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "from bob")
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.bind(await sessions(alice), rest_later=True)
    window.show()
    await until(lambda: names(window) == [bob_id])
    listing = window.conversation_list
    assert listing is not None and listing.isVisible()
    assert made_later(window) == [None, None, None, None]
    width = listing.width()

    window.open_conversation("C2C" + bob_id)
    await until(lambda: chat_texts(window) == ["from bob"], what="the chat, made and opened")
    assert window.chat_pane is not None and window.chat_pane.isVisible()
    assert window.switcher is not None and window.contacts is not None
    assert listing.width() == width
    assert window.chat_pane.geometry().left() >= listing.geometry().right()
    window.complete()  # (again: nothing)
    assert chat_texts(window) == ["from bob"]
    window.unbind()
    assert made_later(window) == [None, None, None, None] and window.conversation_list is None


async def test_the_list_rows_follow_a_language_switch_at_once(
    devices: Devices, windows: Any
) -> None:
    """The rows' own words ("[Draft]") change with the language, through the window (no
    filter on every event of the app)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from messenger.ui.i18n import install_language
    from tests.ui.qt_loop import qt_app

    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "from bob")
    await alice.client.set_draft("C2C" + bob_id, "half a thought")
    window = await windows(alice)

    def flag() -> str:
        return str(column(window.session.conversations.model, ROW_ROLE)[0].flag)

    await until(lambda: flag() == "[Draft]")
    app = qt_app()
    try:
        install_language(app, "zh_CN")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        await until(lambda: flag() == "[草稿]", what="the row in Chinese")
    finally:
        install_language(app, "en")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    await until(lambda: flag() == "[Draft]", what="the row in English again")
