"""What a video bubble adds to its frame (the reserved picture place, grey or the thumbnail): a
round play button in the middle and the length in a dark pill at the bottom left. A click opens
the video player."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath

from messenger.protocol.bodies import VideoBody
from messenger.viewmodels.message_rows import MessageRow
from messenger.viewmodels.texts import duration_text


def paint_overlay(painter: QPainter, row: MessageRow, rect: QRectF, font: QFont) -> None:
    body = row.message.content
    if not isinstance(body, VideoBody):
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    c = rect.center()
    radius = min(24.0, rect.width() / 4, rect.height() / 4)
    painter.setBrush(QColor(0, 0, 0, 130))
    painter.drawEllipse(c, radius, radius)
    triangle = QPainterPath()
    triangle.moveTo(c.x() - radius * 0.35, c.y() - radius * 0.5)
    triangle.lineTo(c.x() + radius * 0.55, c.y())
    triangle.lineTo(c.x() - radius * 0.35, c.y() + radius * 0.5)
    triangle.closeSubpath()
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(triangle)
    text = duration_text(body.duration_ms)
    metrics = QFontMetricsF(font)
    pill = QRectF(
        rect.left() + 6,
        rect.bottom() - metrics.height() - 10,
        metrics.horizontalAdvance(text) + 12,
        metrics.height() + 4,
    )
    painter.setBrush(QColor(0, 0, 0, 140))
    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
