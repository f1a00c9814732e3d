"""A real, small video for tests, made here with Qt Multimedia: 20 frames of 160 × 90 pushed
into a recorder (``QVideoFrameInput``) that writes an MP4. Needs a running Qt application."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QColor, QImage

FRAMES = 20
FPS = 10


async def make_video(path: Path, width: int = 160, height: int = 90) -> Path:
    from PySide6.QtMultimedia import (
        QMediaCaptureSession,
        QMediaFormat,
        QMediaRecorder,
        QVideoFrame,
        QVideoFrameInput,
    )

    session = QMediaCaptureSession()
    frames = QVideoFrameInput()
    session.setVideoFrameInput(frames)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    recorder.setMediaFormat(QMediaFormat(QMediaFormat.FileFormat.MPEG4))
    recorder.setVideoResolution(QSize(width, height))
    recorder.setVideoFrameRate(FPS)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
    stopped = asyncio.Event()
    sent = 0

    def push() -> None:
        nonlocal sent
        while sent < FRAMES:
            image = QImage(width, height, QImage.Format.Format_RGB32)
            image.fill(QColor((sent * 12) % 256, 90, 170))
            frame = QVideoFrame(image)
            frame.setStartTime(sent * 1_000_000 // FPS)
            frame.setEndTime((sent + 1) * 1_000_000 // FPS)
            if not frames.sendVideoFrame(frame):
                return
            sent += 1
        recorder.stop()

    def state(value: QMediaRecorder.RecorderState) -> None:
        if value == QMediaRecorder.RecorderState.StoppedState:
            stopped.set()

    frames.readyToSendVideoFrame.connect(push)
    recorder.recorderStateChanged.connect(state)
    recorder.record()
    await asyncio.wait_for(stopped.wait(), 20)
    return path
