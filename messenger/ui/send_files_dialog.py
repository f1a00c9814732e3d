"""The send dialog for several files (dropped, pasted or attached at once): each file with a
thumbnail (pictures) or its type's icon, its name and size; an optional caption; "Send pictures
as files" (uncompressed, metadata kept) instead of as photos. Send queues them in this order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo, QSize, Qt
from PySide6.QtGui import QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileIconProvider,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from messenger.viewmodels.cards import size_text
from messenger.viewmodels.composer import PHOTO_SUFFIXES

THUMB = 56


def is_picture(path: Path) -> bool:
    return path.suffix.lower() in PHOTO_SUFFIXES


def thumbnail(path: Path) -> QIcon:
    """A small picture of the file (read scaled down, so a big photo costs little), or the
    system's icon for its type."""
    if is_picture(path):
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and not size.isEmpty():
            reader.setScaledSize(
                size.scaled(THUMB * 2, THUMB * 2, Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        if not image.isNull():
            return QIcon(QPixmap.fromImage(image))
    return QFileIconProvider().icon(QFileInfo(str(path)))


class SendFilesDialog(QDialog):
    def __init__(self, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SendFilesDialog")
        self.setWindowTitle(self.tr("Send %n file(s)", "", len(paths)))
        self.paths = list(paths)
        self.list = QListWidget(self)
        self.list.setObjectName("Files")
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        for path in self.paths:
            try:
                detail = size_text(path.stat().st_size)
            except OSError:
                detail = ""
            item = QListWidgetItem(thumbnail(path), f"{path.name}\n{detail}")
            item.setToolTip(str(path))
            self.list.addItem(item)
        self.caption = QLineEdit(self)
        self.caption.setObjectName("Caption")
        self.caption.setPlaceholderText(self.tr("Add a caption (optional)"))
        self.as_files = QCheckBox(self.tr("Send pictures as files (uncompressed)"), self)
        self.as_files.setObjectName("AsFiles")
        self.as_files.setVisible(any(is_picture(p) for p in self.paths))
        buttons = QDialogButtonBox(self)
        send = buttons.addButton(self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        send.setObjectName("Send")
        send.setDefault(True)
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.as_files)
        layout.addWidget(buttons)
        self.resize(440, min(560, 170 + 66 * len(self.paths)))
        self.caption.setFocus()
