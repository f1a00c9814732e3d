"""The composer in Chinese and in a narrow chat: a line of Chinese fits its one-line box, the
@-completer is a proper list (no tiny box, no scroll bars for a few people), and a message
over the length limit is refused in characters a person can count."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from messenger.protocol.models import Limits
from messenger.ui.i18n import install_language
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import open_chat, settle, until
from tests.ui.qt_loop import qt_app


async def test_a_line_of_chinese_fits_the_one_line_box(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    edit = window.chat_pane.composer.edit
    one_line = edit.height()
    edit.insertPlainText("你好，明天见")  # as an input method enters it
    await settle(5)
    assert edit.height() >= one_line
    assert edit.verticalScrollBar().maximum() == 0, "the line does not fit: a scroll bar shows"
    assert not edit.verticalScrollBar().isVisible()


async def test_the_mention_completer_is_usable_in_a_narrow_chat(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id = uid("alice")
    others = [uid(name) for name in ("bob", "carol", "dave")]
    for user in others:
        await devices.sign_in(user)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", others)
    window = await windows(alice)
    window.resize(720, 560)  # half a small screen
    await open_chat(window, "GROUP" + group.group_id)
    pane = window.chat_pane
    composer = pane.composer
    await until(lambda: window.session.chat.composer.mentions.rowCount() == 4, what="members")

    qtbot.keyClicks(composer.edit, "@")
    popup = composer.mentions
    await until(popup.isVisible, what="the completer")
    await settle(5)
    host = popup.parentWidget()
    assert host.rect().contains(popup.geometry()), "the completer is cut off"
    assert popup.width() >= min(300, host.width() - 8)
    rows = popup.model.rowCount()
    assert rows == 4
    assert not popup.list.horizontalScrollBar().isVisible()
    assert not popup.list.verticalScrollBar().isVisible()  # four people fit
    last = popup.list.visualRect(popup.model.index(rows - 1, 0))
    assert popup.list.viewport().rect().contains(last), "the last person is cut off"


async def test_a_message_over_the_limit_is_refused_in_characters(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    install_language(qt_app(), "en")  # as the app does at start: English plural forms
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    limit = Limits().text_bytes  # in UTF-8 bytes: a Chinese character takes three
    text = "字" * (limit // 3 + 7)
    composer = window.chat_pane.composer
    composer.edit.setPlainText(text)
    assert not await window.session.chat.composer.send()
    box = await until(lambda: window.findChild(QMessageBox, "ChatError"), what="the error")
    assert "7 characters too long" in box.text()
    assert "byte" not in box.text()
    assert composer.edit.toPlainText() == text  # nothing typed is lost
    box.close()
