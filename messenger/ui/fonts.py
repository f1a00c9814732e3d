"""Fonts: Chinese text in a Simplified Chinese font that has a bold weight.

Qt draws characters the interface font lacks (Chinese, emoji) with a fallback font that the
system picks per script. On Linux that is often the first CJK font fontconfig lists, which may
have no bold (bold names show regular Chinese next to bold Latin) or be a Japanese or
Traditional Chinese variant (other glyph shapes). ``prefer_cjk_font`` names a good Simplified
Chinese font, when one is installed, as the application font's second family: Latin text keeps
the system's interface font, Chinese text takes this one, emoji still fall back to the colour
emoji font.

The fallback font's lines are often taller than the interface font's own metrics say, so text
drawn in a rectangle of ``QFontMetrics.height()`` loses the bottom of its Chinese characters.
``line_metrics`` measures a line that holds both scripts; painted rows size their text lines
with it.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QTextLayout,
)

# Best first; the first one installed is used.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)


class LineMetrics(NamedTuple):
    height: float
    ascent: float


_SAMPLE = "Ag中文"  # the interface font and the Chinese fallback on one line
_measured: dict[str, LineMetrics] = {}


def line_metrics(font: QFont) -> LineMetrics:
    """Height and ascent of a line of ``font`` that may hold Latin and Chinese text."""
    key = font.key()
    found = _measured.get(key)
    if found is None:
        layout = QTextLayout(_SAMPLE, font)
        layout.beginLayout()
        line = layout.createLine()
        layout.endLayout()
        own = QFontMetricsF(font)
        found = LineMetrics(max(own.height(), line.height()), max(own.ascent(), line.ascent()))
        _measured[key] = found
    return found


def prefer_cjk_font(app: QGuiApplication) -> str:
    """Make the first installed family of ``CJK_FAMILIES`` the application font's fallback for
    the characters its own family lacks; returns that family ("" when none is installed)."""
    installed = set(QFontDatabase.families())
    choice = next((family for family in CJK_FAMILIES if family in installed), "")
    font = app.font()
    primary = QFontInfo(font).family()  # the family really used ("Sans Serif" → "DejaVu Sans")
    if not choice or choice == primary or font.families()[1:2] == [choice]:
        return choice
    font.setFamilies([primary, choice])
    app.setFont(font)
    _measured.clear()
    return choice
