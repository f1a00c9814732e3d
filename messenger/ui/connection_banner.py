"""The connection banner (A4): a bar above the chats while the account is not connected.

"Connecting…" appears only when connecting takes longer than a moment (no flicker on a quick
reconnect); "Offline" appears at once, with "Reconnect now" to skip the backoff wait. Hidden
while connected.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from messenger.ui.theme import is_dark

CONNECTED, CONNECTING, OFFLINE = "connected", "connecting", "offline"


class ConnectionBanner(QFrame):
    reconnect_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, grace_ms: int = 1200) -> None:
        super().__init__(parent)
        self.setObjectName("ConnectionBanner")
        self.setAutoFillBackground(True)
        self.state = CONNECTED
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setInterval(grace_ms)
        self._grace.timeout.connect(self._refresh)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 8, 6)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.reconnect_requested)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.setVisible(False)
        self.retranslate()

    def set_state(self, state: str) -> None:
        """``connected``, ``connecting`` or ``offline`` (the session's connection state)."""
        if state == self.state:
            return
        previous, self.state = self.state, state
        if state == CONNECTING and previous == CONNECTED:
            self._grace.start()  # show it only if connecting takes a while
        elif state != CONNECTING:
            self._grace.stop()
        self._refresh()

    def _refresh(self) -> None:
        waiting = self.state == CONNECTING and self._grace.isActive()
        self.setVisible(self.state != CONNECTED and not waiting)
        self.button.setVisible(self.state == OFFLINE)
        self._recolour()
        self.retranslate()

    def _recolour(self) -> None:
        """Tint the bar: amber when offline, blue while connecting, for the app's theme."""
        palette = QPalette(QApplication.palette(self))  # the theme's, not our own tint
        dark = is_dark(palette)
        if self.state == OFFLINE:
            background, text = ("#4a3b12", "#ffe8a3") if dark else ("#fff1c2", "#5c4300")
        else:
            background, text = ("#243447", "#cfe3ff") if dark else ("#e3eefc", "#1d3f73")
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ApplicationPaletteChange:
            self._recolour()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if self.state == OFFLINE:
            self.label.setText(self.tr("Offline. Waiting to reconnect…"))
        else:
            self.label.setText(self.tr("Connecting…"))
        self.button.setText(self.tr("Reconnect now"))
        self.button.setAccessibleName(self.tr("Reconnect now"))
        self.setAccessibleName(self.tr("Connection status"))
        self.label.setAccessibleName(self.label.text())
