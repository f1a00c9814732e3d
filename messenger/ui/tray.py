"""The app's icon, the unread badge painted on it (C4), and the tray icon with notifications.

Icons are painted by a ``QIconEngine`` at the exact size and device pixel ratio asked for, so
they stay crisp on every screen (no scaled bitmaps). The badge shows the total unread count
("99+" above 99). Notifications go through ``QSystemTrayIcon.showMessage``; where the desktop
has no tray, nothing pops up but the badge state is kept (and tests can read it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QIcon,
    QIconEngine,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from messenger.viewmodels.notifications import Notification

BADGE_RED = QColor("#e0413a")
_SHOW_MS = 6000


def paint_app_icon(painter: QPainter, rect: QRectF) -> None:
    """The Messenger mark: a blue rounded square with a white speech bubble."""
    side = min(rect.width(), rect.height())
    box = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    gradient = QLinearGradient(box.topLeft(), box.bottomRight())
    gradient.setColorAt(0.0, QColor("#4c8df6"))
    gradient.setColorAt(1.0, QColor("#2a5fc1"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(box, side * 0.22, side * 0.22)
    bubble = QPainterPath()
    body = QRectF(box.x() + side * 0.2, box.y() + side * 0.22, side * 0.6, side * 0.44)
    bubble.addRoundedRect(body, side * 0.14, side * 0.14)
    tail = QPainterPath()
    tail.moveTo(body.left() + side * 0.14, body.bottom() - side * 0.02)
    tail.lineTo(body.left() + side * 0.1, body.bottom() + side * 0.14)
    tail.lineTo(body.left() + side * 0.3, body.bottom() - side * 0.02)
    tail.closeSubpath()
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(bubble.united(tail))
    painter.setBrush(QColor("#3573dc"))
    for i in range(3):  # the "typing" dots
        centre = QPointF(body.left() + body.width() * (0.3 + 0.2 * i), body.center().y())
        painter.drawEllipse(centre, side * 0.045, side * 0.045)
    painter.restore()


def badge_text(count: int) -> str:
    return "" if count <= 0 else "99+" if count > 99 else str(count)


def paint_badge(painter: QPainter, rect: QRectF, count: int) -> None:
    """A red pill with the count in the top-right corner of ``rect``."""
    text = badge_text(count)
    if not text:
        return
    side = min(rect.width(), rect.height())
    height = side * 0.52
    width = max(height, height * (0.42 + 0.3 * len(text)))
    pill = QRectF(rect.right() - width, rect.top(), width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BADGE_RED)
    painter.drawRoundedRect(pill, height / 2, height / 2)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(1, round(height * {1: 0.72, 2: 0.6}.get(len(text), 0.5))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class _PaintedIconEngine(QIconEngine):
    """Paints the app icon (with a badge when ``count`` > 0) at any size and pixel ratio."""

    def __init__(self, count: int = 0) -> None:
        super().__init__()
        self.count = count

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        area = QRectF(rect)
        paint_app_icon(painter, area)
        paint_badge(painter, area, self.count)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _PaintedIconEngine(self.count)

    def key(self) -> str:
        return "messenger-painted"


def app_icon(unread: int = 0) -> QIcon:
    return QIcon(_PaintedIconEngine(unread))


class TrayIcon(QObject):
    """The tray icon: unread badge, tooltip, menu (Open, Quit) and desktop notifications."""

    open_requested = Signal()
    quit_requested = Signal()
    notification_clicked = Signal(str)  # conversation ID ("" for a summary of several)
    notification_shown = Signal(object)  # Notification, once handed to the desktop

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.unread = 0
        self.user_id = ""
        self._last_conversation = ""
        self._tray = QSystemTrayIcon(app_icon(), self)
        self._menu = QMenu()
        self._open_action = QAction(self._menu)
        self._open_action.triggered.connect(self.open_requested)
        self._quit_action = QAction(self._menu)
        self._quit_action.triggered.connect(self.quit_requested)
        self._menu.addAction(self._open_action)
        self._menu.addSeparator()
        self._menu.addAction(self._quit_action)
        self._tray.setContextMenu(self._menu)
        self._tray.activated.connect(self._on_activated)
        self._tray.messageClicked.connect(
            lambda: self.notification_clicked.emit(self._last_conversation)
        )
        # The menu, a top-level widget, is told of a new language (a filter on the whole app
        # would see every event of the app).
        self._menu.installEventFilter(self)
        self.retranslate()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        if self.available():
            self._tray.show()

    def hide(self) -> None:
        self._tray.hide()

    def icon(self) -> QIcon:
        return self._tray.icon()

    def tool_tip(self) -> str:
        return self._tray.toolTip()

    def set_user(self, user_id: str) -> None:
        self.user_id = user_id
        self.retranslate()

    def set_unread(self, count: int) -> None:
        count = max(0, count)
        if count != self.unread:
            self.unread = count
            self._tray.setIcon(app_icon(count))
            self.retranslate()

    def show_notification(self, notification: Notification, popup: bool = True) -> None:
        """The tray's balloon (``popup``; off when the platform's service showed it), the
        sound, and ``notification_shown``."""
        self._last_conversation = notification.conversation_id
        if popup and self.available() and QSystemTrayIcon.supportsMessages():
            self._tray.showMessage(notification.title, notification.body, app_icon(), _SHOW_MS)
        if notification.sound:
            QApplication.beep()
        self.notification_shown.emit(notification)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange and watched is self._menu:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self._open_action.setText(self.tr("Open Messenger"))
        self._quit_action.setText(self.tr("Quit"))
        tip = self.tr("Messenger")
        if self.user_id:
            tip = self.tr("Messenger — {user}").format(user=self.user_id)
        if self.unread:
            tip += "\n" + self.tr("{count} unread").format(count=self.unread)
        self._tray.setToolTip(tip)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()
