"""Edit my profile (account menu): nickname, avatar (a picture of which I choose a square,
previewed before it is uploaded), gender, birthday, location, signature, who may add me, and
whether others see when I was last online."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from messenger.protocol.models import AllowType, Gender
from messenger.ui.async_slots import async_slot
from messenger.ui.avatar_cropper import AvatarCropDialog, centred_square
from messenger.ui.avatars import avatar_pixmap
from messenger.viewmodels.people import PeopleViewModel

PREVIEW = 96
UPLOAD_SIDE = 512


def square_png(image: QImage, part: QRect | None = None, side: int = UPLOAD_SIDE) -> bytes:
    """``part`` of ``image`` (its centred square by default), at most ``side`` pixels, as PNG."""
    part = part if part is not None else centred_square(image)
    cropped = image.copy(part)
    if max(cropped.width(), cropped.height()) > side:
        cropped = cropped.scaled(
            side,
            side,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    cropped.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; it wants str)
    return bytes(data.data())


class EditProfileDialog(QDialog):
    def __init__(self, people: PeopleViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EditProfileDialog")
        self.people = people
        self.setWindowTitle(self.tr("Edit my profile"))
        profile = people.my_profile()
        self._avatar_png = b""
        form = QFormLayout(self)
        self.preview = QLabel(self)
        self.preview.setFixedSize(PREVIEW, PREVIEW)
        self.preview.setScaledContents(True)
        self.pick = QPushButton(self.tr("Choose picture…"), self)
        avatar_row = QHBoxLayout()
        avatar_row.addWidget(self.preview)
        avatar_row.addWidget(self.pick)
        avatar_row.addStretch(1)
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
        form.addRow(self.tr("Avatar"), avatar_row)
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
        self.pick.clicked.connect(self.choose_picture)
        people.error_occurred.connect(self.error.setText)
        white = QColor(255, 255, 255)
        ratio = self.devicePixelRatioF()
        name = profile.nickname or profile.user_id
        self.preview.setPixmap(avatar_pixmap(profile.user_id, name, PREVIEW, ratio, white))
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
        if avatar and not self._avatar_png:
            data = await self.people.avatar(avatar)
            if data and not self._avatar_png and shiboken6.isValid(self.preview):
                self.preview.setPixmap(QPixmap.fromImage(QImage.fromData(data)))

    def choose_picture(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a picture"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp)"),
        )
        if path:
            self.crop_picture(QImage(path))

    def crop_picture(self, image: QImage) -> AvatarCropDialog | None:
        """Let me choose the square of ``image``; it is previewed here once I accept."""
        if image.isNull():
            self.error.setText(self.tr("That file is not a picture."))
            return None
        cropper = AvatarCropDialog(image, self)
        cropper.accepted.connect(lambda: self.use_picture(image, cropper.selection()))
        cropper.finished.connect(cropper.deleteLater)
        cropper.open()
        return cropper

    def use_picture(self, image: QImage, part: QRect | None = None) -> bool:
        """Take ``part`` of ``image`` (its centred square by default) and preview it (uploaded
        on Save)."""
        if image.isNull():
            self.error.setText(self.tr("That file is not a picture."))
            return False
        self._avatar_png = square_png(image, part)
        self.preview.setPixmap(QPixmap.fromImage(QImage.fromData(self._avatar_png)))
        return True

    @async_slot()
    async def submit(self) -> None:
        self.save.setEnabled(False)
        try:
            avatar: str | None = None
            if self._avatar_png:
                avatar = await self.people.upload_avatar(self._avatar_png)
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
