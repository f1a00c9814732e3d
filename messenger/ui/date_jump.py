"""Jump to a date: the chat header's calendar button opens a calendar; the day picked opens the
chat at the first message of that day (or after it, when that day has none)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QEvent, QTime, Signal
from PySide6.QtWidgets import QCalendarWidget, QMenu, QToolButton, QWidget, QWidgetAction


class DateJumpButton(QToolButton):
    day_chosen = Signal(object)  # int: the day's start, local time, in ms since the epoch

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setText("📅")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.calendar = QCalendarWidget(self.menu_)
        self.calendar.setMaximumDate(QDate.currentDate())
        self.calendar.setGridVisible(False)
        action = QWidgetAction(self.menu_)
        action.setDefaultWidget(self.calendar)
        self.menu_.addAction(action)
        self.setMenu(self.menu_)
        self.calendar.clicked.connect(self._chosen)
        self.calendar.activated.connect(self._chosen)
        self.retranslate()

    def _chosen(self, day: QDate) -> None:
        self.menu_.hide()
        self.day_chosen.emit(QDateTime(day, QTime(0, 0)).toMSecsSinceEpoch())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setToolTip(self.tr("Jump to a date"))
        self.setAccessibleName(self.tr("Jump to a date"))
