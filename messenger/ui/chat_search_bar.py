"""``ChatSearchBar``: Ctrl+F in the open chat. Words typed are looked for in the chat (as the
user types, the newest match first); Enter or the down arrow goes to the next older match,
Shift+Enter or the up arrow to the newer one, each opened with the messages around it; the
matches are marked in the bubbles; Esc closes the bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from messenger.ui.async_slots import async_slot
from messenger.ui.bubble_text import search_terms
from messenger.viewmodels.search import ChatSearchViewModel

TYPING_PAUSE_MS = 150  # a search runs once typing pauses (each one moves the chat)


class ChatSearchBar(QFrame):
    terms_changed = Signal(list)  # the words to mark in the bubbles
    closed = Signal()

    def __init__(self, vm: ChatSearchViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("ChatSearchBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 8, 4)
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.position = QLabel(self)
        self.newer = _button("▲", self)
        self.older = _button("▼", self)
        self.close_button = _button("✕", self)
        for widget in (self.edit, self.position, self.newer, self.older, self.close_button):
            layout.addWidget(widget, 1 if widget is self.edit else 0)
        self._pause = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._search)
        self.edit.textChanged.connect(lambda _text: self._pause.start())
        self.newer.clicked.connect(lambda: self._step(-1))
        self.older.clicked.connect(lambda: self._step(1))
        self.close_button.clicked.connect(self.close_bar)
        vm.changed.connect(self._show)
        self.retranslate()
        self._show()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self._pause.stop()
        self.edit.clear()
        self.vm.clear()
        self.hide()
        self.closed.emit()

    @async_slot()
    async def _search(self) -> None:
        await self._run_search()

    async def _run_search(self) -> None:
        text = self.edit.text()
        self.terms_changed.emit(search_terms(text))
        await self.vm.search(text)

    @async_slot()
    async def _step(self, delta: int) -> None:
        if self._pause.isActive():  # Enter right after typing: search first
            self._pause.stop()
            await self._run_search()
            return
        await self.vm.step(delta)

    def _show(self) -> None:
        self.position.setText(self.vm.position_text)
        several = len(self.vm.results) > 1
        self.newer.setEnabled(several)
        self.older.setEnabled(several)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return False
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self._step(-1 if shift else 1)
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(-1 if key == Qt.Key.Key_Up else 1)
                return True
        return False

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Search in this chat"))
        self.edit.setAccessibleName(self.tr("Search in this chat"))
        self.newer.setToolTip(self.tr("Newer match (Shift+Enter)"))
        self.older.setToolTip(self.tr("Older match (Enter)"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))


def _button(text: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setAutoRaise(True)
    return button
