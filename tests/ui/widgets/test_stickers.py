"""Stickers: the composer's picker shows the app's pack (drawn for this project); a click sends
the sticker, which the peer sees drawn in its bubble; a sticker of a pack this app does not
have is a placeholder. Through the real server."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from messenger.protocol.bodies import FaceBody
from messenger.ui.bubbles import sticker_bubble
from messenger.ui.sticker_pack import NAMES, PACK, paint_sticker
from tests.helpers.clients import Devices
from tests.ui.helpers import chat_rows, open_chat
from tests.ui.widgets.test_attach import chat_with_bob


def drawn(pack: str, name: str) -> QImage:
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    ok = paint_sticker(painter, QRectF(0, 0, 64, 64), pack, name)
    painter.end()
    assert ok == (pack == PACK and name in NAMES)
    return image


def test_every_sticker_of_the_pack_draws_something_of_its_own() -> None:
    pictures = [drawn(PACK, name) for name in NAMES]
    assert all(p.pixelColor(32, 32).alpha() > 0 for p in pictures)  # not empty in the middle
    assert len({bytes(p.constBits()) for p in pictures}) == len(NAMES)  # all different
    drawn("another pack", "smile")  # not ours: nothing drawn


async def test_a_sticker_is_chosen_sent_and_drawn_for_the_peer(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer

    qtbot.mouseClick(composer.sticker_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    picker = composer.sticker_picker
    assert picker is not None and picker.isVisible()
    assert list(picker.buttons) == list(NAMES)
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        picker.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "stickers.png"))
    picker.buttons["love"].click()

    [message] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "face"], what="the sticker"
    )
    assert message.content == FaceBody(pack=PACK, name="love", index=NAMES.index("love"))
    assert not picker.isVisible()

    bob_window = await windows(bob)
    await open_chat(bob_window, "C2C" + alice_id)
    row = chat_rows(bob_window)[-1]
    assert row.card == "sticker" and row.text == ""
    view = bob_window.chat_pane.view
    geometry = view.delegate.geometry(view.model().index(len(chat_rows(bob_window)) - 1, 0))
    assert geometry is not None and geometry.card is not None
    assert geometry.card.width() == sticker_bubble.SIDE
