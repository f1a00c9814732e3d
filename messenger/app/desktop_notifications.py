"""Notifications through the platform's notification service, with click to open the chat.

``desktop-notifier`` speaks to the freedesktop notification service over D-Bus on Linux (GNOME,
KDE, Xfce, dunst, … with or without a system tray), to the Notification Center on macOS and to
the Windows notification platform. Where it cannot (no session bus, no notification service)
the tray's balloon is used instead, if the desktop has a tray. The tray also keeps the unread
badge, and the sound and the taskbar flash happen either way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from messenger.ui.tray import TrayIcon, app_icon
from messenger.viewmodels.notifications import Notification

log = logging.getLogger(__name__)
# It logs a failed send as a warning with a traceback; we say it once, in words, and fall back.
logging.getLogger("desktop_notifier").setLevel(logging.ERROR)

_RETRY_AFTER = 60.0  # after a failure, the tray's balloon for a while before trying again
_TIMEOUT = 5.0


class DesktopNotifications(QObject):
    """Shows notifications; ``clicked(conversation_id)`` when one is clicked."""

    clicked = Signal(str)

    def __init__(self, tray: TrayIcon, icon_dir: Path, *, enabled: bool = True) -> None:
        super().__init__()
        self.tray = tray
        self.enabled = enabled
        self._icon_dir = icon_dir
        self._notifier: Any = None  # desktop_notifier.DesktopNotifier, made on first use
        self._failed_at: float | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.sent = 0  # notifications the platform service took

    def show(self, notification: Notification) -> None:
        if not self._usable():
            self.tray.show_notification(notification)
            return
        task = asyncio.get_running_loop().create_task(self._send(notification))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._disconnect()

    def _disconnect(self) -> None:
        """Let go of the D-Bus connection (desktop-notifier keeps it as ``bus``)."""
        notifier, self._notifier = self._notifier, None
        bus = getattr(getattr(notifier, "_backend", None), "bus", None)
        if bus is not None:
            bus.disconnect()

    def _usable(self) -> bool:
        if not self.enabled:
            return False
        failed = self._failed_at
        return failed is None or time.monotonic() - failed > _RETRY_AFTER

    async def _send(self, notification: Notification) -> None:
        try:
            from desktop_notifier import Notification as Native

            notifier = self._notifier or self._make_notifier()
            conversation_id = notification.conversation_id
            dispatched: list[bool] = []
            native = Native(
                title=notification.title,
                message=notification.body,
                on_clicked=lambda: self.clicked.emit(conversation_id),
                on_dispatched=lambda: dispatched.append(True),  # only when the service took it
            )
            async with asyncio.timeout(_TIMEOUT):
                await notifier.send_notification(native)
            if not dispatched:
                raise RuntimeError("the notification service did not take it")
        except Exception as exc:  # noqa: BLE001 - no service: the tray's balloon instead
            log.info("the desktop notification service is not available: %r", exc)
            self._failed_at = time.monotonic()
            self._disconnect()
            self.tray.show_notification(notification)
            return
        self._failed_at = None
        self.sent += 1
        self.tray.show_notification(notification, popup=False)  # sound, taskbar flash

    def _make_notifier(self) -> Any:
        from desktop_notifier import DesktopNotifier, Icon

        icon = None
        path = self._icon_dir / "messenger.png"
        try:
            self._icon_dir.mkdir(parents=True, exist_ok=True)
            if app_icon().pixmap(128, 128).save(str(path)):
                icon = Icon(path=path)
        except OSError as exc:
            log.info("no icon file for notifications: %r", exc)
        self._notifier = DesktopNotifier(app_name="Messenger", app_icon=icon)
        return self._notifier
