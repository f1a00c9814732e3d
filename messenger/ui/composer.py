"""``ComposerWidget``: the message box under the chat.

Enter sends, Shift+Enter starts a new line, Esc cancels the reply being written. Typing "@" in
a group opens the mention completer (``MentionPopup``); the emoji button opens the picker. The
box grows with its text up to a few lines. The draft, typing indicator, mentions and reply live
in ``ComposerViewModel``; this widget only shows them.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeyEvent, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.ids import ConversationType
from messenger.ui import file_dialogs
from messenger.ui.async_slots import async_slot
from messenger.ui.emoji_picker import EmojiPicker
from messenger.ui.fonts import line_metrics
from messenger.ui.icons import attach_icon, close_icon, emoji_icon, mic_icon, send_icon
from messenger.ui.location_dialog import LocationDialog
from messenger.ui.mention_popup import MentionPopup
from messenger.ui.send_files_dialog import SendFilesDialog
from messenger.ui.sticker_pack import NAMES, PACK, sticker_icon
from messenger.ui.sticker_picker import StickerPicker
from messenger.ui.video_probe import VIDEO_SUFFIXES, probe_video, video_frame
from messenger.ui.voice_recorder import VoiceButton
from messenger.viewmodels.composer import ComposerViewModel
from messenger.viewmodels.formatting import single_line

MAX_LINES = 8
_MENTION_QUERY = re.compile(r"(?:^|\s)@([^\s@]{0,32})$")


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a paste or drop carries (``file://`` URLs), else none."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.is_file()]


def png_of(mime: QMimeData) -> bytes:
    """A pasted picture (a screenshot) as PNG bytes, else ``b""``."""
    if not mime.hasImage():
        return b""
    image = mime.imageData()
    if not isinstance(image, QImage) or image.isNull():
        return b""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; str works)
    return bytes(buffer.data().data())


class MessageEdit(QPlainTextEdit):
    """The text box: Enter / Shift+Enter, keys for the mention popup, grows with its text.
    Pasted or dropped files and pictures are sent as files, never inserted as ``file://`` text."""

    submitted = Signal()
    escape_pressed = Signal()
    up_in_empty = Signal()  # Up with nothing written: edit my last message
    files_given = Signal(list)  # [Path]: pasted or dropped files
    image_given = Signal(bytes)  # PNG of a pasted picture

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageEdit")
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.popup: MentionPopup | None = None
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            bool(local_files(source)) or source.hasImage() or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.files_given.emit(files)
            return
        png = png_of(source)
        if png:
            self.image_given.emit(png)
            return
        super().insertFromMimeData(source)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        popup = self.popup
        if popup is not None and popup.isVisible():
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                popup.move_selection(-1 if key == Qt.Key.Key_Up else 1)
                return
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
            if enter and popup.choose_current():
                return
            if key == Qt.Key.Key_Escape:
                popup.hide()
                return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if key == Qt.Key.Key_Up and not self.toPlainText() and not event.modifiers():
            self.up_in_empty.emit()
            return
        super().keyPressEvent(event)

    def _fit(self) -> None:
        """As tall as the text's lines really are (a line of Chinese, in its fallback font, is
        taller than the interface font says), from one line up to ``MAX_LINES``."""
        line = line_metrics(self.font()).height
        most = MAX_LINES * line
        content = 0.0
        block = self.document().firstBlock()
        while block.isValid() and content < most:
            content += self.blockBoundingRect(block).height()
            block = block.next()
        margins = self.contentsMargins()
        height = (
            min(max(content, line), most)
            + 2 * self.document().documentMargin()
            + margins.top()
            + margins.bottom()
        )
        self.setFixedHeight(math.ceil(height) + 2)


class ComposerWidget(QWidget):
    escape_pressed = Signal()  # Esc with no reply to cancel: the chat clears its selection

    def __init__(self, vm: ComposerViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("Composer")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 10, 8)
        outer.setSpacing(4)

        self.reply_bar = QFrame(self)
        self.reply_bar.setObjectName("ReplyBar")
        bar = QHBoxLayout(self.reply_bar)
        bar.setContentsMargins(8, 2, 2, 2)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        self.reply_title = QLabel(self.reply_bar)
        self.reply_title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.reply_title.font()
        font.setBold(True)
        self.reply_title.setFont(font)
        self.reply_title.setForegroundRole(QPalette.ColorRole.Link)
        self.reply_preview = QLabel(self.reply_bar)
        self.reply_preview.setTextFormat(Qt.TextFormat.PlainText)
        texts.addWidget(self.reply_title)
        texts.addWidget(self.reply_preview)
        bar.addLayout(texts, 1)
        self.reply_close = QToolButton(self.reply_bar)
        self.reply_close.setAutoRaise(True)
        self.reply_close.clicked.connect(self._close_bar)
        bar.addWidget(self.reply_close)
        self.reply_bar.hide()
        outer.addWidget(self.reply_bar)

        row = QHBoxLayout()
        row.setSpacing(6)
        self.attach_button = QToolButton(self)
        self.attach_button.setObjectName("attach")
        self.attach_button.setAutoRaise(True)
        self.attach_button.clicked.connect(self.choose_files)
        self.attach_menu = QMenu(self.attach_button)
        self.files_action = self.attach_menu.addAction("", self.choose_files)
        self.location_action = self.attach_menu.addAction("", self.choose_location)
        self.location_action.setObjectName("location")
        self.attach_button.setMenu(self.attach_menu)
        self.attach_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.location_dialog: LocationDialog | None = None
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.emoji_button = QToolButton(self)
        self.emoji_button.setAutoRaise(True)
        self.emoji_button.clicked.connect(self.show_emoji)
        row.addWidget(self.emoji_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.sticker_button = QToolButton(self)
        self.sticker_button.setObjectName("sticker")
        self.sticker_button.setAutoRaise(True)
        self.sticker_button.clicked.connect(self.show_stickers)
        row.addWidget(self.sticker_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.sticker_picker: StickerPicker | None = None
        self.voice_button = VoiceButton(self)
        self.voice_button.recorded.connect(self._send_voice)
        self.voice_button.problem.connect(self.vm.error_occurred)
        row.addWidget(self.voice_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.edit = MessageEdit(self)
        row.addWidget(self.edit, 1)
        self.send_button = QToolButton(self)
        self.send_button.setAutoRaise(True)
        self.send_button.clicked.connect(self._send)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(row)

        self.emoji_picker: EmojiPicker | None = None
        self.send_dialog: SendFilesDialog | None = None
        # Over the chat above the composer, in the pane that holds both (not the window: the
        # popup goes with the pane when an account is unbound).
        self.mentions = MentionPopup(vm.mentions, parent or self)
        self.mentions.chosen.connect(self._insert_mention)
        self.edit.popup = self.mentions

        self._replacing = False
        self.edit.textChanged.connect(self._text_changed)
        self.edit.submitted.connect(self._send)
        self.edit.escape_pressed.connect(self._escape)
        self.edit.up_in_empty.connect(self._edit_last)
        self.edit.files_given.connect(self.send_files)
        self.edit.image_given.connect(self._send_image)
        self.setAcceptDrops(True)
        vm.text_replaced.connect(self._replace)
        vm.reply_changed.connect(self._show_reply)
        vm.sent.connect(self._cleared)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self._icons()
        self.retranslate()

    # -- text ------------------------------------------------------------------------------------
    def _replace(self, text: str) -> None:
        if text != self.edit.toPlainText():
            self._replacing = True
            try:
                self.edit.setPlainText(text)
                self.edit.moveCursor(QTextCursor.MoveOperation.End)
            finally:
                self._replacing = False
        self.setEnabled(self.vm.enabled)

    def _text_changed(self) -> None:
        self.vm.edited(self.edit.toPlainText())
        if not self._replacing:
            self._update_mentions()

    def _cleared(self) -> None:
        self._replacing = True
        try:
            self.edit.clear()
        finally:
            self._replacing = False
        self.mentions.hide()

    @async_slot()
    async def _send(self) -> None:
        self.mentions.hide()
        await self.vm.send(self.edit.toPlainText())

    def _escape(self) -> None:
        if self.vm.cancel_edit():
            return
        if self.vm.reply_to is not None:
            self.vm.clear_reply()
        else:
            self.escape_pressed.emit()

    def _close_bar(self) -> None:
        if not self.vm.cancel_edit():
            self.vm.clear_reply()

    def _edit_last(self) -> None:
        if self.vm.edit_last():
            self.edit.setFocus()

    # -- mentions --------------------------------------------------------------------------------
    def _mention_query(self) -> str | None:
        if self.vm.type != ConversationType.GROUP:
            return None
        cursor = self.edit.textCursor()
        block = cursor.block().text()[: cursor.positionInBlock()]
        found = _MENTION_QUERY.search(block)
        return found.group(1) if found else None

    def _update_mentions(self) -> None:
        query = self._mention_query()
        if query is None:
            self.mentions.hide()
            return
        self.vm.mentions.set_query(query)
        host = self.mentions.parentWidget() or self
        corner = self.mapTo(host, QPoint(self.edit.x(), 0))  # above the whole composer
        self.mentions.show_at(QPoint(corner.x(), corner.y() - 2))

    def mention(self, user_id: str, name: str) -> None:
        """Insert "@name" at the cursor (from the group panel's member menu)."""
        self.edit.insertPlainText("@")
        self._insert_mention(user_id, name)

    def _insert_mention(self, user_id: str, name: str) -> None:
        query = self._mention_query()
        cursor = self.edit.textCursor()
        if query is not None:
            cursor.movePosition(
                QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(query) + 1
            )
        cursor.insertText(self.vm.choose_mention(user_id, name))
        self.edit.setTextCursor(cursor)
        self.edit.setFocus()

    # -- files ---------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths = file_dialogs.choose_files(self, self.tr("Send files"))
        if paths:
            self.send_files(paths)

    @async_slot(list)
    async def send_files(self, paths: list[Path]) -> None:
        """One file goes at once (a picture as a photo); several open the send dialog (caption,
        "send pictures as files")."""
        if len(paths) == 1:
            await self._send_in_order(paths, as_photo=True, caption="")
            return
        if self.send_dialog is not None:
            self.send_dialog.deleteLater()
        dialog = self.send_dialog = SendFilesDialog(paths, self)
        dialog.accepted.connect(lambda: self._send_chosen(dialog))
        dialog.open()

    @async_slot(object)
    async def _send_chosen(self, dialog: SendFilesDialog) -> None:
        await self._send_in_order(
            dialog.paths, as_photo=not dialog.as_files.isChecked(), caption=dialog.caption.text()
        )

    async def _send_in_order(self, paths: list[Path], *, as_photo: bool, caption: str) -> None:
        """The caption, then each file in order; videos (unless sent as files) as video
        messages with the length and size read here, other files by the view-model's rules."""
        if caption.strip():
            await self.vm.send_files([], caption=caption)
        for path in paths:
            facts = (
                await probe_video(path)
                if as_photo and path.suffix.lower() in VIDEO_SUFFIXES
                else None
            )
            if facts is not None:
                await self.vm.send_video(path, *facts, frame=await video_frame(path))
            else:
                await self.vm.send_files([path], as_photo=as_photo)

    @async_slot(object, int, list)
    async def _send_voice(self, path: Path, duration_ms: int, peaks: list[int]) -> None:
        await self.vm.send_voice(path, duration_ms, peaks)

    @async_slot(bytes)
    async def _send_image(self, png: bytes) -> None:
        await self.vm.send_image(png)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()) and self.vm.enabled:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.send_files(files)

    # -- location --------------------------------------------------------------------------------
    def choose_location(self) -> None:
        if self.location_dialog is not None:
            self.location_dialog.deleteLater()
        dialog = self.location_dialog = LocationDialog(self)
        dialog.accepted.connect(lambda: self._send_location(dialog))
        dialog.open()

    @async_slot(object)
    async def _send_location(self, dialog: LocationDialog) -> None:
        await self.vm.send_location(
            dialog.description.text(), dialog.latitude.value(), dialog.longitude.value()
        )

    # -- stickers --------------------------------------------------------------------------------
    def show_stickers(self) -> None:
        if self.sticker_picker is None:
            self.sticker_picker = StickerPicker(self)
            self.sticker_picker.chosen.connect(self._send_sticker)
        picker = self.sticker_picker
        corner = self.sticker_button.mapToGlobal(QPoint(0, 0))
        picker.move(corner.x(), corner.y() - picker.height() - 4)
        picker.show()

    @async_slot(str)
    async def _send_sticker(self, name: str) -> None:
        await self.vm.send_sticker(PACK, name, NAMES.index(name))

    # -- emoji -----------------------------------------------------------------------------------
    def show_emoji(self) -> None:
        if self.emoji_picker is None:
            self.emoji_picker = EmojiPicker(self)
            self.emoji_picker.emoji_chosen.connect(self.insert_emoji)
        picker = self.emoji_picker
        corner = self.emoji_button.mapToGlobal(QPoint(0, 0))
        picker.move(corner.x(), corner.y() - picker.height() - 4)
        picker.show()
        picker.search.setFocus()

    def insert_emoji(self, emoji: str) -> None:
        self.edit.insertPlainText(emoji)
        self.edit.setFocus()

    # -- reply -----------------------------------------------------------------------------------
    def _show_reply(self) -> None:
        """The bar above the box: the message being replied to, or the one being edited."""
        editing = self.vm.editing
        if self.vm.reply_to is None and editing is None:
            self.reply_bar.hide()
            return
        if editing is not None:
            self.reply_title.setText(self.tr("Edit message"))
            self.reply_preview.setText(single_line(editing.text, 100))
            self.reply_close.setToolTip(self.tr("Cancel editing (Esc)"))
            self.reply_close.setAccessibleName(self.tr("Cancel editing"))
        else:
            self.reply_title.setText(self.tr("Reply to {name}").format(name=self.vm.reply_name))
            self.reply_preview.setText(self.vm.reply_text)
            self.reply_close.setToolTip(self.tr("Cancel reply (Esc)"))
            self.reply_close.setAccessibleName(self.tr("Cancel reply"))
        self.reply_bar.show()
        self.edit.setFocus()

    # -- look and language -----------------------------------------------------------------------
    def _icons(self) -> None:
        palette = self.palette()
        self.emoji_button.setIcon(emoji_icon(palette.color(QPalette.ColorRole.PlaceholderText)))
        self.attach_button.setIcon(attach_icon(palette.color(QPalette.ColorRole.PlaceholderText)))
        self.voice_button.setIcon(mic_icon(palette.color(QPalette.ColorRole.PlaceholderText)))
        self.sticker_button.setIcon(sticker_icon("smile", 20))
        self.send_button.setIcon(send_icon(palette.color(QPalette.ColorRole.Link)))
        self.reply_close.setIcon(close_icon(palette.color(QPalette.ColorRole.PlaceholderText)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._icons()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Write a message…"))
        self.edit.setAccessibleName(self.tr("Message"))
        self.attach_button.setToolTip(self.tr("Send files or pictures"))
        self.attach_button.setAccessibleName(self.tr("Attach"))
        self.emoji_button.setToolTip(self.tr("Emoji"))
        self.emoji_button.setAccessibleName(self.tr("Emoji"))
        self.files_action.setText(self.tr("Files or pictures…"))
        self.location_action.setText(self.tr("Location…"))
        self.sticker_button.setToolTip(self.tr("Stickers"))
        self.sticker_button.setAccessibleName(self.tr("Stickers"))
        self.voice_button.setToolTip(self.tr("Hold to record a voice message"))
        self.voice_button.setAccessibleName(self.tr("Record a voice message"))
        self.send_button.setToolTip(self.tr("Send (Enter)"))
        self.send_button.setAccessibleName(self.tr("Send"))
        self.reply_close.setToolTip(self.tr("Cancel reply (Esc)"))
        self.reply_close.setAccessibleName(self.tr("Cancel reply"))
        self._show_reply()
