"""Repainting only the rows whose data changed.

``QListView`` repaints its whole viewport for any ``dataChanged``, even of a single row: a chat
taking a burst of messages repainted every conversation row on screen once per batch (its own
row is all that changes). The conversation list repaints the changed rows' rectangles instead.
While an accessibility client listens, Qt's own handling (which also tells it what changed) runs.

Only for views whose rows all have one height (``uniformItemSizes``): in a list of rows of
varied heights, skipping Qt's handling leaves its hit-testing (``indexAt``) behind a row that
grew (the chat's message list keeps it).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QListView

AnyIndex = QModelIndex | QPersistentModelIndex
MOST_ROWS = 64  # a wider change repaints the viewport (it is most of what is shown anyway)


def repaint_rows(view: QListView, top: AnyIndex, bottom: AnyIndex) -> bool:
    """Repaint rows ``top``..``bottom`` of ``view`` where they are on screen; False when Qt's
    own ``dataChanged`` should run instead."""
    model = view.model()
    if (
        QAccessible.isActive()
        or not top.isValid()
        or not bottom.isValid()
        or top.model() is not model
        or top.parent().isValid()
    ):
        return False
    viewport = view.viewport()
    if bottom.row() - top.row() >= MOST_ROWS:
        viewport.update()
        return True
    shown = viewport.rect()
    area = QRect()
    for row in range(top.row(), bottom.row() + 1):
        rect = view.visualRect(model.index(row, 0))
        if rect.intersects(shown):
            area = area.united(rect)
    if not area.isEmpty():
        viewport.update(area)
    return True
