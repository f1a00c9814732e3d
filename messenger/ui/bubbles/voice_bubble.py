"""The voice bubble: a round play / pause button, the waveform (the sender's peaks; bars up to
where it has played in the link colour) and the time: the length, or "0:02 / 0:05" while it
plays. A click anywhere on it plays or pauses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPalette

from messenger.protocol.bodies import VoiceBody
from messenger.viewmodels.message_rows import MessageRow
from messenger.viewmodels.texts import duration_text

if TYPE_CHECKING:
    from messenger.ui.bubbles import CardContext

WIDTH = 230.0
BUTTON = 36.0
BARS = 32


def size(line: float) -> tuple[float, float]:
    return WIDTH, max(BUTTON + 4, line + 30)


def button_rect(rect: QRectF) -> QRectF:
    return QRectF(rect.left(), rect.top() + (rect.height() - BUTTON) / 2, BUTTON, BUTTON)


def hit(row: MessageRow, rect: QRectF, point: QPointF, ctx: CardContext) -> str:
    return "voice_play" if rect.contains(point) else ""


def bars(peaks: list[int], count: int = BARS) -> list[float]:
    """The peaks (0–255) resampled to ``count`` bars of 0–1; a low even line without peaks."""
    if not peaks:
        return [0.25] * count
    out = []
    for i in range(count):
        start = i * len(peaks) // count
        end = max(start + 1, (i + 1) * len(peaks) // count)
        out.append(max(0.12, max(peaks[start:end]) / 255))
    return out


def paint(painter: QPainter, row: MessageRow, rect: QRectF, ctx: CardContext) -> None:
    body = row.message.content
    if not isinstance(body, VoiceBody):
        return
    accent = ctx.palette.color(QPalette.ColorRole.Link)
    colors = ctx.colors
    playing = ctx.voice is not None and ctx.voice.playing(body.media_id)
    position = ctx.voice.position_ms(body.media_id) if ctx.voice is not None else 0
    button = button_rect(rect)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(accent)
    painter.drawEllipse(button)
    painter.setBrush(QColor("#ffffff"))
    c = button.center()
    if playing:
        for dx in (-5.0, 2.0):
            painter.drawRoundedRect(QRectF(c.x() + dx, c.y() - 7, 3.5, 14), 1, 1)
    else:
        triangle = QPainterPath()
        triangle.moveTo(c.x() - 4, c.y() - 8)
        triangle.lineTo(c.x() + 8, c.y())
        triangle.lineTo(c.x() - 4, c.y() + 8)
        triangle.closeSubpath()
        painter.drawPath(triangle)

    left = button.right() + 10
    wave = QRectF(left, rect.top() + 4, rect.right() - left, rect.height() - 22)
    played = min(1.0, position / body.duration_ms) if body.duration_ms and position else 0.0
    levels = bars(body.peaks)
    step = wave.width() / len(levels)
    idle = QColor(colors.meta_text)
    idle.setAlpha(120)
    for i, level in enumerate(levels):
        h = max(3.0, wave.height() * level)
        x = wave.left() + i * step
        painter.setBrush(accent if (i + 0.5) / len(levels) <= played else idle)
        painter.drawRoundedRect(QRectF(x, wave.center().y() - h / 2, step * 0.55, h), 1.2, 1.2)

    total = duration_text(body.duration_ms)
    text = f"{duration_text(position)} / {total}" if playing or position else total
    painter.setFont(ctx.small_font)
    painter.setPen(colors.meta_text)
    line = QFontMetricsF(ctx.small_font).height()
    painter.drawText(
        QRectF(left, rect.bottom() - line - 1, wave.width(), line),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        text,
    )
    painter.restore()
