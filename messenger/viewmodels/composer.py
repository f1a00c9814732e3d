"""``ComposerViewModel``: the message box of the open conversation.

- The draft is saved as the user types (debounced, ``client.set_draft`` stores it locally
  first, so a crash loses nothing) and restored when the conversation is opened again.
- A draft edited on another device replaces the box only while the user is not typing in it.
- "Typing…" is sent at most every few seconds while the user types, "stopped" after a pause.
- Mentions chosen from the completer are remembered (``@Name`` → user ID) and sent with the
  message if their text is still in it; "@all" only for the group's owner and admins.
- A reply target quotes a message; ``send`` queues the text (local echo at once).
- ``send_files`` sends attached, dropped or pasted files in order (pictures as photos unless
  sent as files; an optional caption first), ``send_image`` a pasted picture; they upload in the
  background and never hold back the text sent after them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from messenger.core import LocalMessage
from messenger.protocol.bodies import FaceBody, LocationBody
from messenger.protocol.errors import ClientError, MessengerError
from messenger.protocol.ids import ConversationType
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.formatting import single_line
from messenger.viewmodels.mentions import MENTION_ALL, MentionCandidatesModel
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.refusals import refusal_text
from messenger.viewmodels.send_errors import not_sent_text
from messenger.viewmodels.tasks import TaskSet
from messenger.viewmodels.texts import message_text

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 300  # save the draft this long after the last keystroke
TYPING_EVERY_MS = 3000  # "typing" is sent again at most this often while typing
TYPING_IDLE_MS = 5000  # "stopped" after this long without a keystroke
BUSY_MS = 2000  # the user counts as typing this long after a keystroke
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"})


def _monotonic_ms() -> int:
    return int(time.monotonic() * 1000)


class ComposerViewModel(QObject):
    text_replaced = Signal(str)  # put this text in the box (draft restored, remote, re-edit)
    reply_changed = Signal()
    sent = Signal()  # a message was queued: the box clears
    error_occurred = Signal(str)

    def __init__(
        self,
        client: ClientApi,
        names: NamesViewModel,
        parent: QObject | None = None,
        *,
        clock: Callable[[], int] = _monotonic_ms,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._names = names
        self._clock = clock
        self._tasks = TaskSet()
        self.me = client.user_id or ""
        self.mentions = MentionCandidatesModel(names, self.me, self)
        self.conversation_id = ""
        self.type = ConversationType.C2C
        self.group_id = ""
        self.text = ""
        self._saved = ""  # the draft as last saved
        self._last_edit = -(10**9)
        self._typing_sent_at: int | None = None
        self._chosen: dict[str, str] = {}  # "@Name" → user ID (MENTION_ALL for everyone)
        self.reply_to: LocalMessage | None = None
        self.editing: LocalMessage | None = None  # my message whose text the box holds
        self._before_edit = ""  # the box's text when the edit began (back on cancel)
        self.edit_last: Callable[[], bool] = lambda: False  # Up in an empty box (the chat's)
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self._save_draft)
        self._idle_timer = QTimer(self, singleShot=True, interval=TYPING_IDLE_MS)
        self._idle_timer.timeout.connect(self._stop_typing)

    # -- the open conversation -------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        """Nobody writes to the system conversation."""
        return bool(self.conversation_id) and self.type != ConversationType.SYSTEM

    def attach(self, conversation_id: str, type: ConversationType, draft: str) -> None:
        """Show this conversation's draft; the previous conversation's is saved first."""
        self.detach()
        self.conversation_id = conversation_id
        self.type = type
        self.group_id = conversation_id[len("GROUP") :] if type == ConversationType.GROUP else ""
        self.text = self._saved = draft
        self.text_replaced.emit(draft)

    def restore_draft(self, draft: str) -> None:
        """The stored draft, read after ``attach``: shown unless the user already typed."""
        if draft and not self.text and self.conversation_id:
            self.text = self._saved = draft
            self.text_replaced.emit(draft)

    def detach(self) -> None:
        if self.conversation_id:
            if self._draft_timer.isActive() or self.text != self._saved:
                self._draft_timer.stop()
                self._save_draft()
            self._stop_typing()
        self.conversation_id = ""
        self.text = self._saved = ""
        self._chosen.clear()
        self.mentions.set_members("", [], allow_all=False)
        if self.reply_to is not None or self.editing is not None:
            self.reply_to = self.editing = None
            self.reply_changed.emit()

    # -- typing ----------------------------------------------------------------------------------
    def edited(self, text: str) -> None:
        """The box's text changed (by the user, or by ``text_replaced``)."""
        if text == self.text:
            return
        self.text = text
        if self.editing is not None:
            return  # an edit is no draft and no typing
        if text == self._saved:
            self._draft_timer.stop()
            return
        self._last_edit = self._clock()
        self._draft_timer.start()
        if text.strip():
            self._typing()
        else:
            self._stop_typing()

    @property
    def busy(self) -> bool:
        """The user is typing: unsaved text, or a keystroke just now."""
        return self.text != self._saved or self._clock() - self._last_edit < BUSY_MS

    def _save_draft(self) -> None:
        if not self.conversation_id or self.type == ConversationType.SYSTEM:
            return
        text, self._saved = self.text, self.text
        self._tasks.spawn(self._client.set_draft(self.conversation_id, text))

    def _typing(self) -> None:
        if self.type == ConversationType.SYSTEM:
            return
        now = self._clock()
        if self._typing_sent_at is None or now - self._typing_sent_at >= TYPING_EVERY_MS:
            self._typing_sent_at = now
            self._tasks.spawn(self._client.typing(self.conversation_id, True))
        self._idle_timer.start()

    def _stop_typing(self) -> None:
        self._idle_timer.stop()
        if self._typing_sent_at is not None and self.conversation_id:
            self._typing_sent_at = None
            self._tasks.spawn(self._client.typing(self.conversation_id, False))

    def remote_draft(self, text: str) -> None:
        """The draft was edited on another device: take it unless the user is typing here."""
        if text == self.text or self.busy:
            return
        self.text = self._saved = text
        self.text_replaced.emit(text)

    def replace_text(self, text: str) -> None:
        """Put text in the box (re-edit of a recalled message); saved as the draft."""
        self.text_replaced.emit(text)
        self.edited(text)

    # -- mentions and replies --------------------------------------------------------------------
    def set_members(self, members: list, *, allow_all: bool) -> None:  # type: ignore[type-arg]
        self.mentions.set_members(self.group_id, members, allow_all=allow_all)

    def choose_mention(self, user_id: str, name: str) -> str:
        """Remember a mention picked in the completer; returns the text to insert."""
        token = f"@{name}"
        self._chosen[token] = user_id
        return token + " "

    def set_reply(self, message: LocalMessage) -> None:
        if self.editing is not None:
            self.cancel_edit()
        self.reply_to = message
        self.reply_changed.emit()

    # -- editing one of my messages --------------------------------------------------------------
    def start_edit(self, message: LocalMessage) -> None:
        """Put my message's text in the box; sending saves it as the message's new text."""
        if self.editing is None:
            self._draft_timer.stop()
            if self.text != self._saved:
                self._save_draft()
            self._before_edit = self.text
        self.reply_to = None
        self.editing = message
        self._chosen.clear()
        for user_id in message.mentions:
            self.choose_mention(user_id, self._names.display(user_id, self.group_id))
        self.text = message.text
        self.text_replaced.emit(message.text)
        self.reply_changed.emit()

    def cancel_edit(self) -> bool:
        if self.editing is None:
            return False
        self.editing = None
        self._chosen.clear()
        self.text = self._before_edit
        self.text_replaced.emit(self._before_edit)
        self.reply_changed.emit()
        return True

    async def _save_edit(self, body: str, mentions: list[str], mention_all: bool) -> bool:
        message = self.editing
        assert message is not None
        if body == message.text and mentions == list(message.mentions):
            self.cancel_edit()
            return True
        try:
            await self._client.edit_message(
                message, body, mentions=mentions, mention_all=mention_all
            )
        except MessengerError as exc:
            log.info("edit not saved: %r", exc)
            self.error_occurred.emit(refusal_text(exc))
            return False
        if self.editing is message:
            self.cancel_edit()
        return True

    def clear_reply(self) -> None:
        if self.reply_to is not None:
            self.reply_to = None
            self.reply_changed.emit()

    @property
    def reply_name(self) -> str:
        return self._names.display(self.reply_to.sender, self.group_id) if self.reply_to else ""

    @property
    def reply_text(self) -> str:
        if self.reply_to is None:
            return ""
        text = message_text(self.reply_to, self.me, lambda u: self._names.display(u, self.group_id))
        return single_line(text, 100)

    # -- sending ---------------------------------------------------------------------------------
    async def send(self, text: str | None = None) -> bool:
        """Queue the box's text; False if there was nothing to send or it was refused."""
        body = (self.text if text is None else text).strip()
        if not body or not self.enabled:
            return False
        mentions = [u for t, u in self._chosen.items() if t in body and u != MENTION_ALL]
        mention_all = any(u == MENTION_ALL and t in body for t, u in self._chosen.items())
        if self.editing is not None:
            return await self._save_edit(body, list(dict.fromkeys(mentions)), mention_all)
        conversation_id, reply_to = self.conversation_id, self.reply_to
        try:
            await self._client.send_text(
                conversation_id,
                body,
                mentions=list(dict.fromkeys(mentions)),
                mention_all=mention_all,
                reply_to=reply_to,
            )
        except MessengerError as exc:
            log.info("message not sent: %r", exc)
            self.error_occurred.emit(not_sent_text(exc, body))
            return False
        if conversation_id != self.conversation_id:
            return True  # the user moved on meanwhile; that box is gone
        self._chosen.clear()
        self._draft_timer.stop()
        self._stop_typing()
        self.text = self._saved = ""
        self._tasks.spawn(self._client.set_draft(conversation_id, ""))
        self.clear_reply()
        self.sent.emit()
        return True

    # -- files ---------------------------------------------------------------------------------
    async def send_files(
        self, paths: Sequence[Path], *, as_photo: bool = True, caption: str = ""
    ) -> int:
        """Send each file in order: pictures as photos (unless ``as_photo`` is off: sent as
        files, uncompressed, metadata kept), the rest as files. A ``caption`` goes first, as a
        text message (files are sent when their upload completes; text is never held back).
        Returns how many files were queued."""
        conversation_id = self.conversation_id
        if not self.enabled:
            return 0
        if caption.strip():
            try:
                await self._client.send_text(conversation_id, caption.strip())
            except MessengerError as exc:
                self.error_occurred.emit(not_sent_text(exc, caption))
                return 0
        queued = 0
        for path in paths:
            kind = "image" if as_photo and path.suffix.lower() in PHOTO_SUFFIXES else "file"
            try:
                await self._client.send_file(conversation_id, path, kind=kind)
            except MessengerError as exc:
                log.info("file not sent: %r", exc)
                self.error_occurred.emit(not_sent_text(exc, ""))
                continue
            except OSError as exc:
                log.info("file not read: %r", exc)
                self.error_occurred.emit(not_sent_text(ClientError(str(exc)), ""))
                continue
            queued += 1
        return queued

    async def send_voice(self, path: Path, duration_ms: int, peaks: Sequence[int] = ()) -> bool:
        """Send a recorded voice message (its length measured by the recorder, its waveform
        read back from the file)."""
        if not self.enabled:
            return False
        try:
            await self._client.send_file(
                self.conversation_id,
                path,
                kind="voice",
                duration_ms=max(0, duration_ms),
                peaks=peaks,
            )
        except MessengerError as exc:
            self.error_occurred.emit(not_sent_text(exc, ""))
            return False
        return True

    async def send_video(
        self, path: Path, duration_ms: int, width: int, height: int, frame: Path | None = None
    ) -> bool:
        """Send a video message (its length, size and preview ``frame`` made by the caller)."""
        if not self.enabled:
            return False
        try:
            await self._client.send_file(
                self.conversation_id,
                path,
                kind="video",
                duration_ms=max(0, duration_ms),
                width=max(1, width),
                height=max(1, height),
                thumbnail=frame,
            )
        except MessengerError as exc:
            self.error_occurred.emit(not_sent_text(exc, ""))
            return False
        return True

    async def send_sticker(self, pack: str, name: str, index: int = 0) -> bool:
        """Send a sticker of a pack the app ships."""
        if not self.enabled:
            return False
        try:
            await self._client.send_body(
                self.conversation_id, FaceBody(pack=pack, name=name, index=index)
            )
        except MessengerError as exc:
            self.error_occurred.emit(not_sent_text(exc, ""))
            return False
        return True

    async def send_location(self, description: str, latitude: float, longitude: float) -> bool:
        if not self.enabled:
            return False
        body = LocationBody(description=description.strip(), latitude=latitude, longitude=longitude)
        try:
            await self._client.send_body(self.conversation_id, body)
        except MessengerError as exc:
            self.error_occurred.emit(not_sent_text(exc, ""))
            return False
        return True

    async def send_image(self, png: bytes) -> bool:
        """Send a pasted picture (PNG bytes) as a photo."""
        if not self.enabled or not png:
            return False
        try:
            await self._client.send_data(self.conversation_id, png, "screenshot.png")
        except MessengerError as exc:
            self.error_occurred.emit(not_sent_text(exc, ""))
            return False
        return True

    def close(self) -> None:
        self.detach()
        self._tasks.close()
