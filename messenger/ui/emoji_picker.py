"""``EmojiPicker``: a searchable grid of common Unicode emoji in a popup; a click inserts one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLineEdit, QListView, QVBoxLayout, QWidget

from messenger.ui.theme import slim_scroll_bar
from messenger.viewmodels.emoji import EmojiFilterModel

CELL = 36


class EmojiPicker(QFrame):
    emoji_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("EmojiPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = EmojiFilterModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_text)
        self.search.returnPressed.connect(self._choose_first)
        layout.addWidget(self.search)
        self.grid = QListView(self)
        self.grid.setModel(self.model)
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setGridSize(QSize(CELL, CELL))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        font = QFont(self.grid.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.grid.setFont(font)
        self.grid.clicked.connect(self._clicked)
        slim_scroll_bar(self.grid.verticalScrollBar())
        layout.addWidget(self.grid)
        self.resize(8 * CELL + 40, 6 * CELL + 60)
        self.retranslate()

    def _clicked(self, index: QModelIndex) -> None:
        self.choose(str(index.data()))

    def _choose_first(self) -> None:
        if self.model.rowCount():
            self.choose(str(self.model.index(0, 0).data()))

    def choose(self, emoji: str) -> None:
        self.emoji_chosen.emit(emoji)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search emoji"))
        self.search.setAccessibleName(self.tr("Search emoji"))
        self.grid.setAccessibleName(self.tr("Emoji"))
