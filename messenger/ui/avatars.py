"""Generated avatars: initials on a colour derived from the ID (the same on every device),
drawn once per ID, size and pixel ratio and kept in a small cache."""

from __future__ import annotations

import zlib
from functools import lru_cache

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

from messenger.viewmodels.formatting import initials


def avatar_color(key: str) -> QColor:
    """A pleasant, stable colour per ID (the hue comes from a hash of it)."""
    hue = zlib.crc32(key.encode("utf-8")) % 360
    return QColor.fromHsl(hue, 120, 118)


@lru_cache(maxsize=512)
def _pixmap(key: str, letters: str, size: int, ratio: float, text: int) -> QPixmap:
    pixels = max(1, round(size * ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(avatar_color(key))
    painter.drawEllipse(QRectF(0, 0, size, size))
    font = QFont()
    font.setPixelSize(max(8, int(size * (0.42 if len(letters) == 1 else 0.36))))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(QColor.fromRgba(text))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letters)
    painter.end()
    return pixmap


def paint_avatar(painter: QPainter, rect: QRect, key: str, name: str, text_color: QColor) -> None:
    """An avatar for ``key`` (a user, group or conversation ID) showing ``name``'s initials."""
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    pixmap = _pixmap(key, initials(name), rect.width(), ratio, text_color.rgba())
    painter.drawPixmap(rect.topLeft(), pixmap)
