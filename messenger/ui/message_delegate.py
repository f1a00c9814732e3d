"""``MessageDelegate``: paints a chat row (bubble, event line, separators) from its cached
geometry (``message_layout``). Sizes are measured once per row and width; painting draws the
prepared text layout, so scrolling costs only the visible rows' drawing.

Colours come from the palette and ``chat_colors``; text is drawn as plain text.
"""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QTextCharFormat,
)
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from messenger.core import MessageState
from messenger.protocol.bodies import VideoBody
from messenger.ui import reaction_chips
from messenger.ui.avatars import avatar_color, paint_avatar
from messenger.ui.bubble_text import highlight_format, link_at, link_format, overlays
from messenger.ui.bubbles import CardContext, VoiceState, hit_card, paint_card, video_bubble
from messenger.ui.icons import paint_cross, paint_spinner, paint_ticks
from messenger.ui.message_layout import RADIUS, RowGeometry, RowLayouts, card_line
from messenger.ui.theme import ChatColors, chat_colors
from messenger.viewmodels.downloads import DownloadView, FileDownloads
from messenger.viewmodels.message_list import ROW_ROLE, MessageListModel
from messenger.viewmodels.message_rows import MessageRow, RowStyle
from messenger.viewmodels.thumbnails import ThumbnailSource
from messenger.viewmodels.uploads import UploadProgress

AnyIndex = QModelIndex | QPersistentModelIndex
IMAGE_CACHE = 300  # decoded thumbnails kept (about 150 KB each)


class MessageDelegate(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._model: MessageListModel | None = None  # set by the view
        self.viewport_width = view.viewport().width()  # kept current by the view
        self.layouts = RowLayouts()
        self.layouts.set_font(view.font())
        self._palette_key = -1
        self._chat_colors = chat_colors(view.palette())
        self._links: dict[int, QTextCharFormat] = {}  # text formats by colour (rgba)
        self.spinner_angle = 0
        self.painted_spinner = False  # set when a "sending" row was painted (the view animates)
        self.thumbnails: ThumbnailSource | None = None  # set by the view
        self.uploads: UploadProgress | None = None  # set by the view
        self.downloads: FileDownloads | None = None  # set by the view
        self.voice: VoiceState | None = None  # set by the chat pane
        self.search_terms: list[str] = []  # the chat's search: marked in the texts
        self._images: OrderedDict[str, QImage] = OrderedDict()  # decoded thumbnails, LRU
        self._decoding: set[str] = set()  # thumbnails being decoded in a worker thread
        self.retranslate()

    # -- measuring -------------------------------------------------------------------------------
    def width(self) -> int:
        return max(200, self.viewport_width)

    def geometry(self, index: AnyIndex) -> RowGeometry | None:
        model = self._model
        position = index.row()
        if model is None or not 0 <= position < model.rowCount():
            return None
        return self.layouts.layout(model.row(position), self.width())

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        # Asked for every row on every layout pass and for every rectangle Qt computes: the
        # model's row straight from Python and a cached size, no conversions.
        geometry = self.geometry(index)
        return geometry.size if geometry is not None else QSize(self.width(), 0)

    def hit(self, index: AnyIndex, x: float, y: float) -> str:
        """What a click at (x, y), relative to the row, means: "receipts", "reedit", "retry",
        "quote", "profile" (the sender's avatar or name), "cancel" (an upload), "picture"
        (the image viewer), a card's action ("file", "file_cancel": ``ui.bubbles``) or ""."""
        row = index.data(ROW_ROLE)
        geometry = self.geometry(index)
        if not isinstance(row, MessageRow) or geometry is None:
            return ""
        point = QPointF(x, y)
        if self.link_at(index, x, y):
            return "link"
        receipt = geometry.receipt
        if (
            receipt is not None
            and row.receipt_clickable
            and receipt.adjusted(-4, -4, 4, 4).contains(point)
        ):
            return "receipts"
        if geometry.link is not None and geometry.link.adjusted(-4, -4, 4, 4).contains(point):
            return "reedit"
        if geometry.failed is not None and geometry.failed.adjusted(-4, -4, 4, 4).contains(point):
            return "retry"
        if geometry.reply is not None and geometry.reply.contains(point):
            return "quote"
        if geometry.cancel is not None and geometry.cancel.adjusted(-4, -4, 4, 4).contains(point):
            return "cancel"
        if geometry.picture is not None and geometry.picture.contains(point):
            if isinstance(row.message.content, VideoBody):
                return video_bubble.hit(geometry.picture, point, self._downloading(row) is not None)
            return "picture"
        if geometry.card is not None:
            action = hit_card(row, geometry.card, point, self._card_context(self._view.palette()))
            if action:
                return action
        chip = reaction_chips.chip_at(geometry.chips, point)
        if chip is not None:
            return "react:" + chip.emoji
        if geometry.avatar is not None and geometry.avatar.contains(point):
            return "profile"
        name = geometry.name
        if name is not None and name.y() - 16 <= y <= name.y() + 4 and x >= name.x() - 2:
            width = QFontMetricsF(self.layouts.fonts.bold_small).horizontalAdvance(row.sender_name)
            if x <= name.x() + width + 2:
                return "profile"
        return ""

    def link_at(self, index: AnyIndex, x: float, y: float) -> str:
        """The link of the bubble's text at (x, y), relative to the row, or ""."""
        row = index.data(ROW_ROLE)
        geometry = self.geometry(index)
        if not isinstance(row, MessageRow) or geometry is None or geometry.text is None:
            return ""
        return link_at(geometry.text, geometry.text_at, QPointF(x, y), row.text)

    # -- painting --------------------------------------------------------------------------------
    def set_model(self, model: MessageListModel) -> None:
        self._model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        row = index.data(ROW_ROLE)
        geometry = self.geometry(index)
        if not isinstance(row, MessageRow) or geometry is None:
            return
        palette = option.palette
        colors = self._colors(palette)
        fonts = self.layouts.fonts
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(option.rect.topLeft())
        if option.state & QStyle.StateFlag.State_Selected:
            selection = QColor(colors.selection)
            selection.setAlpha(70)
            painter.fillRect(QRectF(0, 0, option.rect.width(), geometry.height), selection)
        if geometry.separator is not None:
            self._pill(painter, geometry.separator, row.separator, colors, fonts.small)
        if geometry.unread is not None:
            painter.fillRect(geometry.unread, colors.separator)
            painter.setFont(fonts.small)
            painter.setPen(colors.meta_text)
            painter.drawText(
                geometry.unread, Qt.AlignmentFlag.AlignCenter, self.layouts.meta_labels["unread"]
            )
        if row.style is RowStyle.EVENT:
            self._event(painter, row, geometry, colors, palette)
        else:
            self._bubble(painter, row, geometry, colors, palette)
        painter.restore()

    def _pill(
        self, painter: QPainter, rect: QRectF, text: str, colors: ChatColors, font: QFont
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.separator)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setFont(font)
        painter.setPen(colors.meta_text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _event(
        self,
        painter: QPainter,
        row: MessageRow,
        g: RowGeometry,
        colors: ChatColors,
        palette: QPalette,
    ) -> None:
        pill = g.bubble
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.separator)
        painter.drawRoundedRect(pill, min(10.0, pill.height() / 2), min(10.0, pill.height() / 2))
        painter.setPen(colors.tip_text)
        if g.text is not None:
            g.text.draw(painter, g.text_at)
        if g.link is not None:
            painter.setFont(self.layouts.fonts.small)
            painter.setPen(palette.color(QPalette.ColorRole.Link))
            painter.drawText(
                g.link,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                self.layouts.meta_labels["reedit"],
            )

    def _bubble(
        self,
        painter: QPainter,
        row: MessageRow,
        g: RowGeometry,
        colors: ChatColors,
        palette: QPalette,
    ) -> None:
        fonts = self.layouts.fonts
        if g.avatar is not None:
            paint_avatar(
                painter, g.avatar.toRect(), row.sender_id, row.avatar_name, colors.badge_text
            )
        fill = colors.own_bubble if row.mine else colors.other_bubble
        if row.mention_me:
            fill = colors.mention
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(g.bubble, RADIUS, RADIUS)
        text_color = colors.own_text if row.mine else colors.other_text
        if g.name is not None:
            painter.setFont(fonts.bold_small)
            painter.setPen(_readable(avatar_color(row.sender_id), fill))
            painter.drawText(g.name, row.sender_name)
        if g.reply is not None:
            self._quote(painter, row, g.reply, colors, palette, text_color)
        if g.text is not None:
            painter.setPen(text_color)
            link = self._link_format(palette.color(QPalette.ColorRole.Link))
            if row.mine:
                link = self._link_format(text_color)  # (underlined: readable on my bubble)
            marks = overlays(row.text, self.search_terms, link, self._highlight(colors.mention))
            g.text.draw(painter, g.text_at, marks)
        if g.picture is not None:
            self._picture(painter, row, g.picture, colors)
            video_bubble.paint_overlay(painter, row, g.picture, fonts.small, self._downloading(row))
        if g.card is not None:
            paint_card(painter, row, g.card, self._card_context(palette))
        if g.progress is not None and g.cancel is not None:
            self._upload(painter, row, g.progress, g.cancel, colors, palette)
        self._meta(painter, row, g, colors, palette)
        if g.chips:
            reaction_chips.paint(painter, g.chips, colors, fonts.small)
        if g.failed is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.badge)
            painter.drawEllipse(g.failed)
            painter.setPen(colors.badge_text)
            bold = QFont(fonts.body)
            bold.setWeight(QFont.Weight.Bold)
            painter.setFont(bold)
            painter.drawText(g.failed, Qt.AlignmentFlag.AlignCenter, "!")

    def _picture(
        self, painter: QPainter, row: MessageRow, rect: QRectF, colors: ChatColors
    ) -> None:
        """The thumbnail in its reserved place, or a grey placeholder until it is cached."""
        image = self._image(row)
        painter.save()
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        painter.setClipPath(clip)
        if image is None:
            painter.fillRect(rect, colors.separator)
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(rect, image)
        painter.restore()

    def _upload(
        self,
        painter: QPainter,
        row: MessageRow,
        bar: QRectF,
        cancel: QRectF,
        colors: ChatColors,
        palette: QPalette,
    ) -> None:
        """The upload's progress bar and the × that cancels it."""
        found = self.uploads.of(row.message.client_msg_id) if self.uploads is not None else None
        fraction = found.fraction if found is not None else 0.0
        track = QColor(colors.meta_text)
        track.setAlpha(60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(bar, 2, 2)
        if fraction > 0:
            painter.setBrush(palette.color(QPalette.ColorRole.Link))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * fraction, 4), 2, 2)
        paint_cross(painter, cancel, colors.meta_text)

    def _image(self, row: MessageRow) -> QImage | None:
        """The decoded thumbnail, or None (grey for now) while it downloads or is decoded in a
        worker thread: scrolling never waits for a JPEG decoder."""
        source = self.thumbnails
        media_id = str(getattr(row.message.content, "media_id", ""))
        found = self._images.get(media_id)
        if found is not None:
            self._images.move_to_end(media_id)
            return found
        if media_id in self._decoding:
            return None
        path = source.path(row.message) if source is not None else None
        if path is None:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # painted outside the event loop: decode here
            self._keep(media_id, QImage(str(path)))
            return self._images.get(media_id)
        self._decoding.add(media_id)
        future: asyncio.Future[QImage] = loop.run_in_executor(None, QImage, str(path))
        future.add_done_callback(functools.partial(self._decoded, media_id))
        return None

    def _decoded(self, media_id: str, done: asyncio.Future[QImage]) -> None:
        self._decoding.discard(media_id)
        if done.cancelled() or done.exception() is not None:
            return
        if self._keep(media_id, done.result()):
            self._view.viewport().update()

    def _keep(self, media_id: str, image: QImage) -> bool:
        if image.isNull():
            return False
        self._images[media_id] = image
        if len(self._images) > IMAGE_CACHE:
            self._images.popitem(last=False)
        return True

    def _quote(
        self,
        painter: QPainter,
        row: MessageRow,
        rect: QRectF,
        colors: ChatColors,
        palette: QPalette,
        text_color: QColor,
    ) -> None:
        fonts = self.layouts.fonts
        accent = palette.color(QPalette.ColorRole.Link)
        painter.setPen(Qt.PenStyle.NoPen)
        tint = QColor(accent)
        tint.setAlpha(28)
        painter.setBrush(tint)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setBrush(accent)
        painter.drawRect(QRectF(rect.left(), rect.top(), 3, rect.height()))
        inner = rect.adjusted(9, 2, -6, -2)
        line = fonts.small_line.height
        painter.setFont(fonts.bold_small)
        painter.setPen(accent)
        name = QFontMetricsF(fonts.bold_small).elidedText(
            row.reply_name, Qt.TextElideMode.ElideRight, inner.width()
        )
        painter.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), line), Qt.AlignmentFlag.AlignLeft, name
        )
        painter.setFont(fonts.small)
        painter.setPen(text_color)
        text = QFontMetricsF(fonts.small).elidedText(
            row.reply_text, Qt.TextElideMode.ElideRight, inner.width()
        )
        painter.drawText(
            QRectF(inner.left(), inner.top() + line, inner.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            text,
        )

    def _meta(
        self,
        painter: QPainter,
        row: MessageRow,
        g: RowGeometry,
        colors: ChatColors,
        palette: QPalette,
    ) -> None:
        fonts = self.layouts.fonts
        painter.setFont(fonts.small)
        painter.setPen(colors.meta_text)
        painter.drawText(
            g.meta, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, row.time_text
        )
        if g.receipt is not None:
            if row.state is MessageState.FAILED:
                painter.setPen(colors.badge)
                label = self.layouts.meta_labels["failed"]
            else:
                link = row.receipt_clickable
                painter.setPen(palette.color(QPalette.ColorRole.Link) if link else colors.meta_text)
                label = row.receipt
            painter.drawText(
                g.receipt, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label
            )
        if g.icon is not None:
            if row.state is MessageState.SENDING:
                self.painted_spinner = True
                paint_spinner(painter, g.icon, colors.meta_text, self.spinner_angle)
            elif row.state is MessageState.SENT:
                read = bool(row.receipt)
                color = palette.color(QPalette.ColorRole.Link) if read else colors.meta_text
                paint_ticks(painter, g.icon.adjusted(0, 2, 0, -2), color, read)

    def _downloading(self, row: MessageRow) -> DownloadView | None:
        """The running download of the row's file (a video's, for its bubble), if any."""
        if self.downloads is None:
            return None
        return self.downloads.of(str(getattr(row.message.content, "media_id", "")))

    def _card_context(self, palette: QPalette) -> CardContext:
        fonts = self.layouts.fonts
        return CardContext(
            self._colors(palette),
            palette,
            fonts.body,
            fonts.small,
            self.downloads,
            self.voice,
            card_line(fonts),
        )

    def _link_format(self, color: QColor) -> QTextCharFormat:
        """One format per colour, not one per painted row."""
        key = color.rgba()
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = link_format(color)
        return found

    def _highlight(self, color: QColor) -> QTextCharFormat:
        key = -1 - color.rgba()  # (beside the links' keys)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = highlight_format(color)
        return found

    def _colors(self, palette: QPalette) -> ChatColors:
        key = palette.cacheKey()
        if key != self._palette_key:
            self._palette_key, self._chat_colors = key, chat_colors(palette)
        return self._chat_colors

    # -- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.layouts.meta_labels = {
            "failed": self.tr("Failed"),
            "reedit": self.tr("Re-edit"),
            "unread": self.tr("Unread messages"),
        }
        self.layouts.clear()


def _readable(color: QColor, background: QColor) -> QColor:
    """The sender's colour, darkened or lightened until it reads on the bubble."""
    if background.lightness() > 128:
        return color.darker(135)
    return color.lighter(150)
