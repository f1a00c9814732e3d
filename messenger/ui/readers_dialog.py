"""``ReadersDialog``: who has read one of my group messages, and who has not yet."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
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
        self.setWindowTitle(self.tr("Read by"))
        self.read_model = QStringListModel(read, self)
        self.unread_model = QStringListModel(unread, self)
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        for title, model in (
            (self.tr("Read ({count})").format(count=len(read)), self.read_model),
            (self.tr("Unread ({count})").format(count=len(unread)), self.unread_model),
        ):
            column = QVBoxLayout()
            label = QLabel(title, self)
            view = QListView(self)
            view.setModel(model)  # list items are plain text
            view.setAccessibleName(title)
            view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
            column.addWidget(label)
            column.addWidget(view)
            columns.addLayout(column)
        layout.addLayout(columns)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, 360)
