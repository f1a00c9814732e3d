"""An avatar field for a form (my profile, a group): the current picture, "Choose picture…", the
cropper, and the chosen square kept as PNG until the form is saved (and the picture uploaded)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from messenger.ui.avatar_cropper import AvatarCropDialog, centred_square
from messenger.ui.avatars import avatar_pixmap
from messenger.ui.file_dialogs import choose_file

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


class AvatarChooser(QWidget):
    refused = Signal(str)  # the chosen file is no picture, in words

    def __init__(
        self, key: str, name: str, parent: QWidget | None = None, *, side: int = PREVIEW
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AvatarChooser")
        self.png = b""  # the chosen square, not uploaded yet ("" while nothing is chosen)
        self._key = key
        self._side = side
        self.preview = QLabel(self)
        self.preview.setObjectName("AvatarPreview")
        self.preview.setFixedSize(side, side)
        self.preview.setScaledContents(True)
        self.pick = QPushButton(self.tr("Choose picture…"), self)
        self.pick.setObjectName("ChoosePicture")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addWidget(self.pick)
        row.addStretch(1)
        self.pick.clicked.connect(self.choose_picture)
        self.set_name(name)

    def set_name(self, name: str) -> None:
        """The generated avatar (initials) for ``name``, while no picture is chosen."""
        if not self.png:
            ratio = self.devicePixelRatioF()
            white = QColor(255, 255, 255)
            self.preview.setPixmap(avatar_pixmap(self._key, name, self._side, ratio, white))

    def show_current(self, data: bytes) -> None:
        """The picture in use now (downloaded), unless one was chosen meanwhile."""
        if data and not self.png:
            self.preview.setPixmap(QPixmap.fromImage(QImage.fromData(data)))

    def choose_picture(self) -> None:
        path = choose_file(
            self,
            self.tr("Choose a picture"),
            self.tr("Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp)"),
        )
        if path is not None:
            self.crop_picture(QImage(str(path)))

    def crop_picture(self, image: QImage) -> AvatarCropDialog | None:
        """Let me choose the square of ``image``; it is previewed here once I accept."""
        if image.isNull():
            self.refused.emit(self.tr("That file is not a picture."))
            return None
        cropper = AvatarCropDialog(image, self.window())
        cropper.accepted.connect(lambda: self.use_picture(image, cropper.selection()))
        cropper.finished.connect(cropper.deleteLater)
        cropper.open()
        return cropper

    def use_picture(self, image: QImage, part: QRect | None = None) -> bool:
        """Take ``part`` of ``image`` (its centred square by default) and preview it."""
        if image.isNull():
            self.refused.emit(self.tr("That file is not a picture."))
            return False
        self.png = square_png(image, part)
        self.preview.setPixmap(QPixmap.fromImage(QImage.fromData(self.png)))
        return True
