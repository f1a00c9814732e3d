"""Plays voice messages in the chat: one at a time (Qt Multimedia's ``QMediaPlayer`` with an
audio output), from the media cache (downloaded first if needed). The voice bubble asks which
message plays and where (``playing``, ``position_ms``); ``changed`` repaints it.

Qt Multimedia (PySide6-Addons) is loaded on first use, so the app runs without it; then, or when
a file cannot be played, ``error_occurred`` says so in a sentence."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal

from messenger.core.models import LocalMessage
from messenger.ui.async_slots import async_slot
from messenger.viewmodels.downloads import FileDownloads, media_id_of

log = logging.getLogger(__name__)


class VoicePlayer(QObject):
    changed = Signal()
    error_occurred = Signal(str)

    def __init__(self, downloads: FileDownloads, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._downloads = downloads
        self._player: Any = None
        self._output: Any = None
        self.media_id = ""  # the message playing or paused
        self._playing = False
        self._position = 0

    # -- what the bubble asks ------------------------------------------------------------------
    def playing(self, media_id: str) -> bool:
        return self._playing and media_id == self.media_id

    def position_ms(self, media_id: str) -> int:
        return self._position if media_id == self.media_id else 0

    # -- control ---------------------------------------------------------------------------------
    @async_slot(object)
    async def toggle(self, message: LocalMessage) -> None:
        """Play the message (from the start, or where it was paused), or pause it."""
        media_id = media_id_of(message)
        if not media_id:
            return
        if media_id == self.media_id and self._player is not None:
            if self._playing:
                self._player.pause()
            else:
                self._player.play()
            return
        player = self._ensure()
        if player is None:
            return
        from PySide6.QtMultimedia import QMediaDevices

        if not QMediaDevices.audioOutputs():
            self.error_occurred.emit(
                self.tr("No speakers or headphones were found to play the voice message on.")
            )
            return
        path = await self._downloads.fetch(message)
        if path is None:
            return
        player.stop()
        self.media_id, self._position = media_id, 0
        player.setSource(QUrl.fromLocalFile(str(path)))
        player.play()
        self.changed.emit()

    def stop(self) -> None:
        if self._player is not None:
            self._player.stop()
        self.media_id, self._playing, self._position = "", False, 0
        self.changed.emit()

    def _ensure(self) -> Any:
        if self._player is not None:
            return self._player
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError as exc:  # PySide6-Addons (or a system library it needs) missing
            log.info("no Qt Multimedia: %s", exc)
            self.error_occurred.emit(
                self.tr("Voice messages cannot be played here: Qt Multimedia is not available.")
            )
            return None
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.playbackStateChanged.connect(self._state)
        self._player.positionChanged.connect(self._moved)
        self._player.errorOccurred.connect(self._failed)
        return self._player

    def _state(self, state: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        self._playing = state == QMediaPlayer.PlaybackState.PlayingState
        if state == QMediaPlayer.PlaybackState.StoppedState:
            self._position = 0
        self.changed.emit()

    def _moved(self, position: int) -> None:
        self._position = position
        self.changed.emit()

    def _failed(self, error: Any, text: str) -> None:
        log.info("voice message not played: %s", text)
        self.error_occurred.emit(
            self.tr("The voice message cannot be played: {reason}").format(reason=text)
        )
        self.stop()
