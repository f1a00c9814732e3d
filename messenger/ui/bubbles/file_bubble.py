"""The file bubble: an icon by type (a sheet of paper in the type's colour with its extension),
the name elided in the middle (so the extension stays), and the size; while the file downloads,
a ring of progress round a × on the icon (click: cancel) and "1.2 MB / 5 MB · 3 s left".
A file not here yet shows an arrow: a click downloads it, a click on a file that is here opens it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from messenger.protocol.bodies import FileBody
from messenger.protocol.filenames import safe_name
from messenger.ui.icons import paint_arrow, paint_cross
from messenger.viewmodels.cards import file_type, progress_text, size_text
from messenger.viewmodels.message_rows import MessageRow

if TYPE_CHECKING:
    from messenger.ui.bubbles import CardContext

WIDTH = 250.0
ICON_W = 38.0
GAP = 10.0

GROUP_COLORS = {
    "document": "#4a7bd0",
    "sheet": "#2e9d5b",
    "slides": "#d9772b",
    "archive": "#8a6bbf",
    "image": "#c9487a",
    "audio": "#c18d0f",
    "video": "#d0453a",
    "code": "#5b6b7a",
    "program": "#6d4c41",
    "other": "#7f8c8d",
}


def shown_name(body: FileBody) -> str:
    """The name as it will be saved: no folders, no direction overrides (a right-to-left mark
    would show "invoice‮fdp.exe" as "invoiceexe.pdf")."""
    return safe_name(body.name, size_text(body.size))


def size(line: float) -> tuple[float, float]:
    return WIDTH, max(46.0, 2 * line + 14)


def icon_rect(rect: QRectF) -> QRectF:
    return QRectF(rect.left(), rect.top() + (rect.height() - 46) / 2, ICON_W, 46)


def hit(row: MessageRow, rect: QRectF, point: QPointF, ctx: CardContext) -> str:
    if not rect.contains(point):
        return ""
    media_id = getattr(row.message.content, "media_id", "")
    downloading = ctx.downloads is not None and ctx.downloads.of(media_id) is not None
    if downloading:
        return "file_cancel" if icon_rect(rect).adjusted(-4, -4, 4, 4).contains(point) else ""
    return "file"


def paint(painter: QPainter, row: MessageRow, rect: QRectF, ctx: CardContext) -> None:
    body = row.message.content
    if not isinstance(body, FileBody):
        return
    colors = ctx.colors
    text_color = colors.own_text if row.mine else colors.other_text
    label, group = file_type(shown_name(body))
    icon = icon_rect(rect)
    _paper(painter, icon, QColor(GROUP_COLORS[group]), label, ctx.small_font)

    downloads = ctx.downloads
    progress = downloads.of(body.media_id) if downloads is not None else None
    here = row.mine or (downloads is not None and downloads.is_here(row.message))
    if progress is not None:
        _ring(painter, icon, progress.fraction, colors.badge_text)
    elif not here:
        _badge(painter, icon)

    left = icon.right() + GAP
    width = rect.right() - left
    body_font = QFont(ctx.body_font)
    body_font.setWeight(QFont.Weight.DemiBold)
    name_metrics = QFontMetricsF(body_font)
    name = name_metrics.elidedText(shown_name(body), Qt.TextElideMode.ElideMiddle, width)
    painter.setFont(body_font)
    painter.setPen(text_color)
    name_h = name_metrics.height()
    top = rect.top() + (rect.height() - name_h - QFontMetricsF(ctx.small_font).height()) / 2
    painter.drawText(
        QRectF(left, top, width, name_h),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        name,
    )
    detail = (
        progress_text(progress.done, progress.size or body.size, progress.seconds_left)
        if progress is not None
        else size_text(body.size)
    )
    painter.setFont(ctx.small_font)
    painter.setPen(colors.meta_text)
    painter.drawText(
        QRectF(left, top + name_h, width, rect.bottom() - top - name_h),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        detail,
    )


def _paper(painter: QPainter, rect: QRectF, color: QColor, label: str, font: QFont) -> None:
    """A sheet with its top-right corner folded, the type's colour, the extension on it."""
    painter.save()
    fold = 10.0
    path = QPainterPath()
    path.moveTo(rect.left() + 3, rect.top())
    path.lineTo(rect.right() - fold, rect.top())
    path.lineTo(rect.right(), rect.top() + fold)
    path.lineTo(rect.right(), rect.bottom() - 3)
    path.quadTo(rect.right(), rect.bottom(), rect.right() - 3, rect.bottom())
    path.lineTo(rect.left() + 3, rect.bottom())
    path.quadTo(rect.left(), rect.bottom(), rect.left(), rect.bottom() - 3)
    path.lineTo(rect.left(), rect.top() + 3)
    path.quadTo(rect.left(), rect.top(), rect.left() + 3, rect.top())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPath(path)
    corner = QPainterPath()
    corner.moveTo(rect.right() - fold, rect.top())
    corner.lineTo(rect.right() - fold, rect.top() + fold)
    corner.lineTo(rect.right(), rect.top() + fold)
    corner.closeSubpath()
    painter.setBrush(color.lighter(150))
    painter.drawPath(corner)
    if label:
        small = QFont(font)
        small.setWeight(QFont.Weight.Bold)
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(
            QRectF(rect.left(), rect.bottom() - 20, rect.width(), 16),
            Qt.AlignmentFlag.AlignCenter,
            label,
        )
    painter.restore()


def _badge(painter: QPainter, icon: QRectF) -> None:
    """A round "download" mark on the icon: the file is not here yet."""
    painter.save()
    circle = QRectF(icon.center().x() - 11, icon.top() + 6, 22, 22)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 90))
    painter.drawEllipse(circle)
    paint_arrow(painter, circle.adjusted(2, 3, -2, 1), QColor("#ffffff"), down=True)
    painter.restore()


def _ring(painter: QPainter, icon: QRectF, fraction: float, color: QColor) -> None:
    """Progress round a ×: the file is coming (click the × to stop)."""
    painter.save()
    circle = QRectF(icon.center().x() - 13, icon.top() + 4, 26, 26)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 110))
    painter.drawEllipse(circle)
    pen = QPen(color, 2.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    span = max(0.04, fraction) * 360
    painter.drawArc(circle.adjusted(2, 2, -2, -2), 90 * 16, int(-span * 16))
    paint_cross(painter, circle.adjusted(6, 6, -6, -6), color)
    painter.restore()
