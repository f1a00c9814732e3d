"""The image viewer: a window over the chat's pictures. It opens on the picture clicked, shows
its thumbnail at once and the whole picture when it is here (downloaded into the media cache,
decoded off the GUI thread), fits it to the window, zooms (wheel, + / -, 0 for fit, 1 for
actual size) about the pointer, pans by dragging, and goes to the previous / next picture of the
chat (← / →: any picture of the chat, also one not loaded in the chat view, asked of the store
and the server; a button is enabled once its picture is found; the bar says when the picture
was sent). Save as… (Ctrl+S), Copy (Ctrl+C) and Open with the system viewer; Esc closes.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from messenger.core.models import LocalMessage
from messenger.protocol.bodies import ImageBody
from messenger.ui.async_slots import async_slot
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.formatting import separator_time
from messenger.viewmodels.message_rows import message_key

if TYPE_CHECKING:
    from messenger.ui.media_actions import MediaActions

MIN_SCALE = 0.05
MAX_SCALE = 16.0
STEP = 1.25  # one zoom step (a key or a wheel notch)


def load_image(path: Path) -> QImage:
    """Decode a picture (upright by its EXIF orientation); a null image if it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    return reader.read()


class PictureCanvas(QWidget):
    """One picture, fitted or zoomed about a point, panned by dragging."""

    zoom_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PictureCanvas")
        self.setMinimumSize(200, 150)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.image = QImage()
        self.natural = QSize()  # the whole picture's size (the thumbnail is drawn stretched to it)
        self.scale = 1.0
        self.fitted = True
        self.offset = QPointF()  # the picture's centre relative to the canvas centre
        self._drag: QPointF | None = None

    def show_image(self, image: QImage, natural: QSize, *, keep_view: bool = False) -> None:
        """Show ``image`` as a picture of size ``natural``: a thumbnail first, then the whole
        picture in its place (``keep_view``: at the same zoom and position)."""
        self.image = image
        self.natural = natural if natural.isValid() and not natural.isEmpty() else image.size()
        if not keep_view or self.fitted:
            self.fit()
        self.update()

    def fit_scale(self) -> float:
        if self.natural.isEmpty():
            return 1.0
        return min(
            1.0,
            self.width() / self.natural.width(),
            self.height() / self.natural.height(),
        )

    def fit(self) -> None:
        self.fitted = True
        self.scale = self.fit_scale()
        self.offset = QPointF()
        self.update()
        self.zoom_changed.emit()

    def zoom(self, factor: float, about: QPointF | None = None) -> None:
        """Zoom by ``factor``, keeping the picture's point under ``about`` (default: the
        centre) where it is."""
        new = max(MIN_SCALE, min(MAX_SCALE, self.scale * factor))
        if new == self.scale:
            return
        centre = QPointF(self.width() / 2, self.height() / 2)
        at = (about if about is not None else centre) - centre
        # The point under ``at`` stays: offset' = at - (at - offset) * new / old.
        self.offset = at - (at - self.offset) * (new / self.scale)
        self.scale = new
        self.fitted = False
        self._clamp()
        self.update()
        self.zoom_changed.emit()

    def actual_size(self) -> None:
        self.zoom(1.0 / self.scale)

    def picture_rect(self) -> QRectF:
        w = self.natural.width() * self.scale
        h = self.natural.height() * self.scale
        c = QPointF(self.width() / 2, self.height() / 2) + self.offset
        return QRectF(c.x() - w / 2, c.y() - h / 2, w, h)

    def _clamp(self) -> None:
        """No panning past the picture's edges (a picture smaller than the window stays centred)."""
        w = self.natural.width() * self.scale
        h = self.natural.height() * self.scale
        room_x = max(0.0, (w - self.width()) / 2)
        room_y = max(0.0, (h - self.height()) / 2)
        self.offset = QPointF(
            max(-room_x, min(room_x, self.offset.x())), max(-room_y, min(room_y, self.offset.y()))
        )

    def pan(self, by: QPointF) -> None:
        self.offset += by
        self._clamp()
        self.update()

    # -- Qt --------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale < 4)
        painter.drawImage(self.picture_rect(), self.image)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.scale = self.fit_scale()
            self.offset = QPointF()
        else:
            self._clamp()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(STEP**steps, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self.pan(event.position() - self._drag)
            self._drag = event.position()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        self.unsetCursor()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.fitted:
            self.zoom(max(1.0, self.fit_scale() * 2) / self.scale, event.position())
        else:
            self.fit()


class ImageViewer(QWidget):
    """A window over the chat's pictures, opened on ``key``."""

    def __init__(
        self, chat: ChatViewModel, key: str, actions: MediaActions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ImageViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.chat = chat
        self.media = actions  # save as, open with the system viewer
        self.key = key
        self.current: LocalMessage | None = None  # the picture shown
        self.neighbours: dict[str, LocalMessage | None] = {"previous": None, "next": None}
        self.neighbours_known = False  # both looked up for the picture shown
        self.canvas = PictureCanvas(self)
        self.title = QLabel(self)
        self.title.setObjectName("ViewerTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.counter = QLabel(self)
        self.counter.setObjectName("ViewerCounter")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("ViewerZoom")
        self.buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 6, 10, 6)
        for name, text in (("previous", "‹"), ("next", "›")):
            bar.addWidget(self._button(name, text))
        bar.addWidget(self.counter)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)
        for name, text in (("zoom_out", "−"), ("zoom_in", "+"), ("fit", "⤢")):
            bar.addWidget(self._button(name, text))
        bar.addWidget(self.zoom_label)
        for name in ("save", "copy", "open"):
            bar.addWidget(self._button(name, ""))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bar)
        self.canvas.zoom_changed.connect(self._zoom_text)
        for keys, run in (
            (QKeySequence.StandardKey.Save, lambda: self.run("save")),
            (QKeySequence.StandardKey.Copy, lambda: self.run("copy")),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(run)
        self._token = 0
        self.loaded = False  # the whole picture is shown (not only its thumbnail)
        self.resize(960, 720)
        self.retranslate()
        self.show_key(key)

    def _button(self, name: str, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows and +/- stay the viewer's keys
        button.clicked.connect(lambda _=False, n=name: self.run(n))
        self.buttons[name] = button
        return button

    def retranslate(self) -> None:
        tips = {
            "previous": self.tr("Previous picture (←)"),
            "next": self.tr("Next picture (→)"),
            "zoom_out": self.tr("Zoom out (−)"),
            "zoom_in": self.tr("Zoom in (+)"),
            "fit": self.tr("Fit to window (0)"),
            "save": self.tr("Save as…"),
            "copy": self.tr("Copy"),
            "open": self.tr("Open with the system viewer"),
        }
        labels = {"save": self.tr("Save as…"), "copy": self.tr("Copy"), "open": self.tr("Open")}
        for name, tip in tips.items():
            self.buttons[name].setToolTip(tip)
            self.buttons[name].setAccessibleName(tip)
            if name in labels:
                self.buttons[name].setText(labels[name])
        self.setWindowTitle(self.tr("Picture"))

    # -- which picture ---------------------------------------------------------------------------
    def listed_pictures(self) -> list[LocalMessage]:
        """The pictures of the loaded rows, oldest first (a merged forward's: all of them)."""
        model = self.media.messages
        found = []
        for position in range(model.rowCount()):
            message = model.row(position).message
            if isinstance(message.content, ImageBody) and not message.recalled:
                found.append(message)
        return found

    def _listed_neighbour(self, message: LocalMessage, older: bool) -> LocalMessage | None:
        keys = [message_key(m) for m in self.listed_pictures()]
        key = message_key(message)
        if key not in keys:
            return None
        position = keys.index(key) + (-1 if older else 1)
        return self.listed_pictures()[position] if 0 <= position < len(keys) else None

    async def _neighbour(self, message: LocalMessage, older: bool) -> LocalMessage | None:
        """The picture before or after: in the chat, any of its pictures, loaded or not (the
        store, else the server, knows them); in a merged forward, the next one of its list."""
        if self.media.messages is self.chat.messages and message.seq:
            return await self.chat.neighbour_picture(message, older=older)
        return self._listed_neighbour(message, older)

    def step(self, by: int) -> None:
        found = self.neighbours["previous" if by < 0 else "next"]
        if found is not None:
            self.show_message(found)

    def message(self) -> LocalMessage | None:
        return self.current

    def show_key(self, key: str) -> None:
        self.show_message(self.media.messages.message(key))

    def show_message(self, message: LocalMessage | None) -> None:
        self.current = message
        self.key = message_key(message) if message is not None else ""
        self._token += 1
        self.loaded = False
        self.neighbours = {"previous": None, "next": None}
        self.neighbours_known = False
        for name in self.neighbours:
            self.buttons[name].setEnabled(False)
        body = message.content if message is not None else None
        if not isinstance(body, ImageBody) or message is None:
            self.counter.setText("")
            self.canvas.show_image(QImage(), QSize())
            return
        self.media.remember(message)  # Save as… and Open for a picture not loaded in the chat
        self.counter.setText(separator_time(message.time, int(time.time() * 1000)))
        self.title.setText(body.name)
        natural = QSize(body.width, body.height)
        thumb = self.chat.thumbnails.path(message)
        self.canvas.show_image(load_image(thumb) if thumb is not None else QImage(), natural)
        self._load(self._token, message)
        self._find_neighbours(self._token, message)

    @async_slot(int, object)
    async def _find_neighbours(self, token: int, message: LocalMessage) -> None:
        for name, older in (("previous", True), ("next", False)):
            found = await self._neighbour(message, older)
            if token != self._token or not shiboken6.isValid(self):  # moved on, or closed
                return
            self.neighbours[name] = found
            self.buttons[name].setEnabled(found is not None)
        self.neighbours_known = True

    @async_slot(int, object)
    async def _load(self, token: int, message: LocalMessage) -> None:
        path = await self.chat.downloads.fetch(message)
        if path is None or token != self._token:
            return
        image = await asyncio.to_thread(load_image, path)
        if token != self._token or image.isNull() or not shiboken6.isValid(self):
            return
        self.canvas.show_image(image, image.size(), keep_view=True)
        self.loaded = True

    # -- actions ---------------------------------------------------------------------------------
    def run(self, name: str) -> None:
        canvas = self.canvas
        if name == "previous":
            self.step(-1)
        elif name == "next":
            self.step(1)
        elif name == "zoom_in":
            canvas.zoom(STEP)
        elif name == "zoom_out":
            canvas.zoom(1 / STEP)
        elif name == "fit":
            canvas.fit()
        elif name == "actual":
            canvas.actual_size()
        elif name == "copy":
            if not canvas.image.isNull():
                QGuiApplication.clipboard().setImage(canvas.image)
        elif name == "save":
            self.media.save_as(self.key)
        elif name == "open":
            self.media.open(self.key)

    def _zoom_text(self) -> None:
        self.zoom_label.setText(f"{round(self.canvas.scale * 100)}%")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        action = {
            Qt.Key.Key_Escape: "close",
            Qt.Key.Key_Left: "previous",
            Qt.Key.Key_Right: "next",
            Qt.Key.Key_Plus: "zoom_in",
            Qt.Key.Key_Equal: "zoom_in",
            Qt.Key.Key_Minus: "zoom_out",
            Qt.Key.Key_0: "fit",
            Qt.Key.Key_1: "actual",
        }.get(Qt.Key(key))
        if action == "close":
            self.close()
        elif action is not None:
            self.run(action)
        else:
            super().keyPressEvent(event)
