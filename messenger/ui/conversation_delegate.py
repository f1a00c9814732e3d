"""``ConversationDelegate``: one painted row of the conversation list.

Avatar | name (pin) · time
       | [flag] preview · (muted) badge

Everything is painted as plain text with the palette and ``chat_colors``; a theme switch
repaints with the new colours.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from messenger.ui.avatars import paint_avatar
from messenger.ui.fonts import line_metrics
from messenger.ui.icons import paint_fold, paint_muted, paint_pin
from messenger.ui.theme import ChatColors, chat_colors
from messenger.viewmodels.conversation_list import (
    COMMUNITY,
    FOLDED_ROLE,
    ROW_ROLE,
    TOPIC,
    TOPIC_ROLE,
)
from messenger.viewmodels.conversation_rows import ConversationRow

AVATAR = 44
MARGIN = 12
GAP = 10


def paint_badge(
    painter: QPainter, right: int, center_y: int, text: str, color: QColor, text_color: QColor
) -> int:
    """A pill with ``text`` ending at ``right``; returns its left edge."""
    font = QFont(painter.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    font.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetrics(font)
    height = metrics.height() + 4
    width = max(height, metrics.horizontalAdvance(text) + 12)
    rect = QRectF(right - width, center_y - height / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setFont(font)
    painter.setPen(text_color)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return int(rect.left())


TOPIC_INDENT = 16  # a topic's avatar sits this much further in, and is smaller by
TOPIC_SHRINK = 8


def fold_zone(rect: QRect) -> QRect:
    """Where a community row's fold mark is (a click there folds or unfolds its topics)."""
    return QRect(rect.left(), rect.top(), MARGIN, rect.height())


class ConversationDelegate(QStyledItemDelegate):
    _palette_key = -1
    _colors: ChatColors | None = None

    def colors(self, palette: QPalette) -> ChatColors:
        """The chat colours of ``palette``, made again only when it changes (a theme switch)."""
        key = palette.cacheKey()
        if self._colors is None or key != self._palette_key:
            self._palette_key, self._colors = key, chat_colors(palette)
        return self._colors

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = line_metrics(option.font).height  # Chinese included
        return QSize(240, int(max(AVATAR + 2 * MARGIN - 4, 2 * line + 28)))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, ConversationRow):
            return
        palette = option.palette
        colors = self.colors(palette)
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        elif hovered or row.pinned:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        meta = text_color if selected else colors.meta_text

        nesting = index.data(TOPIC_ROLE)
        side = AVATAR - TOPIC_SHRINK if nesting == TOPIC else AVATAR
        indent = TOPIC_INDENT if nesting == TOPIC else 0
        avatar = QRect(rect.left() + MARGIN + indent, rect.center().y() - side // 2 + 1, side, side)
        paint_avatar(painter, avatar, row.avatar_key, row.name, colors.badge_text)
        if nesting == COMMUNITY:  # its topics below: a fold mark in the left margin
            fold = QRectF(fold_zone(rect))
            folded = bool(index.data(FOLDED_ROLE))
            paint_fold(
                painter,
                fold.adjusted(1, fold.height() / 2 - 6, -1, -(fold.height() / 2 - 6)),
                meta,
                folded,
            )

        left = avatar.right() + GAP + 1
        right = rect.right() - MARGIN
        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        top_line = rect.top() + rect.height() // 2 - 2
        bottom_line = rect.top() + rect.height() // 2 + 2

        # First line: name, pin, time.
        painter.setFont(small)
        time_width = painter.fontMetrics().horizontalAdvance(row.time_text)
        painter.setPen(meta)
        painter.drawText(
            QRect(right - time_width, rect.top(), time_width, top_line - rect.top()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            row.time_text,
        )
        name_right = right - time_width - 8
        if row.muted:
            name_right -= 16
        painter.setFont(bold)
        name_metrics = painter.fontMetrics()
        name = name_metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, name_right - left)
        painter.setPen(text_color)
        name_rect = QRect(left, rect.top(), name_right - left, top_line - rect.top())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, name)
        if row.muted:
            x = left + name_metrics.horizontalAdvance(name) + 5
            h = name_metrics.ascent() - 1
            paint_muted(painter, QRectF(x, top_line - name_metrics.descent() - h, h, h), meta)

        # Second line: badge or pin at the right, flag and preview.
        line_height = int(line_metrics(base).height + 0.5)
        center = bottom_line + line_height // 2
        preview_right = right
        if row.badge:
            badge_color = colors.badge_muted if row.muted else colors.badge
            preview_right = (
                paint_badge(
                    painter, right, center, _badge_text(row.badge), badge_color, colors.badge_text
                )
                - 8
            )
        elif row.pinned:
            size = line_height - 4
            paint_pin(painter, QRectF(right - size, center - size / 2, size, size), meta)
            preview_right = right - size - 8
        painter.setFont(base)
        metrics = painter.fontMetrics()
        x = left
        line_rect = QRect(left, bottom_line, preview_right - left, line_height)
        if row.flag:
            painter.setPen(text_color if selected else colors.badge)
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft, row.flag)
            x += metrics.horizontalAdvance(row.flag + " ")
        preview = metrics.elidedText(row.preview, Qt.TextElideMode.ElideRight, preview_right - x)
        painter.setPen(meta)
        painter.drawText(
            QRect(x, bottom_line, preview_right - x, line_height),
            Qt.AlignmentFlag.AlignLeft,
            preview,
        )
        painter.restore()


def _badge_text(count: int) -> str:
    return "999+" if count > 999 else str(count)
