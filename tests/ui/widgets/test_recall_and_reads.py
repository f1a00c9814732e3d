"""Recall and read marks through the windows of two users."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from messenger.core import MessageState
from messenger.ui.readers_dialog import ReadersDialog
from messenger.viewmodels.message_rows import RowStyle
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, open_chat, sent, until


def trigger(menu: Any, name: str) -> None:
    [action] = [a for a in menu.actions() if a.objectName() == name]
    action.trigger()


async def test_a_recalled_message_becomes_a_placeholder_on_both_sides_and_can_be_edited_again(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(alice, "C2C" + bob_id, "meet at 5")
    bob_window = await windows(bob)
    await open_chat(bob_window, "C2C" + alice_id)
    alice_window = await windows(alice)
    await open_chat(alice_window, "C2C" + bob_id)
    [mine] = chat_rows(alice_window)
    assert mine.state is MessageState.SENT

    pane = alice_window.chat_pane
    trigger(pane.context_menu(mine.key), "recall")
    placeholder = await until(
        lambda: chat_rows(alice_window)[0].style is RowStyle.EVENT and chat_rows(alice_window)[0]
    )
    assert placeholder.text == "You recalled a message"
    await until(lambda: chat_texts_of(bob_window) == [f"{alice_id} recalled a message"])

    assert pane.view.click_action(placeholder.key, "reedit")  # the "Re-edit" link
    assert pane.composer.edit.toPlainText() == "meet at 5"


def chat_texts_of(window: Any) -> list[str]:
    return [row.text for row in chat_rows(window)]


async def test_read_shows_when_the_peer_sees_the_message_in_an_active_window(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(alice, "C2C" + bob_id, "first")
    alice_window = await windows(alice)
    await open_chat(alice_window, "C2C" + bob_id)
    bob_window = await windows(bob)  # active now
    await open_chat(bob_window, "C2C" + alice_id)
    await until(lambda: chat_rows(alice_window)[-1].receipt == "Read", what="read while active")

    alice_window.activateWindow()  # Bob's window is behind now
    await until(lambda: not bob_window.isActiveWindow())
    reports: list[bool] = []
    chat = bob_window.session.chat
    real_note = chat.note_viewport

    def note(first: int, last: int, *, at_bottom: bool, active: bool) -> None:
        if chat_rows(bob_window)[-1].text == "second":
            reports.append(active)
        real_note(first, last, at_bottom=at_bottom, active=active)

    chat.note_viewport = note
    await sent(alice, "C2C" + bob_id, "second")
    await until(lambda: reports, what="Bob's view reports the new message on screen")
    assert reports == [False]
    await bob.client.mark_read("C2C" + alice_id, 0)  # a barrier: earlier reads are applied
    conversation = await bob.client.conversation("C2C" + alice_id)
    assert conversation is not None and conversation.unread_count == 1
    assert chat_rows(alice_window)[-1].receipt == ""

    bob_window.activateWindow()  # Bob comes back: now it is read
    await until(lambda: chat_rows(alice_window)[-1].receipt == "Read", what="read on return")


async def test_group_read_counts_open_the_list_of_readers(devices: Devices, windows: Any) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", [bob_id, carol_id])
    chat_id = "GROUP" + group.group_id
    window = await windows(alice)
    await open_chat(window, chat_id)
    await window.session.chat.composer.send("please read")
    await until(lambda: chat_rows(window)[-1].receipt == "0 read")
    await devices.until(lambda: [m for m in bob.added(chat_id) if m.text == "please read"])
    await bob.client.mark_read(chat_id)
    await until(lambda: chat_rows(window)[-1].receipt == "1 read", what="Bob's read counted")

    pane = window.chat_pane
    assert pane.view.click_action(chat_rows(window)[-1].key, "receipts")
    dialog = await until(lambda: pane.readers)
    assert isinstance(dialog, ReadersDialog) and dialog.isVisible()
    assert dialog.read_model.stringList() == [bob_id]
    assert dialog.unread_model.stringList() == [carol_id]
    dialog.close()
    assert QApplication.instance() is not None
