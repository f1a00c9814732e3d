"""Windows whose content changes (a message appears, a notice, a longer translation) grow to
fit it instead of squashing their other controls.

A top-level window's layout gives its minimum size to the window, but a word-wrapped label's
height depends on its width, so Qt leaves the window's height as it was and shrinks the other
rows below their natural height to make room. ``keep_whole(window)`` watches the window's
layout requests and, at the window's current width, raises its minimum height to what the
layout needs (growing the window if it is shorter).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class _KeepWhole(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in (
            QEvent.Type.LayoutRequest,
            QEvent.Type.Resize,
        ):
            fit(self._window)
        return False


def fit(window: QWidget) -> None:
    """Give ``window`` at least the height its layout needs at its current width."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    needed = layout.totalMinimumSize().height()
    if layout.hasHeightForWidth():
        needed = max(needed, layout.totalHeightForWidth(width))
    if window.minimumHeight() != needed:
        window.setMinimumHeight(needed)
    if window.height() < needed:
        window.resize(width, needed)


def keep_whole(window: QWidget) -> None:
    """Keep every control of ``window`` whole as its content changes (see the module)."""
    window.installEventFilter(_KeepWhole(window))
