"""``ForwardDialog``: pick one or several chats (a search box over them, most recent first)
and add an optional comment; the pane forwards when it is accepted."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole


class ForwardDialog(QDialog):
    def __init__(
        self,
        targets: list[tuple[str, str]],
        count: int,
        *,
        merged: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ForwardDialog")
        self._merged, self._count = merged, count
        layout = QVBoxLayout(self)
        self.what = QLabel(self)
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.what)
        self.search = QLineEdit(self)
        self.search.setObjectName("ForwardSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.chats = QListWidget(self)
        self.chats.setObjectName("ForwardTargets")
        for conversation_id, name in targets:
            item = QListWidgetItem(name or conversation_id, self.chats)
            item.setData(ID_ROLE, conversation_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.chats.itemChanged.connect(self._changed)
        self.chats.itemActivated.connect(self._toggle)
        layout.addWidget(self.chats, 1)
        self.comment = QLineEdit(self)
        self.comment.setObjectName("ForwardComment")
        layout.addWidget(self.comment)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.send_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(380, 460)
        self.retranslate()
        self._changed()
        self.search.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "send_button"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        merged, count = self._merged, self._count
        self.setWindowTitle(self.tr("Forward as chat history") if merged else self.tr("Forward"))
        self.what.setText(
            self.tr("%n message(s) as one chat history", "", count)
            if merged
            else self.tr("%n message(s)", "", count)
        )
        self.search.setPlaceholderText(self.tr("Search chats"))
        self.search.setAccessibleName(self.tr("Search chats"))
        self.chats.setAccessibleName(self.tr("Chats"))
        self.comment.setPlaceholderText(self.tr("Add a comment (optional)"))
        self.comment.setAccessibleName(self.tr("Comment"))
        self.send_button.setText(self.tr("Forward"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.chats.count()):
            item = self.chats.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _toggle(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _changed(self, *args: object) -> None:
        self.send_button.setEnabled(bool(self.chosen()))

    def check(self, conversation_id: str) -> None:
        for row in range(self.chats.count()):
            item = self.chats.item(row)
            if item.data(ID_ROLE) == conversation_id:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[str]:
        return [
            str(self.chats.item(row).data(ID_ROLE))
            for row in range(self.chats.count())
            if self.chats.item(row).checkState() == Qt.CheckState.Checked
        ]
