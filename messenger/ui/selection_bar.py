"""``SelectionBar``: under the chat while several messages are selected: how many, and what
can be done with them (forward one by one or as a chat history, copy, delete for me)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class SelectionBar(QFrame):
    forward_clicked = Signal()
    merged_clicked = Signal()
    copy_clicked = Signal()
    delete_clicked = Signal()
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SelectionBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.count, 1)
        self.forward = self._button("Forward", self.forward_clicked)
        self.merged = self._button("ForwardMerged", self.merged_clicked)
        self.copy = self._button("Copy", self.copy_clicked)
        self.delete = self._button("DeleteForMe", self.delete_clicked)
        self.cancel = self._button("CancelSelection", self.cancel_clicked)
        for button in (self.forward, self.merged, self.copy, self.delete, self.cancel):
            layout.addWidget(button)
        self._count = 0
        self.retranslate()

    def _button(self, name: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(signal)
        return button

    def set_count(self, count: int) -> None:
        self._count = count
        self.count.setText(self.tr("%n selected", "", count))
        for button in (self.forward, self.merged, self.copy, self.delete):
            button.setEnabled(count > 0)

    def retranslate(self) -> None:
        self.forward.setText(self.tr("Forward"))
        self.merged.setText(self.tr("Forward as chat history"))
        self.copy.setText(self.tr("Copy"))
        self.delete.setText(self.tr("Delete for me"))
        self.cancel.setText(self.tr("Cancel"))
        self.set_count(self._count)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_count"):
            self.retranslate()
        super().changeEvent(event)
