"""The video player: a window that plays a video message from the media cache (downloaded first)
with Qt Multimedia (``QMediaPlayer`` into a ``QVideoWidget``, sound to the default output when
there is one): play / pause (Space or the button), a position slider, the time, and "Open" in
the system's own player (for what Qt Multimedia cannot decode, or a bigger screen); Esc closes.
Without Qt Multimedia it says so instead of opening."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from messenger.viewmodels.texts import duration_text

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("VideoPlayer", text)


def multimedia_problem() -> str:
    try:
        import PySide6.QtMultimedia
        import PySide6.QtMultimediaWidgets  # noqa: F401
    except ImportError as exc:
        log.info("no Qt Multimedia: %s", exc)
        return _tr("Videos cannot be played here: Qt Multimedia is not available.")
    return ""


class VideoPlayer(QWidget):
    def __init__(
        self,
        path: Path,
        title: str,
        parent: QWidget | None = None,
        open_file: Callable[[Path], bool] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.setObjectName("VideoPlayer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title or self.tr("Video"))
        self.video = QVideoWidget(self)
        self.player: Any = QMediaPlayer(self)
        if QMediaDevices.audioOutputs():  # none: play the picture without sound
            self.audio = QAudioOutput(self)
            self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self.play_button = QToolButton(self)
        self.play_button.setObjectName("play")
        self.play_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("position")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.sliderMoved.connect(self.player.setPosition)
        self.time = QLabel(self)
        self.time.setObjectName("time")
        self.path = path
        self._open_file = open_file
        self.open_button = QToolButton(self)
        self.open_button.setObjectName("open")
        self.open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.open_button.setText(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open in the system's video player"))
        self.open_button.clicked.connect(self.open_elsewhere)
        self.open_button.setVisible(open_file is not None)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 6)
        bar.addWidget(self.play_button)
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.time)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.video, 1)
        layout.addLayout(bar)
        self.player.durationChanged.connect(self._duration)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.resize(800, 520)
        self._state()
        self.player.play()

    @property
    def source(self) -> QUrl:
        return self.player.source()  # type: ignore[no-any-return]

    def toggle(self) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def open_elsewhere(self) -> None:
        """Hand the video to the system's player, pausing this one."""
        if self._open_file is not None:
            self.player.pause()
            self._open_file(self.path)

    def _duration(self, ms: int) -> None:
        self.slider.setRange(0, ms)
        self._position(self.player.position())

    def _position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(ms)
        self.time.setText(f"{duration_text(ms)} / {duration_text(self.player.duration())}")

    def _state(self, *_: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText("❚❚" if playing else "▶")
        self.play_button.setToolTip(
            self.tr("Pause (Space)") if playing else self.tr("Play (Space)")
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        elif event.key() == Qt.Key.Key_Space:
            self.toggle()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:
        self.player.stop()
        super().closeEvent(event)
