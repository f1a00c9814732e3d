"""Recording a voice message: hold the microphone button to record, release on it to send;
release away from it, or press Esc, to cancel. While it records the button shows the time.

Qt Multimedia (PySide6-Addons): a ``QMediaCaptureSession`` with the default ``QAudioInput``
and a ``QMediaRecorder`` writing AAC in an MPEG-4 audio file. Without Qt Multimedia or without
a microphone (a server, a virtual display) the press says so (``problem``) and nothing records.
Once the recorder has closed the file, its waveform is read back from it (``voice_peaks``) and
the file goes out with it (``recorded``).
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QToolButton, QWidget

from messenger.ui.voice_peaks import PeakReader
from messenger.viewmodels.texts import duration_text

log = logging.getLogger(__name__)
MIN_MS = 500  # a shorter press is a slip, not a message


def _tr(text: str) -> str:
    return QCoreApplication.translate("VoiceButton", text)


def microphone_problem() -> str:
    """Why nothing can be recorded here, or "" when a microphone is there."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:
        log.info("no Qt Multimedia: %s", exc)
        return _tr("Voice messages cannot be recorded here: Qt Multimedia is not available.")
    if not QMediaDevices.audioInputs():
        return _tr(
            "No microphone was found. Connect one (or allow this app to use it) to record "
            "voice messages."
        )
    return ""


class VoiceButton(QToolButton):
    recorded = Signal(object, int, list)  # the file (Path), its length in ms, its waveform
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voice")
        self.setAutoRaise(True)
        self._session: Any = None
        self._recorder: Any = None
        self._input: Any = None
        self._path: Path | None = None
        self._started = 0.0
        self._send = False
        self._reading: tuple[Path, int, PeakReader] | None = None  # its waveform being read
        self._tick = QTimer(self, interval=250)
        self._tick.timeout.connect(self._show_time)
        self.recording = False

    # -- input -----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.recording:
            self.finish(send=self.rect().contains(event.position().toPoint()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if self.recording:
            away = not self.rect().contains(event.position().toPoint())
            self.setToolTip(self.tr("Release to cancel") if away else self.tr("Release to send"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.recording and event.key() == Qt.Key.Key_Escape:
            self.finish(send=False)
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowDeactivate and self.recording:
            self.finish(send=False)
        return super().event(event)

    # -- recording -------------------------------------------------------------------------------
    def start(self) -> bool:
        problem = microphone_problem()
        if problem:
            self.problem.emit(problem)
            return False
        from PySide6.QtMultimedia import (
            QAudioInput,
            QMediaCaptureSession,
            QMediaFormat,
            QMediaRecorder,
        )

        folder = Path(tempfile.gettempdir()) / "messenger-voice"
        folder.mkdir(parents=True, exist_ok=True)
        self._path = folder / f"{uuid.uuid4().hex}.m4a"
        self._session = QMediaCaptureSession(self)
        self._input = QAudioInput(self)
        self._session.setAudioInput(self._input)
        self._recorder = QMediaRecorder(self)
        self._session.setRecorder(self._recorder)
        media_format = QMediaFormat(QMediaFormat.FileFormat.Mpeg4Audio)
        media_format.setAudioCodec(QMediaFormat.AudioCodec.AAC)
        self._recorder.setMediaFormat(media_format)
        self._recorder.setQuality(QMediaRecorder.Quality.NormalQuality)
        self._recorder.setOutputLocation(QUrl.fromLocalFile(str(self._path)))
        self._recorder.recorderStateChanged.connect(self._state)
        self._recorder.errorOccurred.connect(self._failed)
        self._recorder.record()
        self.recording = True
        self._started = time.monotonic()
        self.setDown(True)
        self.setFocus()
        self._tick.start()
        self._show_time()
        return True

    def finish(self, *, send: bool) -> None:
        """Stop; the file is sent (``recorded``) when the recorder has closed it, or dropped."""
        if not self.recording:
            return
        self.recording = False
        self._tick.stop()
        self.setText("")
        self.setToolTip(self.tr("Hold to record a voice message"))
        self._send = send and (time.monotonic() - self._started) * 1000 >= MIN_MS
        if self._recorder is not None:
            self._recorder.stop()

    def _state(self, state: Any) -> None:
        from PySide6.QtMultimedia import QMediaRecorder

        if state != QMediaRecorder.RecorderState.StoppedState or self.recording:
            return
        path, duration = self._path, int(self._recorder.duration())
        if self._send and path is not None and path.exists() and path.stat().st_size > 0:
            reader = PeakReader(path, self)
            self._reading = (path, duration, reader)
            reader.done.connect(self._peaks_read)
        elif path is not None:
            path.unlink(missing_ok=True)
        self._send = False

    def _peaks_read(self, peaks: list[int]) -> None:
        if self._reading is None:
            return
        path, duration, reader = self._reading
        self._reading = None
        reader.deleteLater()
        self.recorded.emit(path, duration, peaks)

    def _failed(self, error: Any, text: str) -> None:
        log.info("recording failed: %s", text)
        self.recording = False
        self._tick.stop()
        self.setText("")
        self.problem.emit(
            self.tr("The voice message could not be recorded: {reason}").format(reason=text)
        )

    def _show_time(self) -> None:
        elapsed = int((time.monotonic() - self._started) * 1000)
        self.setText(duration_text(elapsed))
