"""Where a new top-level window (image viewer, video player, merged chat) opens: centred over
the window it came from, no larger than the screen it is on, and wholly on that screen — not
wherever the window manager would put it (often partly off screen)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.9  # of the screen's free area, at most


def placed_over(size: QSize, anchor: QRect, screen: QRect) -> QRect:
    """A rectangle of ``size`` (shrunk to fit ``screen``) centred on ``anchor``, moved to lie
    inside ``screen``."""
    width = min(size.width(), int(screen.width() * SCREEN_SHARE))
    height = min(size.height(), int(screen.height() * SCREEN_SHARE))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(anchor.center())
    left = min(max(rect.left(), screen.left()), screen.right() + 1 - width)
    top = min(max(rect.top(), screen.top()), screen.bottom() + 1 - height)
    rect.moveTopLeft(QPoint(left, top))
    return rect


def show_over(window: QWidget, origin: QWidget | None) -> None:
    """Show ``window`` over ``origin``'s window (the first time: later, where the user left it),
    in front and focused."""
    if not window.isVisible() and origin is not None:
        anchor = origin.window()
        screen = anchor.screen().availableGeometry()
        frame = anchor.frameGeometry()
        window.setGeometry(placed_over(window.size(), frame, screen))
    window.show()
    window.raise_()
    window.activateWindow()
