"""Run something once a widget has been painted with what it is waiting for.

A launch shows the conversation list first and does the rest (connecting, the tray) just after
that paint, so none of it delays what the user is looking at. A window that is never painted
(started minimised, or on a platform without a screen) gets it after ``fallback_ms`` anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls ``then`` once, on the turn of the event loop after ``widget`` painted while
    ``ready()`` was true (the paint itself is not held up), or after ``fallback_ms``."""

    def __init__(
        self,
        widget: QWidget,
        then: Callable[[], None],
        *,
        ready: Callable[[], bool] = lambda: True,
        fallback_ms: int = 2000,
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        self._ready = ready
        self._done = False
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start(fallback_ms)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint and self._ready():
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._fire)  # once this paint is on the screen
        return False

    def _fire(self) -> None:
        if self._done:
            return
        self._done = True
        self._fallback.stop()
        self._widget.removeEventFilter(self)
        self._then()
