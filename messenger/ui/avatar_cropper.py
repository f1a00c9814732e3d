"""Choosing the square of a picture that becomes my avatar: the picture fitted in a frame, the
part outside the square dimmed; drag the square to move it, the wheel or +/- to resize it, the
arrow keys to nudge it, and a round preview of the result beside it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

MIN_SIDE = 32  # pixels of the picture: a smaller square would be a blur at avatar size
VIEW_SIDE = 360
PREVIEW_SIDE = 128
NUDGE = 0.02  # of the picture's shorter edge, per arrow key
STEP = 0.9  # the square's side is multiplied (or divided) by this per wheel notch or +/-


def centred_square(image: QImage) -> QRect:
    edge = min(image.width(), image.height())
    return QRect((image.width() - edge) // 2, (image.height() - edge) // 2, edge, edge)


class CropView(QWidget):
    """The picture with a movable, resizable square; ``selection`` is in picture pixels."""

    selection_changed = Signal()

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CropView")
        self._image = image
        self._selection = QRectF(centred_square(image))
        self._drag_from: QPointF | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setMinimumSize(VIEW_SIDE // 2, VIEW_SIDE // 2)

    def sizeHint(self) -> QSize:
        return QSize(VIEW_SIDE, VIEW_SIDE)

    def selection(self) -> QRect:
        return self._selection.toAlignedRect() & self._image.rect()

    def set_selection(self, rect: QRectF) -> None:
        limit = min(self._image.width(), self._image.height())
        side = max(min(rect.width(), float(limit)), float(min(MIN_SIDE, limit)))
        centre = rect.center()
        square = QRectF(0, 0, side, side)
        square.moveCenter(centre)
        # Keep the whole square on the picture.
        dx = max(0.0, -square.left()) - max(0.0, square.right() - self._image.width())
        dy = max(0.0, -square.top()) - max(0.0, square.bottom() - self._image.height())
        square.translate(dx, dy)
        if square != self._selection:
            self._selection = square
            self.selection_changed.emit()
            self.update()

    def resize_by(self, factor: float) -> None:
        square = QRectF(self._selection)
        centre = square.center()
        side = square.width() * factor
        square.setSize(square.size().scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio))
        square.moveCenter(centre)
        self.set_selection(square)

    def move_by(self, dx: float, dy: float) -> None:
        self.set_selection(self._selection.translated(dx, dy))

    # ---- geometry: picture pixels <-> widget pixels ----

    def _scale(self) -> float:
        if self._image.isNull():
            return 1.0
        return min(self.width() / self._image.width(), self.height() / self._image.height())

    def _origin(self) -> QPointF:
        scale = self._scale()
        return QPointF(
            (self.width() - self._image.width() * scale) / 2,
            (self.height() - self._image.height() * scale) / 2,
        )

    def _to_widget(self, rect: QRectF) -> QRectF:
        scale, origin = self._scale(), self._origin()
        return QRectF(
            origin.x() + rect.x() * scale,
            origin.y() + rect.y() * scale,
            rect.width() * scale,
            rect.height() * scale,
        )

    def selection_on_screen(self) -> QRectF:
        return self._to_widget(self._selection)

    # ---- painting and input ----

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        picture = self._to_widget(QRectF(self._image.rect()))
        painter.drawImage(picture, self._image)
        square = self.selection_on_screen()
        outside = QPainterPath()
        outside.addRect(picture)
        inside = QPainterPath()
        inside.addRect(square)
        painter.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 140))
        painter.setPen(QPen(QColor(255, 255, 255), 2))
        painter.drawRect(square)
        painter.setPen(QPen(QColor(255, 255, 255, 160), 1, Qt.PenStyle.DashLine))
        painter.drawEllipse(square)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        delta = event.position() - self._drag_from
        self._drag_from = event.position()
        scale = self._scale()
        self.move_by(delta.x() / scale, delta.y() / scale)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches:
            self.resize_by(STEP**notches)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = NUDGE * min(self._image.width(), self._image.height())
        moves = {
            Qt.Key.Key_Left: (-step, 0.0),
            Qt.Key.Key_Right: (step, 0.0),
            Qt.Key.Key_Up: (0.0, -step),
            Qt.Key.Key_Down: (0.0, step),
        }
        key = Qt.Key(event.key())
        if key in moves:
            self.move_by(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.resize_by(1 / STEP)  # "+" shows more of the picture
        elif key == Qt.Key.Key_Minus:
            self.resize_by(STEP)
        else:
            super().keyPressEvent(event)


class AvatarCropDialog(QDialog):
    """Pick the square; ``selection()`` is the chosen part of the picture after Accept."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AvatarCropDialog")
        self.setWindowTitle(self.tr("Choose the part to show"))
        self._image = image
        self.view = CropView(image, self)
        self.preview = QLabel(self)
        self.preview.setObjectName("CropPreview")
        self.preview.setFixedSize(PREVIEW_SIDE, PREVIEW_SIDE)
        hint = QLabel(
            self.tr("Drag the square to move it; the wheel or +/- changes its size."), self
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(self.preview)
        side.addWidget(hint)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.buttons)
        self.view.selection_changed.connect(self._show_preview)
        self._show_preview()
        self.view.setFocus()

    def selection(self) -> QRect:
        return self.view.selection()

    def _show_preview(self) -> None:
        ratio = self.devicePixelRatioF()
        edge = round(PREVIEW_SIDE * ratio)
        part = self._image.copy(self.selection()).scaled(
            edge,
            edge,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        rounded = QPixmap(edge, edge)
        rounded.fill(Qt.GlobalColor.transparent)
        painter = QPainter(rounded)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = QPainterPath()
        clip.addEllipse(QRectF(0, 0, edge, edge))
        painter.setClipPath(clip)
        painter.drawImage(0, 0, part)
        painter.end()
        rounded.setDevicePixelRatio(ratio)
        self.preview.setPixmap(rounded)
