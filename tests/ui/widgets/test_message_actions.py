"""Message actions in the chat: copy, retry a refused message, back to the first unread one."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication

from messenger.core import MessageState
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, flood, open_chat, sent, until


def action(pane: Any, key: str, name: str) -> Any:
    found = [a for a in pane.context_menu(key).actions() if a.objectName() == name]
    return found[0] if found else None


async def test_copy_puts_the_text_on_the_clipboard(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "the code is 4711")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    [row] = chat_rows(window)
    QGuiApplication.clipboard().clear()
    action(window.chat_pane, row.key, "copy").trigger()
    assert QGuiApplication.clipboard().text() == "the code is 4711"


async def test_a_refused_message_shows_failed_and_retry_sends_it_again(
    devices: Devices, windows: Any
) -> None:
    alice = await devices.sign_in(uid("alice"))
    nowhere = "GROUP" + uid("nogroup")  # the server refuses: no such group
    window = await windows(alice)
    await open_chat(window, nowhere)
    await window.session.chat.composer.send("hello?")
    failed = await until(
        lambda: chat_rows(window)[-1].state is MessageState.FAILED and chat_rows(window)[-1]
    )
    assert action(window.chat_pane, failed.key, "retry") is not None
    why = window.session.chat.why_not_sent(failed.key)  # the failed mark's tooltip
    assert why.startswith("Not sent: ") and why.endswith("Click to send it again.")
    assert "group" in why  # the refusal it got, not a bare "failed"
    assert action(window.chat_pane, failed.key, "recall") is None
    failures = len(alice.updated(MessageState.FAILED))

    assert window.chat_pane.view.click_action(failed.key, "retry")  # the red mark
    await devices.until(lambda: len(alice.updated(MessageState.FAILED)) > failures)
    assert any(m.state is MessageState.SENDING for m in alice.updated())  # it went out again


async def test_the_up_button_returns_to_the_first_unread_message(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await flood(bob, "C2C" + alice_id, 40)
    alice_window = await windows(alice)
    await windows(bob)  # in front: Alice's window is not active, nothing gets read
    await open_chat(alice_window, "C2C" + bob_id)
    view = alice_window.chat_pane.view
    model = alice_window.session.chat.messages
    up = alice_window.chat_pane.to_unread
    view.report()  # what is on screen, now rather than after the view's short delay
    assert not up.isVisible()  # the first unread message is on screen

    view.scrollToBottom()
    await until(up.isVisible, what="the way back up is offered")
    up.click()

    def first_unread_on_screen() -> bool:
        row = next((i for i, r in enumerate(chat_rows(alice_window)) if r.unread_marker), -1)
        rect = view.visualRect(model.index(row, 0))
        return row >= 0 and view.viewport().rect().intersects(rect)

    await until(first_unread_on_screen, what="back at the first unread message")
    await until(lambda: not up.isVisible())
