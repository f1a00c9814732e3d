"""A merged forward in the chat is a drawn "chat history" card, through the real server: its
title, "Name: words" preview lines (names as the viewer knows them) and the footer with the
count, each line inside the card's reserved room; rows stay measured at every width and in
Chinese; a click on the card opens the viewer, where pictures open in the image viewer, files
download and save, and a nested card opens a further viewer (files fetched through the card by
a reader who never saw the originals)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from messenger.ui.i18n import install_language
from messenger.ui.image_viewer import ImageViewer
from messenger.ui.message_layout import card_line
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.media import png
from tests.ui.helpers import (
    chat_rows,
    left_release,
    open_chat,
    open_merged_card,
    sent,
    until,
    viewer_texts,
)
from tests.ui.qt_loop import qt_app
from tests.ui.widgets.test_chat_layout import laid_out
from tests.ui.widgets.test_voice import tone


def _inked(image: QImage, left: int, top: int, right: int, bottom: int, fill: QColor) -> int:
    """How many pixels of the band differ clearly from the bubble's fill (drawn text)."""
    count = 0
    for y in range(max(0, top), min(image.height(), bottom)):
        for x in range(max(0, left), min(image.width(), right)):
            pixel = image.pixelColor(x, y)
            if abs(pixel.lightness() - fill.lightness()) > 60:
                count += 1
    return count


async def _card_chat(devices: Devices, windows: Any) -> tuple[Any, str, Any]:
    """Bob forwards three messages of his chat with Alice to Carol as one card."""
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    carol = await devices.sign_in(carol_id)
    bob = await devices.sign_in(bob_id)
    await alice.client.update_profile(nickname="Alice Liddell")
    await sent(alice, "C2C" + bob_id, "shall we meet at the station at eight tomorrow?")
    await sent(bob, "C2C" + alice_id, "yes, platform 4")
    await sent(alice, "C2C" + bob_id, "see you there")

    async def bobs() -> list[Any]:
        found = await bob.history("C2C" + alice_id)
        return found if len(found) == 3 else []

    mine = await until(bobs, what="bob has the three messages")
    await bob.client.forward_merged(mine, ["C2C" + carol_id], title="Chat history with Alice")
    window = await windows(carol)
    window.resize(1200, 800)
    await open_chat(window, "C2C" + bob_id)
    await until(lambda: [r for r in chat_rows(window) if r.card == "merged"], what="the card")
    return window, alice_id, carol


async def test_the_card_shows_title_named_previews_and_count_and_opens_the_viewer(
    devices: Devices, windows: Any
) -> None:
    install_language(qt_app(), "en")  # the English plural forms ("3 messages")
    window, alice_id, _carol = await _card_chat(devices, windows)
    pane = window.chat_pane
    assert pane is not None
    view = pane.view
    await until(lambda: window.session.names.display(alice_id) == "Alice Liddell")
    [row] = await until(
        lambda: [
            r for r in chat_rows(window) if r.card_lines[1:2] and "Alice Liddell" in r.card_lines[1]
        ],
        what="the card with her name",
    )
    assert row.text == ""  # drawn as a card, not as text
    title, *previews, footer = row.card_lines
    assert title == "Chat history with Alice"
    assert previews[0].startswith("Alice Liddell: shall we meet")  # her name, not her ID
    assert alice_id not in "".join(previews)
    assert len(previews) == 3 and footer == "Chat history · 3 messages"

    position = window.session.chat.messages.position(row.key)
    index = view.model().index(position, 0)
    geometry = view.delegate.geometry(index)
    assert geometry is not None and geometry.card is not None and geometry.text is None
    line = card_line(view.delegate.layouts.fonts)
    assert geometry.card.height() >= 5 * line  # title, three previews, footer
    assert geometry.bubble.contains(geometry.card)

    # Each of the card's lines is drawn: ink in the title's band and in the footer's band.
    view.scrollTo(index)
    await laid_out(window)
    rect = view.visualRect(index)
    image = view.viewport().grab().toImage()
    card = geometry.card.translated(rect.left(), rect.top()).toRect()
    fill = image.pixelColor(card.left() - 4, card.top() + 2)  # the bubble beside the card
    top_band = _inked(image, card.left(), card.top(), card.right(), card.top() + int(line), fill)
    bottom = card.bottom()
    footer_band = _inked(image, card.left(), bottom - int(line), card.right(), bottom, fill)
    assert top_band > 20 and footer_band > 20

    # A click on the card (not only on a chosen spot) opens the viewer with the messages.
    assert view.delegate.hit(index, geometry.card.center().x(), geometry.card.center().y()) == (
        "merged"
    )
    view.mouseReleaseEvent(left_release(card.center()))
    viewer = await until(lambda: pane.merged_viewer, what="the chat history viewer")
    assert viewer_texts(viewer) == [
        "shall we meet at the station at eight tomorrow?",
        "yes, platform 4",
        "see you there",
    ]


async def test_the_card_is_measured_for_every_width_and_in_chinese(
    devices: Devices, windows: Any
) -> None:
    window, _alice_id, _carol = await _card_chat(devices, windows)
    await laid_out(window)
    for width in (700, 1500, 900):
        window.resize(width, 800)
        await laid_out(window)
        [row] = [r for r in chat_rows(window) if r.card == "merged"]
        pane = window.chat_pane
        assert pane is not None
        index = pane.view.model().index(window.session.chat.messages.position(row.key), 0)
        geometry = pane.view.delegate.geometry(index)
        assert geometry is not None and geometry.card is not None
        assert geometry.card.right() <= geometry.bubble.right()
    app = qt_app()
    try:
        install_language(app, "zh_CN")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        await laid_out(window)
        [row] = [r for r in chat_rows(window) if r.card == "merged"]
        assert row.card_lines[-1] == "聊天记录 · 3 条消息"
        window.resize(760, 800)
        await laid_out(window)
    finally:
        install_language(app, "en")


async def test_pictures_and_files_in_the_viewer_open_and_save_and_nested_cards_open(
    devices: Devices, windows: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    picture, notes, voice = tmp_path / "map.png", tmp_path / "notes.txt", tmp_path / "hi.wav"
    picture.write_bytes(png(640, 400))
    notes.write_bytes(b"bring a torch\n" * 30)
    voice.write_bytes(tone(0.5))
    await alice.client.send_file("C2C" + bob_id, picture, kind="image")
    await alice.client.send_file("C2C" + bob_id, notes)
    await alice.client.send_file("C2C" + bob_id, voice, kind="voice", duration_ms=500)
    got = await devices.until(lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 3 and m)
    [inner] = await bob.client.forward_merged(got[:1], ["C2C" + bob_id], title="Just the map")
    [inner_card] = await devices.until(
        lambda: [m for m in bob.updated() if m.kind == "merged" and m.message_id]
    )
    [card] = await bob.client.forward_merged(
        [*got, inner_card], ["C2C" + carol_id], title="Trip files"
    )
    assert inner.kind == card.kind == "merged"

    # carol never saw alice's chat: she opens the card, the picture and the file
    window = await windows(carol)
    await open_chat(window, "C2C" + bob_id)
    viewer = await open_merged_card(window)
    kinds = [viewer.model.row(i).message.kind for i in range(viewer.model.rowCount())]
    assert sorted(kinds) == ["file", "image", "merged", "voice"]
    # sent minutes ago: the separator is today's clock time, not a date
    assert re.fullmatch(r"\d\d:\d\d", viewer.model.row(0).separator), viewer.model.row(0).separator
    at_image, at_file, at_card = (kinds.index(k) for k in ("image", "file", "merged"))
    assert viewer.media is not None
    viewer.media.downloads_dir = tmp_path / "Downloads"
    assert viewer.click_action(at_image, "picture")
    image = await until(lambda: window.findChild(ImageViewer), what="the image viewer")
    await until(lambda: image.loaded, what="the whole picture, through the card")
    assert (image.canvas.image.width(), image.canvas.image.height()) == (640, 400)
    await until(lambda: image.neighbours_known, what="its neighbours looked up")
    buttons = image.buttons
    assert not buttons["previous"].isEnabled() and not buttons["next"].isEnabled()  # the forward's
    image.close()

    menu = viewer.context_menu(at_file)
    assert [a.objectName() for a in menu.actions()] == ["open", "save_as", "show_in_folder"]
    assert viewer.context_menu(at_card).isEmpty()  # a card has no file to save
    target = tmp_path / "kept" / "notes.txt"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    next(a for a in menu.actions() if a.objectName() == "save_as").trigger()
    await until(target.exists, what="the file saved")
    assert target.read_bytes() == b"bring a torch\n" * 30
    opened: list[Path] = []

    def open_file(path: Path) -> bool:
        opened.append(path)
        return True

    viewer.media.open_file = open_file
    assert viewer.click_action(at_file, "file")  # here now: a click opens it
    [path] = await until(lambda: opened, what="the file opened")
    assert path.read_bytes() == b"bring a torch\n" * 30

    # a voice message plays as in the chat (this machine has no speakers: the viewer says so)
    assert viewer.click_action(kinds.index("voice"), "voice_play")
    box = await until(lambda: viewer.findChild(QMessageBox, "ViewerError"), what="why not")
    assert "speakers" in box.text()
    box.close()

    # the nested card opens a further viewer, its picture also fetched through the outer card
    assert viewer.click_action(at_card, "merged")
    nested = await until(lambda: viewer.nested, what="the nested viewer")
    assert nested.windowTitle() == "Just the map"
    assert [nested.model.row(i).message.kind for i in range(nested.model.rowCount())] == ["image"]
    assert nested.click_action(0, "picture")
    again = await until(
        lambda: [v for v in window.findChildren(ImageViewer) if v.isVisible()], what="opened"
    )
    await until(lambda: again[0].loaded, what="the nested picture")
