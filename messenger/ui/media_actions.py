"""What the chat does with files in messages: a click on a picture opens the image viewer, on a
voice message plays or pauses it (``VoicePlayer``), on a video opens the video player; a click on a file bubble downloads it (or opens it once it is here), its × stops the download; the
message menu's Open, Save as… and Show in folder (pictures, files, voice and video).

Opened and shown files are copies in the downloads folder (``<Downloads>/Messenger``) under the
sender's name made safe; Save as… writes where the user chose. The desktop opens and shows them
(``ui.reveal``); tests replace ``open_file`` / ``show_in_folder`` to see what would be opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from messenger.core.models import LocalMessage
from messenger.protocol.bodies import FileBody, ImageBody, LocationBody, VideoBody, VoiceBody
from messenger.protocol.filenames import safe_name
from messenger.ui import reveal
from messenger.ui.async_slots import async_slot
from messenger.ui.bubbles import location_bubble
from messenger.ui.image_viewer import ImageViewer
from messenger.ui.placement import show_over
from messenger.ui.video_player import VideoPlayer, multimedia_problem
from messenger.ui.voice_player import VoicePlayer
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.downloads import media_id_of
from messenger.viewmodels.message_list import MessageListModel
from messenger.viewmodels.message_rows import message_key

CARD_ACTIONS = frozenset({"file", "file_cancel", "picture", "voice_play", "location"})


def default_downloads() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return Path(found or Path.home() / "Downloads") / "Messenger"


class MediaActions(QObject):
    """For the chat's messages, or (``messages``) those of another list drawn with the chat's
    bubbles: a merged forward's viewer."""

    def __init__(
        self, chat: ChatViewModel, parent: QWidget, messages: MessageListModel | None = None
    ) -> None:
        super().__init__(parent)
        self.chat = chat
        self.messages = messages if messages is not None else chat.messages
        self._parent = parent
        self.downloads_dir = default_downloads()
        self.open_file: Callable[[Path], bool] = reveal.open_file
        self.show_in_folder: Callable[[Path], bool] = reveal.show_in_folder
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._save_dir: Path | None = None
        self.viewer: ImageViewer | None = None
        self._known: dict[str, LocalMessage] = {}  # shown outside the list (the image viewer)
        self.voice = VoicePlayer(chat.downloads, self)
        self.player: VideoPlayer | None = None

    def _place(self, key: str) -> bool:
        """Open a location message's place in a web map; False if ``key`` is not one."""
        message = self.messages.message(key)
        body = message.content if message is not None and not message.recalled else None
        if not isinstance(body, LocationBody):
            return False
        self.open_url(QUrl(location_bubble.map_url(body)))
        return True

    def remember(self, message: LocalMessage) -> None:
        """A message shown outside the list (a picture the viewer went to that is not loaded in
        the chat): Save as… and Open find it by its key."""
        self._known = {message_key(message): message}

    def _message(self, key: str) -> LocalMessage | None:
        message = self.messages.message(key) or self._known.get(key)
        if message is None or message.recalled or not media_id_of(message):
            return None
        return message

    # -- clicks on a card -------------------------------------------------------------------------
    def click(self, action: str, key: str) -> bool:
        """Handle a card's action; False if ``action`` is not one of ours."""
        if action not in CARD_ACTIONS:
            return False
        if action == "location":
            self._place(key)
            return True
        message = self._message(key)
        if message is None:
            return True
        if action == "picture" and isinstance(message.content, VideoBody):
            self.play_video(key)
        elif action == "picture":
            self.view_picture(key)
        elif action == "voice_play":
            self.voice.toggle(message)
        elif action == "file_cancel":
            self._cancel(media_id_of(message))
        elif self.chat.downloads.is_here(message) or message.is_self:
            self.open(key)
        else:
            self.chat.downloads.start(message)
        return True

    def view_picture(self, key: str) -> ImageViewer:
        """The image viewer on this picture (one viewer: a second click reuses it)."""
        if self.viewer is not None and shiboken6.isValid(self.viewer):
            self.viewer.show_key(key)
        else:
            self.viewer = ImageViewer(self.chat, key, self, self._parent)
        show_over(self.viewer, self._parent)
        return self.viewer

    @async_slot(str)
    async def play_video(self, key: str) -> None:
        """The video player on this video (downloaded into the cache first)."""
        message = self._message(key)
        problem = multimedia_problem()
        if problem:
            self.chat.downloads.error_occurred.emit(problem)
            return
        path = await self.chat.downloads.fetch(message) if message is not None else None
        if path is None or message is None:
            return
        if self.player is not None and shiboken6.isValid(self.player):
            self.player.close()
        name = str(getattr(message.content, "name", ""))
        self.player = VideoPlayer(path, name, self._parent, open_file=self._open_elsewhere)
        show_over(self.player, self._parent)

    def _open_elsewhere(self, path: Path) -> bool:
        return self.open_file(path)  # looked up when used: tests replace it

    @async_slot(str)
    async def _cancel(self, media_id: str) -> None:
        await self.chat.downloads.cancel(media_id)

    # -- the message menu ---------------------------------------------------------------------------
    def add_menu_actions(self, menu: QMenu, key: str) -> None:
        message = self._message(key)
        saved = FileBody | ImageBody | VideoBody | VoiceBody
        if message is None or not isinstance(message.content, saved):
            return
        if not menu.isEmpty():
            menu.addSeparator()
        for name, label, run in (
            ("open", self.tr("Open"), self.open),
            ("save_as", self.tr("Save as…"), self.save_as),
            ("show_in_folder", self.tr("Show in folder"), self.show),
        ):
            action = QAction(label, menu)
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, r=run: r(key))
            menu.addAction(action)

    # -- doing it -------------------------------------------------------------------------------------
    @async_slot(str)
    async def open(self, key: str) -> None:
        path = await self.local_copy(key)
        if path is not None:
            self.open_file(path)

    @async_slot(str)
    async def show(self, key: str) -> None:
        path = await self.local_copy(key)
        if path is not None:
            self.show_in_folder(path)

    async def local_copy(self, key: str) -> Path | None:
        """The file in the downloads folder under its sender's name made safe."""
        message = self._message(key)
        if message is None:
            return None
        return await self.chat.downloads.export(message, self.downloads_dir)

    def suggested_name(self, key: str) -> str:
        message = self._message(key)
        if message is None:
            return ""
        name = str(getattr(message.content, "name", "") or "")
        return safe_name(name, media_id_of(message)[:12])

    def save_as(self, key: str) -> None:
        """Ask where (the sender's name made safe, in the last folder used), then save."""
        folder = self._save_dir or self.downloads_dir.parent
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, self.tr("Save file"), str(folder / self.suggested_name(key))
        )
        if chosen:
            self._save_dir = Path(chosen).parent
            self.save_to(key, Path(chosen))

    @async_slot(str, object)
    async def save_to(self, key: str, target: Path) -> None:
        message = self._message(key)
        if message is not None:
            await self.chat.downloads.save_as(message, target)
