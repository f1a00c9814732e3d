"""``PinnedBar``: at the top of the chat when it has pinned messages: the one it points at
("Pinned message 2 of 3" and its text); a click shows that message and moves on to the next."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class PinnedBar(QFrame):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinnedBar")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 4, 14, 4)
        layout.setSpacing(0)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setForegroundRole(QPalette.ColorRole.Link)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self._shown = ("", 0, 0)
        self.hide()

    def show_pin(self, text: str, index: int, count: int) -> None:
        self._shown = (text, index, count)
        if count <= 0:
            self.hide()
            return
        if count == 1:
            self.title.setText(self.tr("Pinned message"))
        else:
            self.title.setText(
                self.tr("Pinned message {index} of {count}").format(index=index + 1, count=count)
            )
        self.text.setText(text)
        self.setAccessibleName(self.title.text())
        self.setToolTip(self.tr("Show the pinned message"))
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        shown = getattr(self, "_shown", None)
        if event.type() == QEvent.Type.LanguageChange and shown is not None and shown[2]:
            self.show_pin(*shown)
        super().changeEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)
