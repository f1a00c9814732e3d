"""Choosing the square of a picture for my avatar: by dragging, the wheel and the keyboard; the
square never leaves the picture and never gets smaller than an avatar needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from messenger.ui.avatar_chooser import square_png
from messenger.ui.avatar_cropper import MIN_SIDE, AvatarCropDialog

RED, BLUE = QColor(220, 30, 30), QColor(30, 30, 220)


def halves(width: int = 400, height: int = 200) -> QImage:
    """Red on the left half, blue on the right."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BLUE)
    for x in range(width // 2):
        for y in range(height):
            image.setPixelColor(x, y, RED)
    return image


def share_of(png: bytes, colour: QColor) -> float:
    image = QImage.fromData(png)
    hits = sum(
        image.pixelColor(x, y) == colour
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    )
    return hits / ((image.width() // 4 + 1) * (image.height() // 4 + 1))


def open_cropper(qtbot: Any, image: QImage) -> AvatarCropDialog:
    dialog = AvatarCropDialog(image)
    qtbot.addWidget(dialog)
    dialog.resize(600, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def wheel(widget: Any, notches: int) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        widget.mapToGlobal(centre),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_centred_square_is_offered_first(qtbot: Any) -> None:
    dialog = open_cropper(qtbot, halves())
    assert dialog.selection() == QRect(100, 0, 200, 200)
    png = square_png(halves(), dialog.selection())
    assert 0.4 < share_of(png, RED) < 0.6  # half and half


def test_dragging_the_square_to_the_left_takes_the_red_half_and_stops_at_the_edge(
    qtbot: Any,
) -> None:
    dialog = open_cropper(qtbot, halves())
    view = dialog.view
    start = view.selection_on_screen().center().toPoint()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):  # far past the left edge
        qtbot.mouseMove(view, start - QPoint(40 * step, 0))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=start - QPoint(400, 0))
    assert dialog.selection() == QRect(0, 0, 200, 200)
    assert share_of(square_png(halves(), dialog.selection()), RED) > 0.95
    preview = dialog.preview.pixmap().toImage()
    centre = preview.pixelColor(preview.width() // 2, preview.height() // 2)
    assert centre.red() > 200 and centre.blue() < 60  # the preview follows


def test_the_wheel_and_keys_resize_and_nudge_within_limits(qtbot: Any) -> None:
    dialog = open_cropper(qtbot, halves())
    view = dialog.view
    wheel(view, 3)
    smaller = dialog.selection()
    assert smaller.width() == smaller.height() < 200
    assert smaller.center().x() in (199, 200)  # shrinks around its centre
    wheel(view, 40)
    assert dialog.selection().width() == MIN_SIDE
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert dialog.selection().x() > 200 - MIN_SIDE // 2
    for _ in range(60):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert dialog.selection().width() == 200  # never more than the picture's shorter edge
    assert QRect(0, 0, 400, 200).contains(dialog.selection())
    qtbot.keyClick(view, Qt.Key.Key_Down)  # already at the bottom: stays on the picture
    assert dialog.selection().bottom() == 199


def test_a_tiny_picture_keeps_its_whole_square(qtbot: Any) -> None:
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(RED)
    dialog = open_cropper(qtbot, image)
    wheel(dialog.view, 5)
    assert dialog.selection() == QRect(5, 0, 10, 10)
