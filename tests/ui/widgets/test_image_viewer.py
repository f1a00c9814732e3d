"""The image viewer: a click on a picture opens it on that picture, whole once downloaded;
← / → go through the chat's pictures (all of them: also those not loaded in the chat view),
+ / − / 0 zoom and fit, a drag pans, Ctrl+C copies, Ctrl+S saves where the user chose, Esc
closes. Through the real server."""

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


async def step(viewer: ImageViewer, key: Qt.Key, qtbot: Any) -> None:
    """Press ← or → once the picture it goes to is known (its button is enabled)."""
    name = "previous" if key == Qt.Key.Key_Left else "next"
    await until(lambda: viewer.buttons[name].isEnabled(), what=f"the {name} picture found")
    qtbot.keyClick(viewer.canvas, key)


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
    assert viewer.counter.text()  # when it was sent
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

    await step(viewer, Qt.Key.Key_Right, qtbot)
    assert viewer.key == rows[2].key
    await until(lambda: viewer.loaded, what="the third picture")
    assert (canvas.image.width(), canvas.image.height()) == sizes[2]
    assert canvas.fitted  # a new picture starts fitted
    await until(lambda: viewer.neighbours_known, what="its neighbours looked up")
    assert not viewer.buttons["next"].isEnabled()  # the last one: → stays
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert viewer.key == rows[2].key
    await step(viewer, Qt.Key.Key_Left, qtbot)
    await step(viewer, Qt.Key.Key_Left, qtbot)
    assert viewer.key == rows[0].key
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


async def test_the_viewer_walks_through_pictures_not_loaded_in_the_chat(
    devices: Devices, windows: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    chat = "C2C" + bob_id

    async def send(name: str, data: bytes, kind: str = "file") -> None:
        path = tmp_path / name
        path.write_bytes(data)
        count = len(bob.added("C2C" + alice_id))
        await alice.client.send_file(chat, path, kind=kind)
        await devices.until(lambda: len(bob.added("C2C" + alice_id)) > count, what=name)

    await send("old0.png", png(*SIZES[0]), "image")
    await send("notes.txt", b"not a picture")  # a file between: not one of the pictures
    await send("old1.png", png(*SIZES[1]), "image")
    for i in range(70):  # far more than the chat loads when it opens
        await alice.client.send_text(chat, f"line {i}")
    await send("new.png", png(*SIZES[2]), "image")
    await devices.until(lambda: len(bob.added("C2C" + alice_id)) == 74, within=60, what="all")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)  # at the first unread message: the oldest ones
    loaded = [r for r in chat_rows(window) if r.picture is not None]
    assert [r.message.content.width for r in loaded] == [SIZES[0][0], SIZES[1][0]]

    assert window.chat_pane.view.click_action(loaded[0].key, "picture")
    viewer = await until(lambda: window.findChild(ImageViewer), what="the viewer")
    await until(lambda: viewer.neighbours_known, what="its neighbours looked up")
    assert not viewer.buttons["previous"].isEnabled()  # the chat's first picture

    shown = []
    for _ in range(2):
        await step(viewer, Qt.Key.Key_Right, qtbot)
        await until(lambda: viewer.loaded, what="the whole picture")
        image = viewer.canvas.image
        shown.append((image.width(), image.height()))
    assert shown == [SIZES[1], SIZES[2]]  # the file between was passed over
    newest = viewer.key
    assert window.session.chat.messages.message(newest) is None  # not loaded in the chat view
    await until(lambda: viewer.neighbours_known, what="its neighbours looked up")
    assert not viewer.buttons["next"].isEnabled()  # the chat's last picture

    target = tmp_path / "newest.png"  # Save as… works on a picture the chat has not loaded
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    viewer.run("save")
    await until(target.exists, what="saved")
    assert QImage(str(target)).size().toTuple() == SIZES[2]

    await step(viewer, Qt.Key.Key_Left, qtbot)
    await step(viewer, Qt.Key.Key_Left, qtbot)
    assert viewer.key == loaded[0].key
    await until(lambda: viewer.loaded, what="back on the first picture")
    assert (viewer.canvas.image.width(), viewer.canvas.image.height()) == SIZES[0]
