"""A profile card: avatar, name, remark, ID, signature, presence, and the actions the
relationship allows (send message, add friend, remark, friend groups, block, delete).

``ProfileCard`` is a widget (the Contacts page and the new-chat dialog embed it);
``ProfileCardDialog`` shows one for a user clicked in a chat, a member list or a notice.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.models import Gender
from messenger.ui.ask_text import ask_text
from messenger.ui.async_slots import async_slot
from messenger.ui.avatars import avatar_pixmap
from messenger.ui.confirm import confirm
from messenger.viewmodels.people import PeopleViewModel

CARD_AVATAR = 72


class AddFriendDialog(QDialog):
    """The note, remark and friend group of a friend request."""

    def __init__(self, people: PeopleViewModel, user_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AddFriendDialog")
        self.people = people
        self.user_id = user_id
        self.setWindowTitle(self.tr("Add friend"))
        form = QFormLayout(self)
        self.note = QLineEdit(self)
        self.note.setMaxLength(120)
        me = people.my_profile().nickname or people.me
        self.note.setText(self.tr("Hi, I'm {name}").format(name=me))
        self.remark = QLineEdit(self)
        self.remark.setMaxLength(96)
        self.group = QLineEdit(self)
        self.group.setPlaceholderText(self.tr("Friend group (optional)"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Remark"), self.remark)
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        self.send = QPushButton(self.tr("Send request"), self)
        self.send.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"), self)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.send)
        form.addRow(buttons)
        cancel.clicked.connect(self.reject)
        self.send.clicked.connect(self.submit)
        people.error_occurred.connect(self._show_error)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    @async_slot()
    async def submit(self) -> None:
        self.send.setEnabled(False)
        ok = await self.people.add_friend(
            self.user_id, self.note.text(), self.remark.text(), self.group.text().strip()
        )
        self.send.setEnabled(True)
        if ok:
            self.accept()

    def done(self, result: int) -> None:
        self.people.error_occurred.disconnect(self._show_error)
        super().done(result)


class ProfileCard(QWidget):
    message_requested = Signal(str)  # a conversation ID to open

    def __init__(self, people: PeopleViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProfileCard")
        self.people = people
        self.user_id = ""
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.avatar = QLabel(self)
        self.avatar.setFixedSize(QSize(CARD_AVATAR, CARD_AVATAR))
        names = QVBoxLayout()
        self.name = QLabel(self)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel(self)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        for label in (self.name, self.subtitle, self.status):
            names.addWidget(label)
        top.addWidget(self.avatar)
        top.addLayout(names, 1)
        layout.addLayout(top)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.details)
        actions = QHBoxLayout()
        self.message_button = QPushButton(self)
        self.add_button = QPushButton(self)
        self.remark_button = QPushButton(self)
        self.groups_button = QPushButton(self)
        self.block_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        for button in (
            self.message_button,
            self.add_button,
            self.remark_button,
            self.groups_button,
            self.block_button,
            self.delete_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addStretch(1)
        self.message_button.clicked.connect(self._message)
        self.add_button.clicked.connect(self._add)
        self.remark_button.clicked.connect(self._remark)
        self.groups_button.clicked.connect(self._groups)
        self.block_button.clicked.connect(self._block)
        self.delete_button.clicked.connect(self._delete)
        people.contacts_changed.connect(self.refresh)
        people.profile_changed.connect(self._maybe_refresh)
        people.presence_changed.connect(self._maybe_refresh)
        self.show_user("")

    def show_user(self, user_id: str) -> None:
        self.user_id = user_id
        self.refresh()

    def _maybe_refresh(self, user_id: str) -> None:
        if user_id == self.user_id:
            self.refresh()

    def refresh(self) -> None:
        user_id = self.user_id
        self.setVisible(bool(user_id))
        if not user_id:
            return
        card = self.people.card(user_id)
        profile = card.profile
        ratio = self.devicePixelRatioF()
        color = self.palette().color(QPalette.ColorRole.HighlightedText)
        pixmap: QPixmap = avatar_pixmap(user_id, card.name, CARD_AVATAR, ratio, color)
        self.avatar.setPixmap(pixmap)
        self.name.setText(card.name)
        nickname = profile.nickname if profile else ""
        parts = []
        if card.remark and nickname:
            parts.append(self.tr("Nickname: {name}").format(name=nickname))
        parts.append(self.tr("ID: {id}").format(id=user_id))
        self.subtitle.setText("  ·  ".join(parts))
        self.status.setText(card.status)
        lines = []
        if profile is not None:
            if profile.signature:
                lines.append(profile.signature)
            if profile.location:
                lines.append(self.tr("Location: {place}").format(place=profile.location))
            if profile.gender is not Gender.UNKNOWN:
                gender = self.tr("male") if profile.gender is Gender.MALE else self.tr("female")
                lines.append(self.tr("Gender: {gender}").format(gender=gender))
        if card.groups:
            lines.append(self.tr("Friend groups: {groups}").format(groups=", ".join(card.groups)))
        if card.blocked:
            lines.append(self.tr("You have blocked this user."))
        self.details.setText("\n".join(lines))
        friend = card.relation.value != "none"
        self.message_button.setText(self.tr("Send message"))
        self.add_button.setText(self.tr("Add friend"))
        self.remark_button.setText(self.tr("Set remark…"))
        self.groups_button.setText(self.tr("Friend groups…"))
        self.block_button.setText(self.tr("Unblock") if card.blocked else self.tr("Block"))
        self.delete_button.setText(self.tr("Delete friend"))
        self.add_button.setVisible(not friend and not card.is_me)
        self.remark_button.setVisible(friend)
        self.groups_button.setVisible(friend)
        self.block_button.setVisible(not card.is_me)
        self.delete_button.setVisible(friend)

    # -- actions ---------------------------------------------------------------------------------
    def _message(self) -> None:
        if self.user_id:
            self.message_requested.emit("C2C" + self.user_id)

    def _add(self) -> None:
        dialog = AddFriendDialog(self.people, self.user_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _remark(self) -> None:
        card = self.people.card(self.user_id)
        user_id = self.user_id
        ask_text(
            self,
            self.tr("Set remark"),
            self.tr("Remark for {name}").format(name=card.name),
            card.remark,
            lambda text: self._run(self.people.set_remark(user_id, text.strip())),
        )

    def _groups(self) -> None:
        card = self.people.card(self.user_id)
        user_id = self.user_id

        def chosen(text: str) -> None:
            groups = [g.strip() for g in text.split(",") if g.strip()]
            self._run(self.people.set_groups(user_id, groups))

        ask_text(
            self,
            self.tr("Friend groups"),
            self.tr("Friend groups, separated by commas"),
            ", ".join(card.groups),
            chosen,
        )

    @async_slot()
    async def _block(self) -> None:
        card = self.people.card(self.user_id)
        await self.people.set_blocked(self.user_id, not card.blocked)

    def _delete(self) -> None:
        card = self.people.card(self.user_id)
        user_id = self.user_id
        confirm(
            self,
            self.tr("Delete friend"),
            self.tr("Delete {name} from your friends?").format(name=card.name),
            self.tr("Delete"),
            lambda: self._run(self.people.delete_friend(user_id)),
        )

    def _run(self, work: Coroutine[Any, Any, object]) -> None:
        self.people.spawn(_discard(work))


async def _discard(work: Coroutine[Any, Any, object]) -> None:
    await work


class ProfileCardDialog(QDialog):
    message_requested = Signal(str)

    def __init__(self, people: PeopleViewModel, user_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ProfileCardDialog")
        self.setWindowTitle(self.tr("Profile"))
        layout = QVBoxLayout(self)
        self.card = ProfileCard(people, self)
        layout.addWidget(self.card)
        self.card.show_user(user_id)
        self.card.message_requested.connect(self._message)
        self.resize(460, 260)

    def _message(self, conversation_id: str) -> None:
        self.message_requested.emit(conversation_id)
        self.accept()
