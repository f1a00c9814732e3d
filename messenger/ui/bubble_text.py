"""What a bubble's text shows besides its words: links (http, https, mailto: underlined in the
link colour, clickable) and the matches of the chat's search (a marker behind them).

Both are format ranges drawn over the row's ``QTextLayout`` when it is painted (the layout and
its cache stay as they are); a click is mapped back to a character of the text through the same
layout, so the place of a link is found exactly wherever its lines wrap.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QTextCharFormat, QTextLayout, QTextLine

from messenger.protocol.fulltext import MAX_TERMS
from messenger.protocol.links import find_links


def link_format(color: QColor) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(color)
    fmt.setFontUnderline(True)
    return fmt


def highlight_format(color: QColor) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(color)
    return fmt


def overlays(
    text: str, terms: list[str], link: QTextCharFormat, highlight: QTextCharFormat
) -> list[QTextLayout.FormatRange]:
    """The ranges to draw over ``text``: its links, then each match of ``terms``."""
    ranges = []
    for found in find_links(text):
        ranges.append(_range(found.start, found.end - found.start, link))
    folded = text.casefold()
    for term in terms:
        start = folded.find(term)
        while start >= 0 and term:
            ranges.append(_range(start, len(term), highlight))
            start = folded.find(term, start + len(term))
    return ranges


def search_terms(query: str) -> list[str]:
    """The words of a search as they are marked in the text (case-insensitive)."""
    return [t.casefold() for t in query.split()[:MAX_TERMS] if any(c.isalnum() for c in t)]


def link_at(layout: QTextLayout, origin: QPointF, point: QPointF, text: str) -> str:
    """The link under ``point`` (the layout drawn at ``origin``), or ""."""
    if "://" not in text and "mailto:" not in text.lower():
        return ""
    x, y = point.x() - origin.x(), point.y() - origin.y()
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        if not line.y() <= y < line.y() + line.height():
            continue
        if x < 0 or x > line.naturalTextWidth():
            return ""
        position = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        for found in find_links(text):
            if found.start <= position < found.end:
                return found.url
        return ""
    return ""


def _range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    r = QTextLayout.FormatRange()
    r.start, r.length, r.format = start, length, fmt
    return r
