"""The image viewer: a click on a picture opens it on that picture, whole once downloaded;
← / → go through the chat's pictures, + / − / 0 zoom and fit, a drag pans, Ctrl+C copies,
Ctrl+S saves where the user chose, Esc closes. Through the real server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog

from messenger.ui.image_viewer import ImageViewer
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.media import png
from tests.ui.helpers import chat_rows, open_chat, until

SIZES = [(900, 600), (400, 800), (1200, 300)]


async def bob_sees_three_pictures(devices: Devices, windows: Any, tmp_path: Path) -> Any:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    for i, (w, h) in enumerate(SIZES):
        path = tmp_path / f"p{i}.png"
        path.write_bytes(png(w, h))
        await alice.client.send_file("C2C" + bob_id, path, kind="image")
        await devices.until(lambda n=i: len(bob.added("C2C" + alice_id)) == n + 1, what="sent")
    await devices.until(lambda: len(bob.added("C2C" + alice_id)) == 3, what="three pictures")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)
    return window


async def test_the_viewer_shows_zooms_pans_and_walks_through_the_chats_pictures(
    devices: Devices, windows: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = await bob_sees_three_pictures(devices, windows, tmp_path)
    view = window.chat_pane.view
    rows = chat_rows(window)
    assert [r.picture is not None for r in rows] == [True, True, True]
    sizes = [(r.message.content.width, r.message.content.height) for r in rows]
    assert sizes == SIZES

    assert view.click_action(rows[1].key, "picture")
    viewer = await until(lambda: window.findChild(ImageViewer), what="the viewer")
    # It opens over the chat's window and wholly on its screen.
    screen = window.screen().availableGeometry()
    assert screen.contains(viewer.geometry())
    assert viewer.geometry().contains(window.frameGeometry().center())
    await until(lambda: viewer.loaded, what="the whole picture")
    canvas = viewer.canvas
    assert viewer.counter.text() == "2 / 3"
    assert (canvas.image.width(), canvas.image.height()) == sizes[1]  # the file, not a thumbnail
    picture = canvas.picture_rect()
    assert picture.height() <= canvas.height() + 0.5 and picture.width() <= canvas.width() + 0.5
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        viewer.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "viewer.png"))

    fitted = canvas.scale
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.scale == pytest.approx(fitted * 1.25 * 1.25)
    assert not canvas.fitted
    before = canvas.picture_rect().topLeft()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(canvas, QPoint(260, 250))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(260, 250))
    moved = canvas.picture_rect().topLeft() - before
    assert moved.y() == pytest.approx(-50, abs=1)  # taller than the window: it pans
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.scale == pytest.approx(fitted * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.fitted and canvas.scale == pytest.approx(fitted)
    canvas.zoom(2.0, QPointF(100, 100))  # the wheel's zoom keeps the point under the pointer
    assert canvas.scale == pytest.approx(fitted * 2)

    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert viewer.counter.text() == "3 / 3"
    await until(lambda: viewer.loaded, what="the third picture")
    assert (canvas.image.width(), canvas.image.height()) == sizes[2]
    assert canvas.fitted  # a new picture starts fitted
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # the last one: stays
    assert viewer.counter.text() == "3 / 3"
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert viewer.counter.text() == "1 / 3"
    await until(lambda: viewer.loaded, what="the first picture")

    QGuiApplication.clipboard().clear()
    viewer.run("copy")
    copied: QImage = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == sizes[0]

    target = tmp_path / "saved.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    viewer.run("save")
    await until(target.exists, what="saved")
    assert QImage(str(target)).size().toTuple() == sizes[0]

    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    await until(lambda: not viewer.isVisible(), what="closed")
