"""The sticker picker: a popup grid of the app's sticker pack above the composer; a click sends
the sticker at once (``chosen``)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QToolButton, QWidget

from messenger.ui.sticker_pack import NAMES, sticker_icon

COLUMNS = 4


class StickerPicker(QFrame):
    chosen = Signal(str)  # the sticker's name in the pack

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("StickerPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setSpacing(4)
        self.buttons: dict[str, QToolButton] = {}
        for i, name in enumerate(NAMES):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setAutoRaise(True)
            button.setIcon(sticker_icon(name, 56))
            button.setIconSize(QSize(56, 56))
            button.setToolTip(name.replace("_", " "))
            button.setAccessibleName(name.replace("_", " "))
            button.clicked.connect(lambda _=False, n=name: self._choose(n))
            grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.buttons[name] = button
        self.adjustSize()

    def _choose(self, name: str) -> None:
        self.hide()
        self.chosen.emit(name)
