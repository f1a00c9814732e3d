"""Small glyphs painted with lines (pin, muted bell, ticks, spinner, arrows), so they look the
same on every platform and follow the palette; no icon fonts or image files."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


def _pen(color: QColor, width: float = 1.4) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def paint_pin(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """A push pin, tilted."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(rect.center())
    painter.rotate(45)
    s = min(rect.width(), rect.height()) / 2
    painter.setPen(_pen(color, 1.3))
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(-s * 0.35, -s, s * 0.7, s * 0.9), 1.5, 1.5)
    painter.drawLine(QPointF(-s * 0.6, -s * 0.1), QPointF(s * 0.6, -s * 0.1))
    painter.drawLine(QPointF(0, -s * 0.1), QPointF(0, s))
    painter.restore()


def paint_muted(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """A bell with a slash through it."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    w, h = rect.width(), rect.height()
    x, y = rect.left(), rect.top()
    path = QPainterPath()
    path.moveTo(x + w * 0.2, y + h * 0.75)
    path.lineTo(x + w * 0.8, y + h * 0.75)
    path.cubicTo(x + w * 0.7, y + h * 0.6, x + w * 0.75, y + h * 0.15, x + w * 0.5, y + h * 0.15)
    path.cubicTo(x + w * 0.25, y + h * 0.15, x + w * 0.3, y + h * 0.6, x + w * 0.2, y + h * 0.75)
    painter.setPen(_pen(color, 1.2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.drawLine(QPointF(x + w * 0.42, y + h * 0.88), QPointF(x + w * 0.58, y + h * 0.88))
    painter.drawLine(QPointF(x + w * 0.1, y + h * 0.1), QPointF(x + w * 0.9, y + h * 0.9))
    painter.restore()


def paint_ticks(painter: QPainter, rect: QRectF, color: QColor, double: bool) -> None:
    """One tick (sent) or two (read)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, 1.3))
    h = rect.height()
    x, y = rect.left(), rect.top()
    for shift in (0.0, h * 0.45) if double else (0.0,):
        painter.drawPolyline(
            [
                QPointF(x + shift, y + h * 0.55),
                QPointF(x + shift + h * 0.3, y + h * 0.85),
                QPointF(x + shift + h * 0.85, y + h * 0.2),
            ]
        )
    painter.restore()


def paint_spinner(painter: QPainter, rect: QRectF, color: QColor, angle: int) -> None:
    """A three-quarter circle turned by ``angle`` degrees (the sending clock)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, 1.4))
    painter.drawArc(rect.adjusted(1, 1, -1, -1), -angle * 16, 270 * 16)
    painter.restore()


def paint_arrow(painter: QPainter, rect: QRectF, color: QColor, down: bool) -> None:
    """A chevron pointing down (or up)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, 2.0))
    c = rect.center()
    w, h = rect.width() * 0.32, rect.height() * 0.16
    sign = 1 if down else -1
    painter.drawPolyline(
        [
            QPointF(c.x() - w, c.y() - sign * h),
            c + QPointF(0, sign * h),
            QPointF(c.x() + w, c.y() - sign * h),
        ]
    )
    painter.restore()


def paint_fold(painter: QPainter, rect: QRectF, color: QColor, folded: bool) -> None:
    """A chevron pointing right (folded) or down (unfolded), as in a tree."""
    if not folded:
        paint_arrow(painter, rect, color, down=True)
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, 2.0))
    c = rect.center()
    w, h = rect.width() * 0.16, rect.height() * 0.32
    painter.drawPolyline(
        [QPointF(c.x() - w, c.y() - h), c + QPointF(w, 0), QPointF(c.x() - w, c.y() + h)]
    )
    painter.restore()


def _icon(paint: object, color: QColor, size: int = 20) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    assert callable(paint)
    paint(painter, QRectF(2, 2, size - 4, size - 4), color)
    painter.end()
    return QIcon(pixmap)


def _smiley(painter: QPainter, rect: QRectF, color: QColor) -> None:
    painter.setPen(_pen(color, 1.5))
    painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
    r = rect.width()
    painter.setBrush(color)
    for dx in (0.36, 0.64):
        painter.drawEllipse(QPointF(rect.left() + r * dx, rect.top() + r * 0.4), 1.2, 1.2)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(rect.adjusted(r * 0.28, r * 0.3, -r * 0.28, -r * 0.22), -20 * 16, -140 * 16)


def _plane(painter: QPainter, rect: QRectF, color: QColor) -> None:
    path = QPainterPath()
    x, y, w, h = rect.left(), rect.top(), rect.width(), rect.height()
    path.moveTo(x + w * 0.05, y + h * 0.45)
    path.lineTo(x + w * 0.95, y + h * 0.1)
    path.lineTo(x + w * 0.65, y + h * 0.92)
    path.lineTo(x + w * 0.45, y + h * 0.6)
    path.closeSubpath()
    painter.setPen(_pen(color, 1.2))
    painter.setBrush(color)
    painter.drawPath(path)


def _panel(painter: QPainter, rect: QRectF, color: QColor) -> None:
    painter.setPen(_pen(color, 1.4))
    painter.drawRoundedRect(rect.adjusted(1, 2, -1, -2), 2, 2)
    x = rect.left() + rect.width() * 0.62
    painter.drawLine(QPointF(x, rect.top() + 2), QPointF(x, rect.bottom() - 2))


def paint_cross(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """A small × (cancel)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, 1.5))
    r = rect.adjusted(3, 3, -3, -3)
    painter.drawLine(r.topLeft(), r.bottomRight())
    painter.drawLine(r.topRight(), r.bottomLeft())
    painter.restore()


def _close(painter: QPainter, rect: QRectF, color: QColor) -> None:
    painter.setPen(_pen(color, 1.6))
    r = rect.adjusted(4, 4, -4, -4)
    painter.drawLine(r.topLeft(), r.bottomRight())
    painter.drawLine(r.topRight(), r.bottomLeft())


def _clip(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """A paper clip, upright and slightly tilted."""
    painter.save()
    painter.translate(rect.center())
    painter.rotate(35)
    s = min(rect.width(), rect.height()) / 2
    path = QPainterPath()
    path.moveTo(s * 0.25, -s * 0.35)
    path.lineTo(s * 0.25, s * 0.55)
    path.arcTo(QRectF(-s * 0.35, s * 0.25, s * 0.6, s * 0.6), 0, -180)
    path.lineTo(-s * 0.35, -s * 0.65)
    path.arcTo(QRectF(-s * 0.35, -s * 0.95, s * 0.8, s * 0.6), 180, -180)
    path.lineTo(s * 0.45, s * 0.7)
    painter.setPen(_pen(color, 1.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


def _mic(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """A microphone: a rounded capsule on a stand."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, 1.6))
    c = rect.center()
    w, h = rect.width(), rect.height()
    capsule = QRectF(c.x() - w * 0.14, rect.top() + h * 0.12, w * 0.28, h * 0.48)
    painter.drawRoundedRect(capsule, w * 0.14, w * 0.14)
    cup = QRectF(c.x() - w * 0.26, rect.top() + h * 0.3, w * 0.52, h * 0.45)
    painter.drawArc(cup, 200 * 16, 140 * 16)
    painter.drawLine(QPointF(c.x(), cup.bottom()), QPointF(c.x(), rect.bottom() - h * 0.08))
    painter.restore()


def mic_icon(color: QColor) -> QIcon:
    return _icon(_mic, color)


def attach_icon(color: QColor) -> QIcon:
    return _icon(_clip, color)


def emoji_icon(color: QColor) -> QIcon:
    return _icon(_smiley, color)


def send_icon(color: QColor) -> QIcon:
    return _icon(_plane, color)


def panel_icon(color: QColor) -> QIcon:
    return _icon(_panel, color)


def close_icon(color: QColor) -> QIcon:
    return _icon(_close, color, 16)


def _bubble(painter: QPainter, rect: QRectF, color: QColor) -> None:
    painter.setPen(_pen(color, 1.5))
    body = rect.adjusted(1, 2, -1, -5)
    path = QPainterPath()
    path.addRoundedRect(body, 5, 5)
    tail = QPainterPath()
    tail.moveTo(body.left() + body.width() * 0.25, body.bottom() - 1)
    tail.lineTo(body.left() + body.width() * 0.18, rect.bottom() - 1)
    tail.lineTo(body.left() + body.width() * 0.45, body.bottom() - 1)
    painter.drawPath(path.united(tail))


def _person(painter: QPainter, rect: QRectF, color: QColor) -> None:
    painter.setPen(_pen(color, 1.5))
    w, h = rect.width(), rect.height()
    painter.drawEllipse(QRectF(rect.left() + w * 0.32, rect.top() + 1, w * 0.36, h * 0.38))
    painter.drawArc(
        QRectF(rect.left() + w * 0.12, rect.top() + h * 0.5, w * 0.76, h * 0.9), 0, 180 * 16
    )


def chats_icon(color: QColor) -> QIcon:
    return _icon(_bubble, color, 24)


def contacts_icon(color: QColor) -> QIcon:
    return _icon(_person, color, 24)


def with_badge(icon: QIcon, count: int, size: int = 24) -> QIcon:
    """``icon`` with a red count in its top-right corner ("99+" past 99), as on a phone's
    home screen; ``icon`` itself when ``count`` is 0."""
    if count <= 0:
        return icon
    pixmap = icon.pixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = str(count) if count < 100 else "99+"
    font = painter.font()
    font.setPixelSize(9)
    font.setBold(True)
    painter.setFont(font)
    width = max(12.0, painter.fontMetrics().horizontalAdvance(text) + 6.0)
    badge = QRectF(size - width, 0, width, 12)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(229, 57, 53))
    painter.drawRoundedRect(badge, 6, 6)
    painter.setPen(QColor(255, 255, 255))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)
