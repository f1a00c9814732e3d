"""The new-chat dialog ("+" above the conversation list, Ctrl+N): find people by ID or nickname,
see their profile card, send a message (the chat opens at once; the conversation enters the
list with the first message) or add them as a friend."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.models import Profile
from messenger.ui.async_slots import async_slot
from messenger.ui.profile_card import ProfileCard
from messenger.viewmodels.people import PeopleViewModel

SEARCH_DELAY_MS = 250


class NewChatDialog(QDialog):
    conversation_requested = Signal(str)

    def __init__(self, people: PeopleViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewChatDialog")
        self.people = people
        self.setWindowTitle(self.tr("New chat"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("PeopleSearch")
        self.search.setPlaceholderText(self.tr("Search people by ID or nickname"))
        self.search.setAccessibleName(self.tr("Search people"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        body = QHBoxLayout()
        self.results = QListWidget(self)
        self.results.setObjectName("PeopleResults")
        self.results.setAccessibleName(self.tr("People found"))
        self.results.setMaximumWidth(260)
        body.addWidget(self.results)
        right = QVBoxLayout()
        self.hint = QLabel(self.tr("Type an ID or a nickname."), self)
        self.hint.setWordWrap(True)
        self.card = ProfileCard(people, self)
        right.addWidget(self.hint)
        right.addWidget(self.card, 1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        self.notice = QLabel(self)
        self.notice.setObjectName("PeopleNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.results.currentItemChanged.connect(self._selected)
        self.card.message_requested.connect(self._message)
        people.search_finished.connect(self._show_results)
        people.error_occurred.connect(self.notice.setText)
        people.info.connect(self.notice.setText)

    @async_slot()
    async def run_search(self) -> None:
        self._timer.stop()
        self.notice.clear()
        await self.people.search(self.search.text())

    def _show_results(self, profiles: list[Profile]) -> None:
        self.results.clear()
        for profile in profiles:
            label = profile.nickname or profile.user_id
            if profile.nickname and profile.nickname != profile.user_id:
                label = f"{profile.nickname} ({profile.user_id})"
            item = QListWidgetItem(label, self.results)
            item.setData(Qt.ItemDataRole.UserRole, profile.user_id)
        has = bool(profiles)
        self.hint.setText("" if has else self.tr("Nobody found."))
        self.hint.setVisible(not has)
        if has:
            self.results.setCurrentRow(0)
        else:
            self.card.show_user("")

    def _selected(self, item: QListWidgetItem | None) -> None:
        user_id = str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""
        self.card.show_user(user_id)
        if user_id:
            self.people.watch(user_id)

    def _message(self, conversation_id: str) -> None:
        self.conversation_requested.emit(conversation_id)
        self.accept()

    def done(self, result: int) -> None:
        self.people.search_finished.disconnect(self._show_results)
        self.people.error_occurred.disconnect(self.notice.setText)
        self.people.info.disconnect(self.notice.setText)
        super().done(result)
