"""``QuickSwitcherDialog`` (Ctrl+K): type part of a name or ID, Enter opens the best match."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLineEdit, QListView, QVBoxLayout, QWidget

from messenger.ui.conversation_delegate import ConversationDelegate
from messenger.viewmodels.quick_switcher import QuickSwitcherModel


class QuickSwitcherDialog(QDialog):
    conversation_chosen = Signal(str)

    def __init__(self, model: QuickSwitcherModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QuickSwitcher")
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.search = QLineEdit(self)
        self.search.textChanged.connect(self._query)
        self.search.installEventFilter(self)
        layout.addWidget(self.search)
        self.results = QListView(self)
        self.results.setModel(model)
        # Results paint like conversation rows: the result role is the list's row role.
        self.results.setItemDelegate(ConversationDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.activated.connect(self._activated)
        self.results.clicked.connect(self._activated)
        layout.addWidget(self.results)
        model.modelReset.connect(self._select_first)
        self.resize(460, 420)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Go to chat"))
        self.search.setPlaceholderText(self.tr("Go to chat…"))
        self.search.setAccessibleName(self.tr("Chat name or ID"))
        self.results.setAccessibleName(self.tr("Matching chats"))

    def open_switcher(self) -> None:
        self.search.clear()
        self.model.set_query("")
        owner = self.parentWidget()
        if owner is not None:
            parent = owner.window()
            center = parent.geometry().center()
            self.move(center.x() - self.width() // 2, parent.geometry().top() + 80)
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus()

    def _query(self, text: str) -> None:
        self.model.set_query(text)

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                rows = self.model.rowCount()
                if rows:
                    step = 1 if key == Qt.Key.Key_Down else -1
                    row = (self.results.currentIndex().row() + step) % rows
                    self.results.setCurrentIndex(self.model.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activated(self.results.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        conversation_id = self.model.conversation_id(index.row()) if index.isValid() else ""
        if conversation_id:
            self.accept()
            self.conversation_chosen.emit(conversation_id)
