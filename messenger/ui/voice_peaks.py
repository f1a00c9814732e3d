"""The waveform of a recorded voice message: Qt Multimedia's ``QAudioDecoder`` reads the file
back as 16-bit mono PCM, the loudest sample of each stretch becomes one peak, and the peaks
are scaled so the loudest is 255 (the bubble draws them as bars). Silence stays 0s; a file that
cannot be decoded gives no peaks (the bubble draws an even line)."""

from __future__ import annotations

import array
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

log = logging.getLogger(__name__)
PEAKS = 64
RATE = 8000  # samples a second asked of the decoder: plenty for a waveform
TIMEOUT_MS = 5000


def scaled(levels: list[int], count: int = PEAKS) -> list[int]:
    """``levels`` (loudest sample of each short stretch) folded into ``count`` peaks of 0–255,
    the loudest at 255."""
    if not levels:
        return []
    folded = []
    for i in range(count):
        start = i * len(levels) // count
        end = max(start + 1, (i + 1) * len(levels) // count)
        folded.append(max(levels[start:end]))
    top = max(folded)
    return [round(255 * level / top) if top else 0 for level in folded]


class PeakReader(QObject):
    """Reads one file; ``done(peaks)`` once (an empty list if it could not)."""

    done = Signal(list)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._levels: list[int] = []
        self._finished = False
        self._decoder: Any = None
        self._timer = QTimer(self, singleShot=True, interval=TIMEOUT_MS)
        self._timer.timeout.connect(self._give_up)
        try:
            from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat
        except ImportError as exc:
            log.info("no Qt Multimedia for the waveform: %s", exc)
            QTimer.singleShot(0, self._give_up)
            return
        wanted = QAudioFormat()
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        wanted.setChannelCount(1)
        wanted.setSampleRate(RATE)
        self._decoder = QAudioDecoder(self)
        self._decoder.setAudioFormat(wanted)
        self._decoder.setSource(QUrl.fromLocalFile(str(path)))
        self._decoder.bufferReady.connect(self._read)
        self._decoder.finished.connect(self._end)
        self._decoder.error.connect(self._failed)
        self._timer.start()
        self._decoder.start()

    def _read(self) -> None:
        buffer = self._decoder.read()
        data = bytes(buffer.constData())[: buffer.byteCount()]
        samples = array.array("h", data[: len(data) - len(data) % 2])
        if samples:
            self._levels.append(max(max(samples), -min(samples)))

    def _end(self) -> None:
        self._finish(scaled(self._levels))

    def _failed(self, error: Any) -> None:
        log.info("no waveform: %s", self._decoder.errorString())
        self._finish([])

    def _give_up(self) -> None:
        self._finish([])

    def _finish(self, peaks: list[int]) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        if self._decoder is not None:
            self._decoder.stop()
        self.done.emit(peaks)
