"""Sending and receiving in the chat pane, between two real clients."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from messenger.core import MessageState
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, chat_texts, open_chat, sent, until


async def test_a_typed_message_shows_at_once_then_sent_and_reaches_the_peer(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "hi Alice")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    assert chat_texts(window) == ["hi Alice"]

    edit = window.chat_pane.composer.edit
    qtbot.keyClicks(edit, "first line")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "second line")
    assert edit.toPlainText() == "first line\nsecond line"  # Shift+Enter: a new line
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    last = await until(lambda: chat_rows(window)[-1].mine and chat_rows(window)[-1])
    assert last.text == "first line\nsecond line"  # the local echo, before any ack
    assert edit.toPlainText() == ""
    await until(lambda: chat_rows(window)[-1].state is MessageState.SENT, what="sent")
    await devices.until(lambda: [m.text for m in bob.added("C2C" + alice_id)][-1:] == [last.text])


async def test_a_received_message_appears_in_the_open_chat_and_the_list(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "one")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)

    await sent(bob, "C2C" + alice_id, "two")
    await until(lambda: chat_texts(window) == ["one", "two"], what="the new message shows")
    row = chat_rows(window)[-1]
    assert not row.mine and row.sender_id == bob_id
    model = window.session.conversations.model
    await until(lambda: model.row(0).preview == "two")


async def test_text_and_names_from_the_network_appear_literally(
    devices: Devices, windows: Any
) -> None:
    alice_id, eve_id = uid("alice"), uid("eve")
    nickname = "<b>Eve</b><img src=x>"
    eve = await devices.new(eve_id)
    await eve.client.register(eve_id, "pw-123456", nickname)
    await eve.client.login_with_password(eve_id, "pw-123456")
    alice = await devices.sign_in(alice_id)
    hostile = "<b>bold</b><img src=x>"
    await sent(eve, "C2C" + alice_id, hostile)
    window = await windows(alice)
    await open_chat(window, "C2C" + eve_id)

    await until(lambda: window.chat_pane.header.title.text() == nickname, what="the nickname")
    assert window.chat_pane.header.title.textFormat() == Qt.TextFormat.PlainText
    [row] = chat_rows(window)
    assert row.text == hostile
    assert window.session.conversations.model.row(0).name == nickname
    assert window.session.conversations.model.row(0).preview == hostile
    # The bubble is measured (and painted) as the literal characters, tags included.
    view = window.chat_pane.view
    geometry = view.delegate.geometry(view.model().index(0, 0))
    literal = QFontMetricsF(view.delegate.layouts.fonts.body).horizontalAdvance(hostile)
    assert geometry is not None and geometry.bubble.width() >= literal
