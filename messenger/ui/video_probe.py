"""What a video file is, before it is sent: its length and picture size, read by Qt Multimedia
(the server does not decode videos). None when Qt Multimedia is missing or cannot read it: the
file is then sent as a plain file."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtCore import QUrl

log = logging.getLogger(__name__)

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi"})
PROBE_SECONDS = 5.0


async def probe_video(path: Path) -> tuple[int, int, int] | None:
    """(length in ms, width, height) of a video file, or None."""
    try:
        from PySide6.QtMultimedia import QMediaMetaData, QMediaPlayer
    except ImportError:
        return None
    player = QMediaPlayer()
    loaded = asyncio.Event()
    good = QMediaPlayer.MediaStatus.LoadedMedia

    def status(value: QMediaPlayer.MediaStatus) -> None:
        if value in (good, QMediaPlayer.MediaStatus.InvalidMedia):
            loaded.set()

    player.mediaStatusChanged.connect(status)
    player.errorOccurred.connect(lambda *_: loaded.set())
    player.setSource(QUrl.fromLocalFile(str(path)))
    try:
        await asyncio.wait_for(loaded.wait(), PROBE_SECONDS)
    except TimeoutError:
        log.info("video not read in time: %s", path.name)
    try:
        if player.mediaStatus() != good:
            return None
        size = player.metaData().value(QMediaMetaData.Key.Resolution)
        width = size.width() if size is not None and hasattr(size, "width") else 0
        height = size.height() if size is not None and hasattr(size, "height") else 0
        return int(player.duration()), int(width), int(height)
    finally:
        player.setSource(QUrl())
        player.deleteLater()
