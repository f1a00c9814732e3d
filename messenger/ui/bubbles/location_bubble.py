"""The location bubble: a map pin, the place's description (two lines at most) and its
coordinates; a click opens the place in a web map (OpenStreetMap) through the desktop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette

from messenger.protocol.bodies import LocationBody
from messenger.viewmodels.message_rows import MessageRow

if TYPE_CHECKING:
    from messenger.ui.bubbles import CardContext

WIDTH = 250.0
PIN = 40.0


def size(line: float) -> tuple[float, float]:
    return WIDTH, max(PIN + 8, 3 * line + 12)


def hit(row: MessageRow, rect: QRectF, point: QPointF, ctx: CardContext) -> str:
    return "location" if rect.contains(point) else ""


def coordinates(body: LocationBody) -> str:
    """52.52000° N, 13.40500° E"""
    lat = f"{abs(body.latitude):.5f}° {'N' if body.latitude >= 0 else 'S'}"
    lon = f"{abs(body.longitude):.5f}° {'E' if body.longitude >= 0 else 'W'}"
    return f"{lat}, {lon}"


def map_url(body: LocationBody) -> str:
    lat, lon = f"{body.latitude:.6f}", f"{body.longitude:.6f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"


def paint(painter: QPainter, row: MessageRow, rect: QRectF, ctx: CardContext) -> None:
    body = row.message.content
    if not isinstance(body, LocationBody):
        return
    painter.save()
    tile = QRectF(rect.left(), rect.top() + (rect.height() - PIN) / 2, PIN, PIN)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#3f8f5a"))
    painter.drawRoundedRect(tile, 8, 8)
    pin = QPainterPath()
    c = QPointF(tile.center().x(), tile.top() + PIN * 0.42)
    r = PIN * 0.2
    pin.addEllipse(c, r, r)
    tip = QPainterPath()
    tip.moveTo(c.x() - r * 0.9, c.y() + r * 0.45)
    tip.lineTo(c.x(), tile.bottom() - PIN * 0.14)
    tip.lineTo(c.x() + r * 0.9, c.y() + r * 0.45)
    tip.closeSubpath()
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(pin.united(tip))
    painter.setBrush(QColor("#3f8f5a"))
    painter.drawEllipse(c, r * 0.4, r * 0.4)

    left = tile.right() + 10
    width = rect.right() - left
    bold = QFont(ctx.body_font)
    bold.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetricsF(bold)
    text = body.description.strip() or coordinates(body)
    painter.setFont(bold)
    painter.setPen(ctx.colors.own_text if row.mine else ctx.colors.other_text)
    lines = 2 if metrics.horizontalAdvance(text) > width else 1
    text_h = metrics.height() * lines
    painter.drawText(
        QRectF(left, rect.top() + 2, width, text_h),
        Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
        metrics.elidedText(text, Qt.TextElideMode.ElideRight, width * lines),
    )
    painter.setFont(ctx.small_font)
    painter.setPen(ctx.palette.color(QPalette.ColorRole.Link))
    painter.drawText(
        QRectF(left, rect.bottom() - QFontMetricsF(ctx.small_font).height() - 2, width, 20),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        coordinates(body),
    )
    painter.restore()
