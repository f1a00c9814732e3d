"""``JumpButton``: the round buttons floating over the chat's bottom-right corner: scroll to
the bottom (with the count of new messages below), jump to the first unread one, jump to
the message that mentions me."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractButton, QWidget

from messenger.ui.conversation_delegate import paint_badge
from messenger.ui.icons import paint_arrow
from messenger.ui.theme import chat_colors

SIZE = 40


class JumpButton(QAbstractButton):
    def __init__(self, glyph: str, parent: QWidget | None = None) -> None:
        """``glyph``: "down", "up" or a short text such as "@"."""
        super().__init__(parent)
        self.glyph = glyph
        self.count = 0
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedSize(SIZE + 8, SIZE + 8)
        self.hide()

    def sizeHint(self) -> QSize:
        return QSize(SIZE + 8, SIZE + 8)

    def set_count(self, count: int) -> None:
        if count != self.count:
            self.count = count
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        colors = chat_colors(palette)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        circle = QRectF(4, 6, SIZE - 2, SIZE - 2)
        shadow = QColor(0, 0, 0, 40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shadow)
        painter.drawEllipse(circle.translated(0, 1.5))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawEllipse(circle)
        ink = palette.color(QPalette.ColorRole.Text) if not self.isDown() else colors.meta_text
        if self.glyph in ("down", "up"):
            paint_arrow(painter, circle, ink, self.glyph == "down")
        else:
            font = QFont(self.font())
            font.setPixelSize(18)
            font.setWeight(QFont.Weight.DemiBold)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.Link))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self.glyph)
        if self.count:
            text = "99+" if self.count > 99 else str(self.count)
            paint_badge(painter, int(circle.right()) + 3, 10, text, colors.badge, colors.badge_text)
        painter.end()
