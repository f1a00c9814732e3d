"""Reacting to a message and seeing who did, besides the menu's React submenu.

- ``HoverReactButton``: a small round "add a reaction" button that appears beside the bubble
  under the pointer (the chat view places it);
- ``ReactionBar``: the popup it opens: the recent emoji in a row, then "…" for the whole emoji
  picker;
- ``WhoReactedPopup``: each emoji of a message with its count and the names of who reacted
  (opened by a right click on a chip or the menu's "Reactions").
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from messenger.ui.theme import chat_colors

BUTTON = 26  # the hover button's size
GAP = 6  # between the bubble and the hover button


class HoverReactButton(QAbstractButton):
    """A round button with a smiling face and a small plus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HoverReact")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedSize(BUTTON, BUTTON)
        self.key = ""  # the row it belongs to
        self.hide()

    def sizeHint(self) -> QSize:
        return QSize(BUTTON, BUTTON)

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = chat_colors(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = self.palette().color(QPalette.ColorRole.Base)
        painter.setPen(colors.separator)
        painter.setBrush(fill.darker(108) if self.underMouse() else fill)
        painter.drawEllipse(QRectF(0.5, 0.5, BUTTON - 1, BUTTON - 1))
        face = QRectF(6, 6, BUTTON - 12, BUTTON - 12)
        pen = painter.pen()
        pen.setColor(colors.meta_text)
        pen.setWidthF(1.4)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(face)
        eye = face.width() / 7
        painter.setBrush(colors.meta_text)
        for x in (0.33, 0.67):
            centre = QPointF(face.left() + face.width() * x, face.top() + face.height() * 0.38)
            painter.drawEllipse(centre, eye / 2, eye / 2)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        mouth = face.adjusted(face.width() * 0.25, face.height() * 0.3, -face.width() * 0.25, 0)
        mouth.setHeight(face.height() * 0.45)
        painter.drawArc(mouth, -20 * 16, -140 * 16)


class ReactionBar(QFrame):
    """The recent emoji, one click each, and "…" for the emoji picker."""

    chosen = Signal(str)
    more_clicked = Signal()

    def __init__(self, recent: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("ReactionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.buttons: list[QToolButton] = []
        for emoji in recent:
            button = QToolButton(self)
            button.setObjectName("react:" + emoji)
            button.setText(emoji)
            button.setFont(font)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, e=emoji: self._choose(e))
            layout.addWidget(button)
            self.buttons.append(button)
        self.more = QToolButton(self)
        self.more.setObjectName("react_more")
        self.more.setText("…")
        self.more.setFont(font)
        self.more.setAutoRaise(True)
        self.more.clicked.connect(self._more)
        layout.addWidget(self.more)
        self.retranslate()

    def _choose(self, emoji: str) -> None:
        self.hide()
        self.chosen.emit(emoji)

    def _more(self) -> None:
        self.hide()
        self.more_clicked.emit()

    def show_at(self, point: QPoint) -> None:
        """Above ``point`` (global), or below it when there is no room above."""
        self.adjustSize()
        screen = self.screen().availableGeometry()
        x = max(screen.left(), min(point.x() - self.width() // 2, screen.right() - self.width()))
        y = point.y() - self.height() - 4
        if y < screen.top():
            y = point.y() + 4
        self.move(x, y)
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.more.setToolTip(self.tr("More emoji"))
        self.more.setAccessibleName(self.tr("More emoji"))


class WhoReactedPopup(QFrame):
    """One line per emoji: the emoji, how many, and their names."""

    def __init__(
        self, reactions: Sequence[tuple[str, Sequence[str]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("WhoReacted")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._reactions = [(emoji, list(names)) for emoji, names in reactions]
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 8, 12, 8)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(6)
        self.title = QLabel(self)
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(bold)
        layout.addWidget(self.title, 0, 0, 1, 3)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        self.lines: list[tuple[QLabel, QLabel, QLabel]] = []
        for row, (emoji, names) in enumerate(self._reactions, start=1):
            glyph = QLabel(emoji, self)
            glyph.setFont(big)
            count = QLabel(str(len(names)), self)
            count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            who = QLabel(", ".join(names), self)
            who.setTextFormat(Qt.TextFormat.PlainText)
            who.setWordWrap(True)
            who.setMinimumWidth(160)
            who.setMaximumWidth(320)
            for column, label in enumerate((glyph, count, who)):
                label.setTextFormat(Qt.TextFormat.PlainText)
                layout.addWidget(label, row, column, Qt.AlignmentFlag.AlignVCenter)
            self.lines.append((glyph, count, who))
        layout.setColumnStretch(2, 1)
        self.retranslate()

    def texts(self) -> list[str]:
        """Each line as read: "👍 2 Alice, Bob"."""
        return [f"{g.text()} {c.text()} {w.text()}" for g, c, w in self.lines]

    def show_at(self, point: QPoint) -> None:
        self.adjustSize()
        screen = self.screen().availableGeometry()
        x = max(screen.left(), min(point.x(), screen.right() - self.width()))
        y = max(screen.top(), min(point.y(), screen.bottom() - self.height()))
        self.move(x, y)
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Reactions"))
        self.setAccessibleName(self.tr("Who reacted"))
