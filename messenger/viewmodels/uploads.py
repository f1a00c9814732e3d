"""How far my files' uploads have come, by message (``client_msg_id``), for the progress bar and
cancel button inside their bubbles. Fed by the core's ``TransferChanged`` events (at most every
100 ms per transfer); ``changed`` asks the chat to repaint."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from messenger.core.events import Event, TransferChanged
from messenger.core.transfers.models import Direction, TransferState
from messenger.viewmodels.client_api import ClientApi


@dataclass(frozen=True, slots=True)
class UploadView:
    transfer_id: str
    fraction: float  # 0–1
    paused: bool


class UploadProgress(QObject):
    changed = Signal()

    def __init__(self, client: ClientApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._by_message: dict[str, UploadView] = {}

    def on_event(self, event: Event) -> None:
        if not isinstance(event, TransferChanged):
            return
        transfer = event.transfer
        if transfer.direction is not Direction.UP or not transfer.client_msg_id:
            return
        if transfer.state.finished:
            self._by_message.pop(transfer.client_msg_id, None)
        else:
            self._by_message[transfer.client_msg_id] = UploadView(
                transfer.transfer_id, transfer.fraction, transfer.state is TransferState.PAUSED
            )
        self.changed.emit()

    def of(self, client_msg_id: str) -> UploadView | None:
        """The running (or paused) upload of my message, if any."""
        return self._by_message.get(client_msg_id)

    async def cancel(self, client_msg_id: str) -> None:
        """Stop the upload; its message fails (Retry uploads it again)."""
        found = self._by_message.get(client_msg_id)
        if found is not None:
            await self._client.transfers.cancel(found.transfer_id)
