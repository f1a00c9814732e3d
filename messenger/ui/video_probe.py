"""What a video file is, before it is sent: its length and picture size, and its first picture
as the preview frame, read by Qt Multimedia (the server does not decode videos). None when Qt
Multimedia is missing or cannot read it: the file is then sent as a plain file (or the video
without a frame)."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi"})
PROBE_SECONDS = 5.0
FRAME_SIDE = 720


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


async def video_frame(path: Path) -> Path | None:
    """The video's first picture as a JPEG (longest side at most ``FRAME_SIDE``) in a
    temporary file, to send as its preview frame; None if none comes in time."""
    try:
        from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink
    except ImportError:
        return None
    player = QMediaPlayer()
    sink = QVideoSink()
    player.setVideoOutput(sink)  # no audio output: nothing is heard
    got: asyncio.Future[QImage] = asyncio.get_running_loop().create_future()

    def frame(video: QVideoFrame) -> None:
        if video.isValid() and not got.done():
            image = video.toImage()
            if not image.isNull():
                got.set_result(image)

    sink.videoFrameChanged.connect(frame)

    def failed(*_: object) -> None:
        if not got.done():
            got.set_result(QImage())

    player.errorOccurred.connect(failed)
    player.setSource(QUrl.fromLocalFile(str(path)))
    player.play()
    try:
        image = await asyncio.wait_for(got, PROBE_SECONDS)
    except TimeoutError:
        image = QImage()
    finally:
        player.stop()
        player.setSource(QUrl())
        player.deleteLater()
        sink.deleteLater()
    if image.isNull():
        return None
    if max(image.width(), image.height()) > FRAME_SIDE:
        image = image.scaled(
            FRAME_SIDE,
            FRAME_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    folder = Path(tempfile.gettempdir()) / "messenger-frames"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}.jpg"
    return target if image.save(str(target), quality=85) else None
