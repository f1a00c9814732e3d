"""The chat history card of a merged forward: its title, up to four "Name: words" preview
lines, a thin rule and the footer "Chat history · 3 messages"; a click opens the viewer.

The words come ready from the row (``MessageRow.card_lines``: names resolved, footer
translated); the card only places them, one line each, elided at the card's width."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from messenger.viewmodels.message_rows import MessageRow

if TYPE_CHECKING:
    from messenger.ui.bubbles import CardContext

WIDTH = 260.0
TITLE_GAP = 4.0  # title ↔ first preview line
RULE_GAP = 6.0  # above and below the rule


def size(row: MessageRow, line: float) -> tuple[float, float]:
    """Title, preview lines, rule, footer; ``line`` is the height of one line of small text
    (Chinese included)."""
    previews = max(0, len(row.card_lines) - 2)
    return WIDTH, line + TITLE_GAP + previews * line + 2 * RULE_GAP + 1 + line


def hit(row: MessageRow, rect: QRectF, point: QPointF, ctx: CardContext) -> str:
    return "merged" if rect.contains(point) else ""


def paint(painter: QPainter, row: MessageRow, rect: QRectF, ctx: CardContext) -> None:
    if len(row.card_lines) < 2:
        return
    title, *previews, footer = row.card_lines
    colors = ctx.colors
    text_color = colors.own_text if row.mine else colors.other_text
    faint = QColor(text_color)
    faint.setAlphaF(0.68)
    small = ctx.small_font
    bold = QFont(small)
    bold.setWeight(QFont.Weight.DemiBold)
    line = ctx.line or _line(small, bold)
    width = rect.width()
    align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    painter.save()
    y = rect.top()
    painter.setFont(bold)
    painter.setPen(text_color)
    painter.drawText(QRectF(rect.left(), y, width, line), align, _elided(title, bold, width))
    y += line + TITLE_GAP
    painter.setFont(small)
    painter.setPen(faint)
    for words in previews:
        painter.drawText(QRectF(rect.left(), y, width, line), align, _elided(words, small, width))
        y += line
    y += RULE_GAP
    rule = QColor(text_color)
    rule.setAlphaF(0.2)
    painter.fillRect(QRectF(rect.left(), y, width, 1), rule)
    y += 1 + RULE_GAP
    painter.setPen(faint)
    painter.drawText(QRectF(rect.left(), y, width, line), align, _elided(footer, small, width))
    painter.restore()


def _line(small: QFont, bold: QFont) -> float:
    return max(QFontMetricsF(small).height(), QFontMetricsF(bold).height())


def _elided(text: str, font: QFont, width: float) -> str:
    one_line = " ".join(text.split())
    return QFontMetricsF(font).elidedText(one_line, Qt.TextElideMode.ElideRight, width)
