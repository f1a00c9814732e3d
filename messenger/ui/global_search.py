"""``GlobalSearchPanel``: what the top search box finds besides the chats listed above it:
people (friends by name, remark or ID) and messages grouped by chat, with a kind filter (all,
text, file names, links); "Search the server" adds the history this device never downloaded.
A person opens the chat with them; a message opens its chat at that message."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from messenger.core import LocalMessage
from messenger.protocol.fulltext import SearchKind
from messenger.ui.async_slots import async_slot
from messenger.viewmodels.formatting import single_line
from messenger.viewmodels.search import GlobalSearchViewModel

KINDS: tuple[SearchKind, ...] = ("", "text", "file", "link")
TYPING_PAUSE_MS = 0  # each keystroke searches (a newer one drops an older answer)
_TARGET = Qt.ItemDataRole.UserRole  # ("chat", cid) / ("message", cid, seq)


class GlobalSearchPanel(QWidget):
    chat_chosen = Signal(str)
    message_chosen = Signal(str, int)  # conversation ID, seq

    def __init__(
        self,
        vm: GlobalSearchViewModel,
        chat_name: Callable[[str], str],
        sender_name: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self._chat_name = chat_name
        self._sender_name = sender_name
        self.setObjectName("GlobalSearch")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 0, 10, 0)
        row = QHBoxLayout()
        self.kind = QComboBox(self)
        row.addWidget(self.kind, 1)
        self.server_button = QPushButton(self)
        row.addWidget(self.server_button)
        layout.addLayout(row)
        self.results = QListWidget(self)
        self.results.setObjectName("GlobalSearchResults")
        self.results.setWordWrap(True)
        self.results.setFrameShape(QListWidget.Shape.NoFrame)
        layout.addWidget(self.results, 1)
        self._pause = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._search)
        self._query = ""
        self.kind.currentIndexChanged.connect(lambda _i: self._search())
        self.server_button.clicked.connect(self._search_server)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)
        vm.changed.connect(self._show)
        self.retranslate()

    def set_query(self, text: str) -> None:
        """The top box's text (searched once typing pauses)."""
        self._query = text
        self.setVisible(bool(text.strip()))
        self._pause.start()

    @async_slot()
    async def _search(self) -> None:
        self._pause.stop()
        await self.vm.search(self._query, KINDS[max(0, self.kind.currentIndex())])

    @async_slot()
    async def _search_server(self) -> None:
        await self.vm.search_server()

    def _show(self) -> None:
        self.results.clear()
        if self.vm.people:
            self._section(self.tr("People"))
            for person in self.vm.people:
                self._item(person.name, ("chat", "C2C" + person.user_id))
        if self.vm.chats:
            self._section(self.tr("Messages"))
            for chat in self.vm.chats:
                count = (
                    self.tr("1 message")
                    if chat.count == 1
                    else self.tr("{count} messages").format(count=chat.count)
                )
                self._item(f"{self._chat_name(chat.conversation_id)} · {count}", None, bold=True)
                for message in chat.messages:
                    self._message(message, indent=True)
        if self.vm.server_asked:
            self._section(self.tr("On the server"))
            for message in self.vm.server:
                self._message(message, indent=False)
            if not self.vm.server:
                self._item(self.tr("Nothing more on the server"), None)
        elif self.vm.query and not self.vm.people and not self.vm.chats:
            self._item(self.tr("No messages here; search the server?"), None)
        self.server_button.setEnabled(bool(self.vm.query) and not self.vm.server_asked)

    def _section(self, title: str) -> None:
        item = QListWidgetItem(title, self.results)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setWeight(QFont.Weight.DemiBold)
        item.setFont(font)
        item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        item.setFlags(Qt.ItemFlag.NoItemFlags)

    def _item(self, text: str, target: tuple[object, ...] | None, bold: bool = False) -> None:
        item = QListWidgetItem(text, self.results)
        item.setData(_TARGET, target)
        if bold:
            font = QFont(self.font())
            font.setWeight(QFont.Weight.DemiBold)
            item.setFont(font)
        if target is None and not bold:
            item.setFlags(Qt.ItemFlag.NoItemFlags)

    def _message(self, message: LocalMessage, indent: bool) -> None:
        words = single_line(message.text or str(message.body.get("name", "")))
        who = self._sender_name(message.sender)
        where = "" if indent else f"{self._chat_name(message.conversation_id)} · "
        prefix = "    " if indent else ""
        self._item(
            f"{prefix}{where}{who}: {words}", ("message", message.conversation_id, message.seq)
        )

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(_TARGET)
        if not target:
            return
        if target[0] == "chat":
            self.chat_chosen.emit(str(target[1]))
        else:
            self.message_chosen.emit(str(target[1]), int(target[2]))

    def retranslate(self) -> None:
        current = max(0, self.kind.currentIndex())
        self.kind.blockSignals(True)
        self.kind.clear()
        labels = (self.tr("All"), self.tr("Text"), self.tr("File names"), self.tr("Links"))
        self.kind.addItems(list(labels))
        self.kind.setCurrentIndex(current)
        self.kind.blockSignals(False)
        self.kind.setAccessibleName(self.tr("Kind of message"))
        self.server_button.setText(self.tr("Search the server"))
        self.server_button.setToolTip(self.tr("Also search history this device never downloaded"))
