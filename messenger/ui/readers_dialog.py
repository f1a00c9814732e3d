"""``ReadersDialog``: who has read one of my group messages, and who has not yet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)


class ReadersDialog(QDialog):
    def __init__(self, read: list[str], unread: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReadersDialog")
        self.read_model = QStringListModel(read, self)
        self.unread_model = QStringListModel(unread, self)
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        self._columns: list[tuple[QLabel, QListView, QStringListModel]] = []
        for model in (self.read_model, self.unread_model):
            column = QVBoxLayout()
            label = QLabel(self)
            view = QListView(self)
            view.setModel(model)  # list items are plain text
            view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
            column.addWidget(label)
            column.addWidget(view)
            columns.addLayout(column)
            self._columns.append((label, view, model))
        layout.addLayout(columns)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, 360)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Read by"))
        titles = (self.tr("Read ({count})"), self.tr("Unread ({count})"))
        for title, (label, view, model) in zip(titles, self._columns, strict=True):
            text = title.format(count=model.rowCount())
            label.setText(text)
            view.setAccessibleName(text)
