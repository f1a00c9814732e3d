"""Files of received messages: whether one is here (in the media cache), its download's progress
by file (media ID) for the bar and × in its bubble, and getting it out of the cache: Save as
(a place the user chose) or a copy in the downloads folder (to open or show in its folder).

Fed by the core's ``TransferChanged`` events; ``changed`` asks the chat to repaint. A cancelled
download says nothing; any other failure is ``error_occurred`` with a sentence for people."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from messenger.core.events import Event, TransferChanged
from messenger.core.models import LocalMessage
from messenger.core.transfers.models import Direction
from messenger.protocol.errors import MessengerError
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.refusals import refusal_text
from messenger.viewmodels.tasks import TaskSet

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Chat", text)


@dataclass(frozen=True, slots=True)
class DownloadView:
    transfer_id: str
    done: int
    size: int
    seconds_left: float | None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.size) if self.size else 0.0


def media_id_of(message: LocalMessage | None) -> str:
    return str(getattr(message.content, "media_id", "")) if message is not None else ""


class FileDownloads(QObject):
    changed = Signal()
    error_occurred = Signal(str)

    def __init__(self, client: ClientApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._by_media: dict[str, DownloadView] = {}
        self._here: dict[str, bool] = {}  # media ID → in the cache (asked once per change)
        self._cancelled: set[str] = set()
        self._tasks = TaskSet()

    # -- state -----------------------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        if not isinstance(event, TransferChanged):
            return
        transfer = event.transfer
        if transfer.direction is not Direction.DOWN or transfer.variant:
            return
        self._here.pop(transfer.media_id, None)
        if transfer.state.finished:
            self._by_media.pop(transfer.media_id, None)
        else:
            self._by_media[transfer.media_id] = DownloadView(
                transfer.transfer_id, transfer.done, transfer.size, transfer.seconds_left
            )
        self.changed.emit()

    def of(self, media_id: str) -> DownloadView | None:
        """The running download of this file, if any."""
        return self._by_media.get(media_id)

    def is_here(self, message: LocalMessage) -> bool:
        """Whether the message's file is in the cache (no download needed to open it)."""
        media_id = media_id_of(message)
        if not media_id:
            return False
        found = self._here.get(media_id)
        if found is None:
            try:
                found = self._client.transfers.cache.target(media_id).exists()
            except Exception:  # noqa: BLE001 - signed out meanwhile, or not a media ID
                found = False
            self._here[media_id] = found
        return found

    # -- actions ---------------------------------------------------------------------------------
    def start(self, message: LocalMessage) -> None:
        """Download the file into the cache in the background (its bubble shows progress)."""
        if media_id_of(message) and self.of(media_id_of(message)) is None:
            self._tasks.spawn(self.fetch(message))

    async def fetch(self, message: LocalMessage) -> Path | None:
        """The file in the cache, downloaded first if needed; None if that failed (said through
        ``error_occurred``) or was cancelled (said by nobody)."""
        media_id = media_id_of(message)
        self._cancelled.discard(media_id)
        try:
            return await self._client.download(message)
        except MessengerError as exc:
            self._failed(media_id, exc)
            return None
        finally:
            self._here.pop(media_id, None)
            self.changed.emit()

    async def cancel(self, media_id: str) -> None:
        found = self._by_media.get(media_id)
        if found is not None:
            self._cancelled.add(media_id)
            await self._client.transfers.cancel(found.transfer_id)

    async def save_as(self, message: LocalMessage, target: Path) -> Path | None:
        """The file copied to ``target`` (downloaded first if needed), or None."""
        media_id = media_id_of(message)
        self._cancelled.discard(media_id)
        try:
            return await self._client.save_file(message, target)
        except MessengerError as exc:
            self._failed(media_id, exc)
            return None

    async def export(self, message: LocalMessage, folder: Path) -> Path | None:
        """A copy in ``folder`` under the sender's name made safe (downloaded first if needed),
        or None."""
        media_id = media_id_of(message)
        self._cancelled.discard(media_id)
        try:
            return await self._client.export_file(message, folder)
        except MessengerError as exc:
            self._failed(media_id, exc)
            return None

    def _failed(self, media_id: str, exc: MessengerError) -> None:
        if media_id in self._cancelled:
            self._cancelled.discard(media_id)
            return
        log.info("file download failed: %r", exc)
        self.error_occurred.emit(_tr("The file could not be downloaded.") + " " + refusal_text(exc))

    def close(self) -> None:
        self._tasks.close()
