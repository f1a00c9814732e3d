"""Where everything of one chat row goes, computed once per row and width and cached.

``RowLayouts.layout(row, width)`` returns a ``RowGeometry`` (rectangles relative to the row's
top-left corner and the wrapped text). The message delegate asks it for sizes (``sizeHint``)
and for painting, so a row is measured once, not on every frame; text is wrapped with
``QTextLayout`` (plain text, never markup) and the layouts are kept in a bounded cache.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

from messenger.core import MessageState
from messenger.ui import reaction_chips
from messenger.ui.bubbles import card_size
from messenger.ui.fonts import LineMetrics, line_metrics
from messenger.viewmodels.message_rows import MessageRow, RowStyle

MARGIN = 14  # left and right of the chat
AVATAR = 34
GAP = 8  # avatar ↔ bubble
PAD_X = 11
PAD_Y = 7
RADIUS = 12
MAX_BUBBLE = 560
RUN_GAP = 2  # between two bubbles of one sender
NEW_GAP = 8  # before a bubble of another sender
META_GAP = 10  # text ↔ time when on the same line
ICON = 14  # ticks, spinner
PROGRESS_H = 16  # the upload bar and its cancel button
CACHE = 3000


@dataclass(slots=True)
class Fonts:
    body: QFont
    small: QFont
    bold_small: QFont
    key: str  # the body font's identity (QFont.key(), computed once)
    small_line: LineMetrics  # a line of small / bold small text, Chinese included
    bold_line: LineMetrics

    @classmethod
    def from_font(cls, font: QFont) -> Fonts:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        bold = QFont(small)
        bold.setWeight(QFont.Weight.DemiBold)
        return cls(QFont(font), small, bold, font.key(), line_metrics(small), line_metrics(bold))


@dataclass(slots=True)
class RowGeometry:
    height: int
    size: QSize = field(default_factory=QSize)  # (width, height), what sizeHint answers
    separator: QRectF | None = None
    unread: QRectF | None = None
    avatar: QRectF | None = None
    bubble: QRectF = field(default_factory=QRectF)  # the bubble, or the event pill
    name: QPointF | None = None  # baseline start of the sender's name
    reply: QRectF | None = None
    text: QTextLayout | None = None
    text_at: QPointF = field(default_factory=QPointF)
    meta: QRectF = field(default_factory=QRectF)  # time + state, right-aligned in the bubble
    icon: QRectF | None = None  # ticks or spinner
    receipt: QRectF | None = None  # "Read" / "2 read"
    failed: QRectF | None = None  # the retry mark next to a failed bubble
    link: QRectF | None = None  # "Re-edit" after a recall placeholder
    picture: QRectF | None = None  # an image bubble's picture (its final size, from the start)
    progress: QRectF | None = None  # my file's upload bar, while it uploads
    cancel: QRectF | None = None  # the × that stops the upload
    card: QRectF | None = None  # a file / voice / video card (``ui.bubbles``), of a fixed size
    chips: reaction_chips.Chips = field(default_factory=list)  # reactions under the bubble


def card_line(fonts: Fonts) -> float:
    """The height of a card's line of small text, bold or not."""
    return max(fonts.small_line.height, fonts.bold_line.height)


def _wrap(text: str, font: QFont, width: float) -> tuple[QTextLayout, float, float, float]:
    """Plain text wrapped to ``width``: the layout, its natural width, height, last line width.

    ``QTextLayout`` breaks lines only at U+2028: the text's own line breaks become that (one
    character for one, so positions in the layout are positions in the text)."""
    layout = QTextLayout(hard_breaks(text), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.setCacheEnabled(True)
    layout.beginLayout()
    y, natural, last = 0.0, 0.0, 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height()
        last = line.naturalTextWidth()
        natural = max(natural, last)
    layout.endLayout()
    return layout, natural, y, last


def hard_breaks(text: str) -> str:
    """The text with each line break (LF, CR; CR LF as a space and one break) as U+2028, the
    line separator ``QTextLayout`` breaks at; as long as ``text``."""
    return text.replace("\r\n", " \u2028").replace("\r", "\u2028").replace("\n", "\u2028")


def _fitted(size: tuple[int, int], room: float) -> tuple[float, float]:
    """A picture's reserved size, shrunk (its shape kept) to the room a narrow chat leaves."""
    width, height = float(size[0]), float(size[1])
    if width <= room:
        return width, height
    return room, height * room / width


class RowLayouts:
    """Geometry per row and width, looked up in two caches.

    The first is by row object (the model keeps a row until it changes), so the many size
    queries of a layout pass cost a dictionary lookup. The second is by what the size depends
    on (``MessageRow.layout_key``), so a row rebuilt unchanged (a name arrived, a receipt
    moved) is not measured again. Both are bounded; a new width, font or language empties them.
    """

    def __init__(self) -> None:
        self._by_row: dict[MessageRow, RowGeometry] = {}
        self._by_key: OrderedDict[tuple[object, ...], RowGeometry] = OrderedDict()
        self._width = 0
        self.fonts = Fonts.from_font(QFont())
        self.meta_labels = {"failed": "Failed", "reedit": "Re-edit", "unread": "Unread messages"}

    def set_font(self, font: QFont) -> None:
        if font.key() != self.fonts.key:
            self.fonts = Fonts.from_font(font)
            self.clear()

    def clear(self) -> None:
        self._by_row.clear()
        self._by_key.clear()

    def layout(self, row: MessageRow, width: int) -> RowGeometry:
        if width != self._width:
            self._width = width
            self.clear()
        found = self._by_row.get(row)
        if found is not None:
            return found
        key = row.layout_key()
        found = self._by_key.get(key)
        if found is None:
            found = self._measure(row, width)
            found.size = QSize(width, found.height)
            self._by_key[key] = found
            if len(self._by_key) > CACHE:
                self._by_key.popitem(last=False)
        else:
            self._by_key.move_to_end(key)
        if len(self._by_row) > CACHE:
            self._by_row.clear()  # rows the model dropped; the live ones come back cheaply
        self._by_row[row] = found
        return found

    # -- measuring -------------------------------------------------------------------------------
    def _measure(self, row: MessageRow, width: int) -> RowGeometry:
        fonts = self.fonts
        small = QFontMetricsF(fonts.small)
        y = 0.0
        g = RowGeometry(height=0)
        if row.separator:
            h = fonts.small_line.height + 8
            w = small.horizontalAdvance(row.separator) + 20
            g.separator = QRectF((width - w) / 2, y + 6, w, h)
            y += h + 12
        if row.unread_marker:
            h = fonts.small_line.height + 10
            g.unread = QRectF(0, y + 4, width, h)
            y += h + 12
        if row.style is RowStyle.EVENT:
            return self._event(row, width, y, g)
        return self._bubble(row, width, y, g)

    def _event(self, row: MessageRow, width: int, y: float, g: RowGeometry) -> RowGeometry:
        small = QFontMetricsF(self.fonts.small)
        limit = max(80.0, min(width - 2 * MARGIN - 24.0, MAX_BUBBLE))
        link = self.meta_labels["reedit"] if row.reedit else ""
        link_w = small.horizontalAdvance(link) + 8 if link else 0.0
        layout, natural, height, _ = _wrap(row.text, self.fonts.small, limit - link_w)
        w = natural + link_w + 20
        pill = QRectF((width - w) / 2, y + 3, w, height + 8)
        g.bubble = pill
        g.text = layout
        g.text_at = QPointF(pill.left() + 10, pill.top() + 4)
        if link:
            g.link = QRectF(
                pill.right() - 10 - link_w + 8,
                pill.top() + 4,
                link_w - 8,
                self.fonts.small_line.height,
            )
        g.height = int(pill.bottom() + 6) + 1
        return g

    def _bubble(self, row: MessageRow, width: int, y: float, g: RowGeometry) -> RowGeometry:
        fonts = self.fonts
        small = QFontMetricsF(fonts.small)
        bold = QFontMetricsF(fonts.bold_small)
        y += NEW_GAP if row.first_in_run else RUN_GAP
        indent = MARGIN if row.mine else MARGIN + AVATAR + GAP
        room = width - indent - MARGIN - (AVATAR + GAP if row.mine else 0) - 20
        limit = max(120.0, min(float(MAX_BUBBLE), room * 0.85 if room > 400 else float(room)))
        inner = limit - 2 * PAD_X

        meta_w = small.horizontalAdvance(row.time_text)
        receipt_w = 0.0
        icon = row.mine and row.state is not MessageState.FAILED and not row.receipt_clickable
        if row.mine:
            if row.state is MessageState.FAILED:
                receipt_w = small.horizontalAdvance(self.meta_labels["failed"]) + 6
            elif row.receipt:
                receipt_w = small.horizontalAdvance(row.receipt) + 6
            meta_w += receipt_w + (ICON + 4 if icon else 0)

        layout, natural, text_h, last = _wrap(row.text, fonts.body, inner)
        picture = _fitted(row.picture, inner) if row.picture is not None else None
        if picture is not None:
            natural, text_h, last = picture[0], picture[1] + 4, 0.0
        card = card_size(row, card_line(fonts)) if row.card else None
        if card is not None:
            natural, text_h, last = card[0], card[1] + 4, 0.0
        line = fonts.small_line.height
        name_h = fonts.bold_line.height + 2 if row.sender_name else 0.0
        name_w = bold.horizontalAdvance(row.sender_name) if row.sender_name else 0.0
        reply_h = 2 * line + 8 if row.reply_name else 0.0
        reply_w = (
            min(
                inner,
                max(bold.horizontalAdvance(row.reply_name), small.horizontalAdvance(row.reply_text))
                + 12,
            )
            if row.reply_name
            else 0.0
        )
        inline = (
            last + META_GAP + meta_w <= inner
            and row.picture is None
            and card is None
            and not row.uploading
        )
        content_w = max(natural, name_w, reply_w, (last + META_GAP + meta_w) if inline else meta_w)
        meta_h = 0.0 if inline else line
        progress_h = PROGRESS_H if row.uploading else 0.0
        if row.uploading:
            content_w = max(content_w, 160.0)
        bubble_w = min(limit, content_w + 2 * PAD_X)
        bubble_h = PAD_Y + name_h + reply_h + text_h + progress_h + meta_h + PAD_Y
        left = width - MARGIN - bubble_w if row.mine else float(indent)
        bubble = QRectF(left, y, bubble_w, bubble_h)
        g.bubble = bubble
        if row.show_avatar:
            g.avatar = QRectF(MARGIN, y, AVATAR, AVATAR)
        top = y + PAD_Y
        if row.sender_name:
            g.name = QPointF(bubble.left() + PAD_X, top + fonts.bold_line.ascent)
            top += name_h
        if row.reply_name:
            g.reply = QRectF(bubble.left() + PAD_X, top, bubble_w - 2 * PAD_X, reply_h - 4)
            top += reply_h
        g.text = layout
        g.text_at = QPointF(bubble.left() + PAD_X, top)
        if picture is not None:
            g.text = None
            g.picture = QRectF(bubble.left() + PAD_X, top, *picture)
        if card is not None:
            g.text = None
            g.card = QRectF(bubble.left() + PAD_X, top, min(card[0], inner), card[1])
        if row.uploading:
            bar_top = top + text_h + 6
            right = bubble.right() - PAD_X
            g.cancel = QRectF(right - 14, bar_top - 5, 14, 14)
            g.progress = QRectF(
                bubble.left() + PAD_X, bar_top, right - 20 - bubble.left() - PAD_X, 4
            )
        meta_bottom = bubble.bottom() - PAD_Y + 2
        g.meta = QRectF(bubble.right() - PAD_X - meta_w, meta_bottom - line, meta_w, line)
        x = g.meta.left() + small.horizontalAdvance(row.time_text)
        if receipt_w:
            g.receipt = QRectF(x + 6, g.meta.top(), receipt_w - 6, line)
            x += receipt_w
        if icon:
            g.icon = QRectF(x + 4, g.meta.center().y() - ICON / 2, ICON, ICON)
        if row.mine and row.state is MessageState.FAILED:
            size = 20.0
            g.failed = QRectF(bubble.left() - size - 6, bubble.center().y() - size / 2, size, size)
        bottom = max(bubble.bottom(), g.avatar.bottom() if g.avatar is not None else 0.0)
        g.chips = reaction_chips.place(row, bubble, fonts.small, indent, width - MARGIN)
        if g.chips:
            bottom = max(bottom, g.chips[-1][0].bottom())
        g.height = int(bottom) + 2
        return g
