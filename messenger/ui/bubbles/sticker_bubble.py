"""The sticker bubble: the sticker of the app's pack, 112 px; one it does not know is drawn as a
dashed square with "[Sticker]"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from messenger.protocol.bodies import FaceBody
from messenger.ui.sticker_pack import paint_sticker
from messenger.viewmodels.message_rows import MessageRow

if TYPE_CHECKING:
    from messenger.ui.bubbles import CardContext

SIDE = 112.0


def size(line: float) -> tuple[float, float]:
    return SIDE, SIDE


def paint(painter: QPainter, row: MessageRow, rect: QRectF, ctx: CardContext) -> None:
    body = row.message.content
    if not isinstance(body, FaceBody):
        return
    painter.save()
    if not paint_sticker(painter, rect, body.pack, body.name):
        pen = QPen(ctx.colors.meta_text, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), 12, 12)
        painter.setFont(ctx.small_font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "[Sticker]")
    painter.restore()
