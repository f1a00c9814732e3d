"""``SessionViewModel``: one signed-in account, as the windows see it.

It owns the core ``Client`` of the account for as long as the account is shown, turns core
events into Qt signals on the GUI thread (qasync runs the core on the same loop), and holds the
per-account child view-models (conversation list, chat, composer, group panel).

The app (composition root) creates it after sign-in and drops it on sign-out or account switch.
Shell features (connection banner, kick-out dialog, tray badge, notifications) listen to its
signals; the main window binds its panes to its children.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from messenger.core import Client, LocalMessage
from messenger.core.events import (
    ConnectionStateChanged,
    Event,
    KickedOut,
    MessagesAdded,
    TotalUnreadChanged,
)


class SessionViewModel(QObject):
    connection_state_changed = Signal(str)  # "connected" | "connecting" | "offline"
    kicked_out = Signal(str, str)  # reason ("other_device", "usersig_expired", …), message
    total_unread_changed = Signal(int)
    # new messages from others, for notifications: conversation_id, list[LocalMessage]
    messages_arrived = Signal(str, list)

    def __init__(self, client: Client, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._unsubscribe = client.subscribe(self._on_event)

    @property
    def user_id(self) -> str:
        return self.client.user_id or ""

    @property
    def connection_state(self) -> str:
        return self.client.connection_state.value

    def _on_event(self, event: Event) -> None:
        if isinstance(event, ConnectionStateChanged):
            self.connection_state_changed.emit(event.state.value)
        elif isinstance(event, KickedOut):
            self.kicked_out.emit(event.reason, event.message)
        elif isinstance(event, TotalUnreadChanged):
            self.total_unread_changed.emit(event.total)
        elif isinstance(event, MessagesAdded):
            incoming: list[LocalMessage] = [m for m in event.messages if not m.is_self]
            if incoming:
                self.messages_arrived.emit(event.conversation_id, incoming)

    def close(self) -> None:
        """Stop listening (the app closes the client itself)."""
        self._unsubscribe()
