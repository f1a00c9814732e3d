"""Reaction chips under a bubble: "👍 2", one per emoji, mine outlined; where they go (measured
with the row, ``message_layout``), how they are painted and which one a point is on.

Kept apart from the bubble painter so the bubbles of other kinds can change around it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from messenger.ui.theme import ChatColors
from messenger.viewmodels.message_rows import Chip, MessageRow

GAP = 4  # between chips, and between the bubble and the first line of chips
PAD_X = 7
PAD_Y = 2

Chips = list[tuple[QRectF, Chip]]


def chip_label(chip: Chip) -> str:
    return f"{chip.emoji} {chip.count}"


def place(row: MessageRow, bubble: QRectF, font: QFont, left: float, right: float) -> Chips:
    """The chips' rectangles, in lines under ``bubble`` between ``left`` and ``right``: from the
    bubble's left edge, or ending at its right edge for my own messages."""
    if not row.reactions:
        return []
    metrics = QFontMetricsF(font)
    height = metrics.height() + 2 * PAD_Y
    sizes = [metrics.horizontalAdvance(chip_label(c)) + 2 * PAD_X for c in row.reactions]
    lines: list[list[int]] = [[]]
    room = right - left
    used = 0.0
    for i, w in enumerate(sizes):
        if lines[-1] and used + GAP + w > room:
            lines.append([])
            used = 0.0
        used += (GAP if lines[-1] else 0.0) + w
        lines[-1].append(i)
    placed: Chips = []
    y = bubble.bottom() + GAP
    for line in lines:
        total = sum(sizes[i] for i in line) + GAP * (len(line) - 1)
        x = bubble.right() - total if row.mine else bubble.left()
        x = max(left, min(x, right - total))
        for i in line:
            placed.append((QRectF(x, y, sizes[i], height), row.reactions[i]))
            x += sizes[i] + GAP
        y += height + GAP
    return placed


def paint(painter: QPainter, chips: Chips, colors: ChatColors, font: QFont) -> None:
    painter.setFont(font)
    for rect, chip in chips:
        fill = QColor(colors.selection)
        fill.setAlpha(60 if chip.mine else 28)
        painter.setBrush(fill)
        painter.setPen(QPen(colors.selection, 1.2) if chip.mine else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(colors.other_text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, chip_label(chip))


def chip_at(chips: Chips, point: QPointF) -> Chip | None:
    return next((chip for rect, chip in chips if rect.contains(point)), None)
