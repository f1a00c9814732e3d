"""Where a picture bubble's thumbnail is: the file in the local media cache, or a download of
it started in the background (``ready`` says when it is there). Scrolling never waits: a row
whose thumbnail is not cached yet is painted as a grey placeholder of its final size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from messenger.core.models import LocalMessage
from messenger.protocol.bodies import ImageBody, VideoBody
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.tasks import TaskSet

PICTURE_SIDE = 240  # the longest side of a picture bubble
PICTURE_MIN = 48


def picture_size(message: LocalMessage) -> tuple[int, int] | None:
    """The size an image or video bubble reserves (from the message's dimensions), or None."""
    body = message.content
    if message.recalled or not isinstance(body, ImageBody | VideoBody):
        return None
    scale = min(1.0, PICTURE_SIDE / max(body.width, body.height, 1))
    if isinstance(body, VideoBody):  # a frame for the play button and the length, even if tiny
        scale = PICTURE_SIDE / max(body.width, body.height, 1)
    width = max(PICTURE_MIN, round(body.width * scale))
    height = max(PICTURE_MIN, round(body.height * scale))
    return width, height


class ThumbnailSource(QObject):
    ready = Signal(str)  # media ID whose thumbnail is now cached

    def __init__(self, client: ClientApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskSet()
        self._asked: set[str] = set()

    def path(self, message: LocalMessage) -> Path | None:
        """The cached small thumbnail (a video's: its preview frame), or None (and its
        download starts)."""
        body = message.content
        if not isinstance(body, ImageBody | VideoBody) or message.recalled:
            return None
        frame = body.thumb_media_id if isinstance(body, VideoBody) else ""
        try:
            cache = self._client.transfers.cache
            cached = cache.get(body.media_id, "small") or (
                cache.get(frame, "small") if frame else None
            )
        except Exception:  # noqa: BLE001 - signed out meanwhile: nothing to show
            return None
        if cached is not None:
            return cached
        if isinstance(body, VideoBody) and not frame:
            return None  # no preview frame was sent
        if body.media_id not in self._asked and message.message_id:
            self._asked.add(body.media_id)
            self._tasks.spawn(self._fetch(message, body.media_id))
        return None

    async def _fetch(self, message: LocalMessage, media_id: str) -> None:
        try:
            await self._client.download(message, "small")
        finally:
            self._asked.discard(media_id)
        self.ready.emit(media_id)

    def close(self) -> None:
        self._tasks.close()
