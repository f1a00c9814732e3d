"""What a video bubble adds to its frame (the reserved picture place, grey or the thumbnail): a
round play button in the middle and the length in a dark pill at the bottom left. A click
downloads the video and opens the player; while it downloads, the button is a ring of progress
round a × (a click on it cancels; the next click on the video continues) and the pill says
"1.2 MB / 5 MB · 3 s left"."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from messenger.protocol.bodies import VideoBody
from messenger.ui.icons import paint_cross
from messenger.viewmodels.cards import progress_text
from messenger.viewmodels.downloads import DownloadView
from messenger.viewmodels.message_rows import MessageRow
from messenger.viewmodels.texts import duration_text


def button_radius(rect: QRectF) -> float:
    return min(24.0, rect.width() / 4, rect.height() / 4)


def button_rect(rect: QRectF) -> QRectF:
    """The round button in the middle of the frame (play, or the download's ring and ×)."""
    r = button_radius(rect)
    c = rect.center()
    return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)


def hit(rect: QRectF, point: QPointF, downloading: bool) -> str:
    """A click on the frame: "file_cancel" on the button while it downloads, else "picture"
    (download if needed, then play)."""
    if downloading and button_rect(rect).adjusted(-4, -4, 4, 4).contains(point):
        return "file_cancel"
    return "picture"


def paint_overlay(
    painter: QPainter,
    row: MessageRow,
    rect: QRectF,
    font: QFont,
    progress: DownloadView | None = None,
) -> None:
    body = row.message.content
    if not isinstance(body, VideoBody):
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    button = button_rect(rect)
    c, radius = button.center(), button.width() / 2
    painter.setBrush(QColor(0, 0, 0, 130))
    painter.drawEllipse(c, radius, radius)
    white = QColor("#ffffff")
    if progress is None:
        triangle = QPainterPath()
        triangle.moveTo(c.x() - radius * 0.35, c.y() - radius * 0.5)
        triangle.lineTo(c.x() + radius * 0.55, c.y())
        triangle.lineTo(c.x() - radius * 0.35, c.y() + radius * 0.5)
        triangle.closeSubpath()
        painter.setBrush(white)
        painter.drawPath(triangle)
        text = duration_text(body.duration_ms)
    else:
        inset = radius * 0.15
        ring = button.adjusted(inset, inset, -inset, -inset)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 70), 2.5))
        painter.drawEllipse(ring)  # the track
        pen = QPen(white, 2.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        span = max(0.04, progress.fraction) * 360
        painter.drawArc(ring, 90 * 16, int(-span * 16))
        cross = radius * 0.4
        paint_cross(painter, QRectF(c.x() - cross, c.y() - cross, 2 * cross, 2 * cross), white)
        painter.setPen(Qt.PenStyle.NoPen)
        text = progress_text(progress.done, progress.size or body.size, progress.seconds_left)
    metrics = QFontMetricsF(font)
    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, rect.width() - 24))
    pill = QRectF(
        rect.left() + 6,
        rect.bottom() - metrics.height() - 10,
        metrics.horizontalAdvance(text) + 12,
        metrics.height() + 4,
    )
    painter.setBrush(QColor(0, 0, 0, 140))
    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
    painter.setFont(font)
    painter.setPen(white)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
