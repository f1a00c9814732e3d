"""Sending a location: a place's description and its coordinates, typed in (a desktop has no
position of its own to offer). The numbers are bounded as the protocol bounds them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)


class LocationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LocationDialog")
        self.setWindowTitle(self.tr("Send a location"))
        self.description = QLineEdit(self)
        self.description.setObjectName("Description")
        self.description.setMaxLength(200)
        self.description.setPlaceholderText(self.tr("What is there (optional)"))
        self.latitude = self._number(-90.0, 90.0, "Latitude")
        self.longitude = self._number(-180.0, 180.0, "Longitude")
        buttons = QDialogButtonBox(self)
        send = buttons.addButton(self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        send.setObjectName("Send")
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Place"), self.description)
        form.addRow(self.tr("Latitude"), self.latitude)
        form.addRow(self.tr("Longitude"), self.longitude)
        form.addRow(buttons)

    def _number(self, low: float, high: float, name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setObjectName(name)
        box.setDecimals(6)
        box.setRange(low, high)
        box.setSingleStep(0.001)
        return box
