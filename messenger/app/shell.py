"""One signed-in session wired into the shell: connection banner, tray badge, notifications.

Made by the flow when a session starts and closed when it ends, so nothing of an old account
(its unread count, a late notification, its connection state) outlives it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from messenger.core.models import ConnectionState
from messenger.protocol import errors
from messenger.ui.connection_banner import ConnectionBanner
from messenger.ui.tray import TrayIcon
from messenger.viewmodels.notifications import Notification, NotificationsViewModel
from messenger.viewmodels.session import SessionViewModel
from messenger.viewmodels.settings import SettingsViewModel

log = logging.getLogger(__name__)


class SessionShell:
    def __init__(
        self,
        session: SessionViewModel,
        settings: SettingsViewModel,
        banner: ConnectionBanner,
        tray: TrayIcon,
        window_focused: Callable[[], bool],
        *,
        coalesce_ms: int = 700,
        notify: Callable[[Notification], None] | None = None,
    ) -> None:
        """``notify`` shows a notification (the platform's service); default the tray."""
        self.session = session
        self.banner = banner
        self.tray = tray
        self.notifications = NotificationsViewModel(
            session,
            session.client,
            settings,
            window_focused,
            name_of=session.names.display,
            coalesce_ms=coalesce_ms,
        )
        self._links: list[tuple[Any, Callable[..., Any]]] = [
            (session.connection_state_changed, banner.set_state),
            (banner.reconnect_requested, self._reconnect_now),
            (session.total_unread_changed, tray.set_unread),
            (self.notifications.notification_ready, notify or tray.show_notification),
        ]
        for signal, slot in self._links:
            signal.connect(slot)
        banner.set_state(session.connection_state)
        tray.set_user(session.user_id)

    async def load_unread(self) -> None:
        """The badge starts from the store; ``total_unread_changed`` keeps it current."""
        try:
            self.tray.set_unread(await self.session.client.total_unread())
        except errors.MessengerError as exc:  # signed out meanwhile
            log.debug("no total unread: %r", exc)

    def _reconnect_now(self) -> None:
        self.session.client.reconnect_now()

    async def open_conversation(self, conversation_id: str) -> None:
        """A notification was clicked: show its conversation."""
        if conversation_id:
            await self.session.chat.open(conversation_id)

    def close(self) -> None:
        for signal, slot in self._links:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self.notifications.close()
        self.banner.set_state(ConnectionState.CONNECTED.value)  # hidden
        self.tray.set_unread(0)
        self.tray.set_user("")
