"""Bubbles drawn as cards of a fixed size, one module per kind (``file_bubble`` …). The chat's
layout reserves ``card_size``; the message delegate paints with ``paint_card`` and asks
``hit_card`` what a click on the card means."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QPainter, QPalette

from messenger.ui.bubbles import (
    file_bubble,
    location_bubble,
    merged_bubble,
    sticker_bubble,
    voice_bubble,
)
from messenger.ui.theme import ChatColors
from messenger.viewmodels.downloads import FileDownloads
from messenger.viewmodels.message_rows import MessageRow


class VoiceState(Protocol):
    def playing(self, media_id: str) -> bool: ...
    def position_ms(self, media_id: str) -> int: ...


@dataclass(slots=True)
class CardContext:
    """What painting a card needs besides its row."""

    colors: ChatColors
    palette: QPalette
    body_font: QFont
    small_font: QFont
    downloads: FileDownloads | None
    voice: VoiceState | None = None  # which voice message plays, and where
    line: float = 0.0  # the laid-out height of a line of small text (Chinese included)


def card_size(row: MessageRow, line: float) -> tuple[float, float] | None:
    """The (width, height) a card takes in its bubble; ``line`` is a small text line's height
    (bold or not, Chinese included)."""
    card = row.card
    if card == "merged":
        return merged_bubble.size(row, line)
    if card == "file":
        return file_bubble.size(line)
    if card == "voice":
        return voice_bubble.size(line)
    if card == "location":
        return location_bubble.size(line)
    if card == "sticker":
        return sticker_bubble.size(line)
    return None


def paint_card(painter: QPainter, row: MessageRow, rect: QRectF, ctx: CardContext) -> None:
    if row.card == "file":
        file_bubble.paint(painter, row, rect, ctx)
    elif row.card == "voice":
        voice_bubble.paint(painter, row, rect, ctx)
    elif row.card == "location":
        location_bubble.paint(painter, row, rect, ctx)
    elif row.card == "sticker":
        sticker_bubble.paint(painter, row, rect, ctx)
    elif row.card == "merged":
        merged_bubble.paint(painter, row, rect, ctx)


def hit_card(row: MessageRow, rect: QRectF, point: QPointF, ctx: CardContext) -> str:
    """The action of a click at ``point`` (row coordinates) on the card, or ""."""
    if row.card == "file":
        return file_bubble.hit(row, rect, point, ctx)
    if row.card == "voice":
        return voice_bubble.hit(row, rect, point, ctx)
    if row.card == "location":
        return location_bubble.hit(row, rect, point, ctx)
    if row.card == "merged":
        return merged_bubble.hit(row, rect, point, ctx)
    return ""
