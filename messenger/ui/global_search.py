"""``GlobalSearchPanel``: what the top search box finds besides the chats listed above it:
people (friends by name, remark or ID, then other users the server's people search finds) and
messages grouped by chat, with filters: the chat, the sender, the kind (all, text, file names,
links) and the time (any, today, the past week, month or year, or from one day to another
picked on calendars); "Search the server" adds the
history this device never downloaded, with the same filters. A friend opens the chat with
them, another user their profile card; a message opens its chat at that message."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
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
PERIOD_KEYS = ("", "day", "week", "month", "year", "range")
TYPING_PAUSE_MS = 0  # each keystroke searches (a newer one drops an older answer)
_TARGET = Qt.ItemDataRole.UserRole  # ("chat", cid) / ("message", cid, seq)


def _day_start(day: QDate) -> int:
    """Midnight at the start of ``day`` here, in ms since the epoch."""
    return int(QDateTime(day, QTime(0, 0)).toMSecsSinceEpoch())


class FilledOnOpen(QComboBox):
    """A combo box whose entries are made when its list opens (``fill``), not every time the
    results change: a chat filter over thousands of chats costs nothing per keystroke."""

    def __init__(self, fill: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill = fill

    def showPopup(self) -> None:
        self._fill()
        super().showPopup()


class GlobalSearchPanel(QWidget):
    chat_chosen = Signal(str)
    person_chosen = Signal(str)  # a user who is not a friend: their profile card
    message_chosen = Signal(str, int)  # conversation ID, seq

    def __init__(
        self,
        vm: GlobalSearchViewModel,
        chat_name: Callable[[str], str],
        sender_name: Callable[[str], str],
        parent: QWidget | None = None,
        chats: Callable[[], list[str]] = list,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self._chat_name = chat_name
        self._sender_name = sender_name
        self._chats = chats  # the conversations the chat filter offers, most recent first
        self.setObjectName("GlobalSearch")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 0, 10, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.in_chat = FilledOnOpen(self._fill_chats, self)
        self.in_chat.setObjectName("SearchChat")
        self.who = QComboBox(self)
        self.who.setObjectName("SearchSender")
        for combo in (self.in_chat, self.who):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4)
            top.addWidget(combo, 1)
        layout.addLayout(top)
        row = QHBoxLayout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("SearchKind")
        row.addWidget(self.kind, 1)
        self.period = QComboBox(self)
        self.period.setObjectName("SearchPeriod")
        row.addWidget(self.period, 1)
        self.server_button = QPushButton(self)
        row.addWidget(self.server_button)
        layout.addLayout(row)
        for combo in (self.kind, self.period):  # (the column stays as narrow as the user set it)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4)
        days = QHBoxLayout()  # the days of a custom range (shown with "Between days…")
        self.range_row = QWidget(self)
        self.range_row.setLayout(days)
        days.setContentsMargins(0, 0, 0, 0)
        today = QDate.currentDate()
        self.from_day = QDateEdit(today.addDays(-30), self.range_row)
        self.to_day = QDateEdit(today, self.range_row)
        self.range_dash = QLabel("–", self.range_row)
        for edit in (self.from_day, self.to_day):
            edit.setCalendarPopup(True)
            edit.setMaximumDate(today.addYears(1))
        days.addWidget(self.from_day, 1)
        days.addWidget(self.range_dash)
        days.addWidget(self.to_day, 1)
        self.range_row.hide()
        layout.addWidget(self.range_row)
        self.results = QListWidget(self)
        self.results.setObjectName("GlobalSearchResults")
        self.results.setWordWrap(True)
        self.results.setFrameShape(QListWidget.Shape.NoFrame)
        layout.addWidget(self.results, 1)
        self._pause = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._search)
        self._query = ""
        self.kind.currentIndexChanged.connect(self._filters_changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.in_chat.activated.connect(self._filters_changed)
        self.who.activated.connect(self._filters_changed)
        self.from_day.dateChanged.connect(self._filters_changed)
        self.to_day.dateChanged.connect(self._filters_changed)
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

    def _period_changed(self) -> None:
        self.range_row.setVisible(PERIOD_KEYS[max(0, self.period.currentIndex())] == "range")
        self._filters_changed()

    @async_slot()
    async def _filters_changed(self, *_args: object) -> None:
        self._pause.stop()
        self.vm.query = self._query.strip()
        period = PERIOD_KEYS[max(0, self.period.currentIndex())]
        first, last = sorted((self.from_day.date(), self.to_day.date()))
        await self.vm.set_filters(
            conversation_id=str(self.in_chat.currentData() or ""),
            sender=str(self.who.currentData() or ""),
            kind=KINDS[max(0, self.kind.currentIndex())],
            period=period,
            days=(_day_start(first), _day_start(last.addDays(1))),
        )

    def choose(self, combo: QComboBox, value: str) -> None:
        """Pick a filter's entry by its value (as a click on it does)."""
        if combo is self.in_chat:
            self._fill_chats()
        position = combo.findData(value)
        if position < 0:
            combo.addItem(self._sender_name(value), value)
            position = combo.count() - 1
        combo.setCurrentIndex(position)
        combo.activated.emit(position)

    def _fill_chats(self) -> None:
        """The chats (their names as known now), the chosen one kept."""
        current = str(self.in_chat.currentData() or "")
        self.in_chat.blockSignals(True)
        self.in_chat.clear()
        self.in_chat.addItem(self.tr("All chats"), "")
        for conversation_id in self._chats():
            self.in_chat.addItem(self._chat_name(conversation_id), conversation_id)
        self.in_chat.setCurrentIndex(max(0, self.in_chat.findData(current)))
        self.in_chat.blockSignals(False)

    def _fill_senders(self) -> None:
        current = self.vm.from_user
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem(self.tr("Anyone"), "")
        for user_id in self.vm.senders():
            name = self.tr("Me") if user_id == self.vm.me else self._sender_name(user_id)
            self.who.addItem(name, user_id)
        self.who.setCurrentIndex(max(0, self.who.findData(current)))
        self.who.blockSignals(False)

    @async_slot()
    async def _search_server(self) -> None:
        await self.vm.search_server()

    def _show(self) -> None:
        self.results.clear()
        self._fill_senders()
        if self.vm.people:
            self._section(self.tr("People"))
            for person in self.vm.people:
                if person.friend:
                    self._item(person.name, ("chat", "C2C" + person.user_id))
                else:
                    label = self.tr("{name} · not a friend").format(name=person.name)
                    self._item(label, ("person", person.user_id))
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
        elif target[0] == "person":
            self.person_chosen.emit(str(target[1]))
        else:
            self.message_chosen.emit(str(target[1]), int(target[2]))

    def retranslate(self) -> None:
        kinds = (self.tr("All kinds"), self.tr("Text"), self.tr("File names"), self.tr("Links"))
        periods = (
            self.tr("Any time"),
            self.tr("Today"),
            self.tr("Past week"),
            self.tr("Past month"),
            self.tr("Past year"),
            self.tr("Between days…"),
        )
        for combo, labels in ((self.kind, kinds), (self.period, periods)):
            current = max(0, combo.currentIndex())
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(labels))
            combo.setCurrentIndex(current)
            combo.blockSignals(False)
        self._fill_chats()
        self._fill_senders()
        self.kind.setAccessibleName(self.tr("Kind of message"))
        self.period.setAccessibleName(self.tr("When"))
        self.in_chat.setAccessibleName(self.tr("In which chat"))
        self.who.setAccessibleName(self.tr("From whom"))
        self.from_day.setAccessibleName(self.tr("From day"))
        self.to_day.setAccessibleName(self.tr("To day"))
        self.server_button.setText(self.tr("Search the server"))
        self.server_button.setToolTip(self.tr("Also search history this device never downloaded"))
