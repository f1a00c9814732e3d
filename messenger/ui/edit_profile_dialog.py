"""Edit my profile (account menu): nickname, avatar (``AvatarChooser``: a square I choose of a
picture, previewed before it is uploaded), gender, birthday, location, signature, who may add
me, and whether others see when I was last online."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from messenger.protocol.models import AllowType, Gender
from messenger.ui.async_slots import async_slot
from messenger.ui.avatar_chooser import AvatarChooser
from messenger.viewmodels.people import PeopleViewModel


class EditProfileDialog(QDialog):
    def __init__(self, people: PeopleViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EditProfileDialog")
        self.people = people
        self.setWindowTitle(self.tr("Edit my profile"))
        profile = people.my_profile()
        form = QFormLayout(self)
        self.avatar = AvatarChooser(profile.user_id, profile.nickname or profile.user_id, self)
        self.nickname = QLineEdit(profile.nickname, self)
        self.gender = QComboBox(self)
        for label, value in (
            (self.tr("Not given"), Gender.UNKNOWN),
            (self.tr("Male"), Gender.MALE),
            (self.tr("Female"), Gender.FEMALE),
        ):
            self.gender.addItem(label, value.value)
        self.gender.setCurrentIndex(max(0, self.gender.findData(profile.gender.value)))
        self.has_birthday = QCheckBox(self.tr("Show a birthday"), self)
        self.birthday = QDateEdit(self)
        self.birthday.setDisplayFormat("yyyy-MM-dd")
        self.birthday.setCalendarPopup(True)
        if profile.birthday:
            b = profile.birthday
            self.birthday.setDate(QDate(b // 10000, b // 100 % 100, b % 100))
            self.has_birthday.setChecked(True)
        else:
            self.birthday.setDate(QDate(2000, 1, 1))
        self.birthday.setEnabled(self.has_birthday.isChecked())
        self.has_birthday.toggled.connect(self.birthday.setEnabled)
        birthday_row = QHBoxLayout()
        birthday_row.addWidget(self.has_birthday)
        birthday_row.addWidget(self.birthday)
        self.location = QLineEdit(profile.location, self)
        self.signature = QLineEdit(profile.signature, self)
        self.allow = QComboBox(self)
        for label, allow in (
            (self.tr("Anyone (added at once)"), AllowType.ANYONE),
            (self.tr("Needs my approval"), AllowType.APPROVAL),
            (self.tr("Nobody"), AllowType.NOBODY),
        ):
            self.allow.addItem(label, allow.value)
        self.allow.setCurrentIndex(max(0, self.allow.findData(profile.allow_type.value)))
        self.status = QLineEdit(self)
        self.status.setPlaceholderText(self.tr("What you are up to (seen by your friends)"))
        self._status_before = ""
        self.hide_last_seen = QCheckBox(self.tr("Hide when I was last online"), self)
        self.hide_last_seen.setChecked(profile.hide_last_seen)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        form.addRow(self.tr("Avatar"), self.avatar)
        form.addRow(self.tr("Nickname"), self.nickname)
        form.addRow(self.tr("Gender"), self.gender)
        form.addRow(self.tr("Birthday"), birthday_row)
        form.addRow(self.tr("Location"), self.location)
        form.addRow(self.tr("Signature"), self.signature)
        form.addRow(self.tr("Who may add me"), self.allow)
        form.addRow(self.tr("Status"), self.status)
        form.addRow(self.hide_last_seen)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        self.save = QPushButton(self.tr("Save"), self)
        self.save.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"), self)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save)
        form.addRow(buttons)
        cancel.clicked.connect(self.reject)
        self.save.clicked.connect(self.submit)
        self.avatar.refused.connect(self.error.setText)
        people.error_occurred.connect(self.error.setText)
        self._show_current_avatar()

    @async_slot()
    async def _show_current_avatar(self) -> None:
        # The dialog may be closed (and deleted) while either answer is on its way.
        status_text = await self.people.my_status_text()
        if not shiboken6.isValid(self.status):
            return
        self._status_before = status_text
        if not self.status.text():
            self.status.setText(self._status_before)
        avatar = self.people.my_profile().avatar
        if avatar and not self.avatar.png:
            data = await self.people.avatar(avatar)
            if shiboken6.isValid(self.avatar):
                self.avatar.show_current(data)

    @async_slot()
    async def submit(self) -> None:
        self.save.setEnabled(False)
        try:
            avatar: str | None = None
            if self.avatar.png:
                avatar = await self.people.upload_avatar(self.avatar.png)
                if not avatar:
                    return
            date = self.birthday.date()
            birthday = (
                date.year() * 10000 + date.month() * 100 + date.day()
                if self.has_birthday.isChecked()
                else 0
            )
            ok = await self.people.update_profile(
                nickname=self.nickname.text().strip(),
                avatar=avatar,
                gender=Gender(self.gender.currentData()),
                birthday=birthday,
                location=self.location.text().strip(),
                signature=self.signature.text().strip(),
                allow_type=AllowType(self.allow.currentData()),
                hide_last_seen=self.hide_last_seen.isChecked(),
            )
            status = self.status.text().strip()
            if ok and status != self._status_before:
                ok = await self.people.set_status_text(status)
            if ok:
                self.accept()
        finally:
            self.save.setEnabled(True)

    def done(self, result: int) -> None:
        self.people.error_occurred.disconnect(self.error.setText)
        super().done(result)
