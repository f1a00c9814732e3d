"""The app's own sticker pack (drawn for this project as SVG, in ``ui/stickers/``): its names
in order, and each sticker drawn at any size. A sticker message names its pack and sticker
(``FaceBody``); one of another pack, or one this version does not have, is drawn as a
placeholder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

PACK = "messenger"
FOLDER = Path(__file__).resolve().parent / "stickers"
NAMES = ("smile", "laugh", "wink", "love", "wow", "sad", "thumbs_up", "party")


@cache
def renderer(name: str) -> QSvgRenderer | None:
    if name not in NAMES:
        return None
    found = QSvgRenderer(str(FOLDER / f"{name}.svg"))
    return found if found.isValid() else None


def paint_sticker(painter: QPainter, rect: QRectF, pack: str, name: str) -> bool:
    """Draw the sticker into ``rect``; False if it is not one of ours."""
    drawn = renderer(name) if pack == PACK else None
    if drawn is None:
        return False
    drawn.render(painter, rect)
    return True


def sticker_icon(name: str, side: int = 48) -> QIcon:
    pixmap = QPixmap(side * 2, side * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_sticker(painter, QRectF(0, 0, side, side), PACK, name)
    painter.end()
    return QIcon(pixmap)
