"""Avatars: a user's uploaded image when it is known (``AvatarImages``), else initials on a
colour derived from the ID (the same on every device), drawn once per ID, size and pixel ratio
and kept in a small cache; a green dot for users who are online (``mark_online``)."""

from __future__ import annotations

import zlib
from functools import lru_cache

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPixmap

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


_images: dict[str, QImage] = {}  # key → its uploaded avatar (decoded once)
_online: set[str] = set()
ONLINE_GREEN = QColor(52, 199, 89)


def set_avatar_image(key: str, png: bytes) -> bool:
    """Use this image for ``key`` from now on; False if it cannot be decoded."""
    image = QImage.fromData(png)
    if image.isNull():
        return False
    _images[key] = image
    _round.cache_clear()
    return True


def forget_avatar_images() -> None:
    _images.clear()
    _online.clear()
    _round.cache_clear()


def has_avatar_image(key: str) -> bool:
    return key in _images


def mark_online(key: str, online: bool) -> None:
    if online:
        _online.add(key)
    else:
        _online.discard(key)


@lru_cache(maxsize=256)
def _round(key: str, size: int, ratio: float) -> QPixmap:
    pixels = max(1, round(size * ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    path = QPainterPath()
    path.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(path)
    painter.drawImage(QRectF(0, 0, size, size), _images[key])
    painter.end()
    return pixmap


def avatar_pixmap(key: str, name: str, size: int, ratio: float, text_color: QColor) -> QPixmap:
    if key in _images:
        return _round(key, size, ratio)
    return _pixmap(key, initials(name), size, ratio, text_color.rgba())


def paint_avatar(painter: QPainter, rect: QRect, key: str, name: str, text_color: QColor) -> None:
    """An avatar for ``key`` (a user, group or conversation ID): the user's image, else
    ``name``'s initials; a green dot when the user is online."""
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    painter.drawPixmap(rect.topLeft(), avatar_pixmap(key, name, rect.width(), ratio, text_color))
    if key in _online:
        dot = max(6, rect.width() // 4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.GlobalColor.white)
        painter.setBrush(ONLINE_GREEN)
        painter.drawEllipse(rect.right() - dot + 1, rect.bottom() - dot + 1, dot, dot)
        painter.restore()
