"""Light, dark and system themes: a palette for the widgets and the chat's own colours.

Delegates paint with ``chat_colors(palette)`` so a theme switch repaints everything; nothing
hard-codes a colour outside this module (and the shell's banner, which derives its colours
from ``is_dark``). With "system", ``follow_system`` re-applies the theme whenever the OS
switches between light and dark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")


@dataclass(frozen=True, slots=True)
class ChatColors:
    own_bubble: QColor
    own_text: QColor
    other_bubble: QColor
    other_text: QColor
    meta_text: QColor  # times, read marks, sender names
    tip_text: QColor
    mention: QColor  # @-highlight background
    badge: QColor
    badge_muted: QColor
    badge_text: QColor
    selection: QColor
    separator: QColor


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def chat_colors(palette: QPalette) -> ChatColors:
    dark = is_dark(palette)
    return ChatColors(
        own_bubble=QColor("#2b5278") if dark else QColor("#d9f2c4"),
        own_text=QColor("#ffffff") if dark else QColor("#111111"),
        other_bubble=QColor("#2f3136") if dark else QColor("#ffffff"),
        other_text=palette.color(QPalette.ColorRole.Text),
        meta_text=QColor("#8a9099") if dark else QColor("#7d848c"),
        tip_text=QColor("#9aa0a6") if dark else QColor("#80868b"),
        mention=QColor("#5c4a1f") if dark else QColor("#fff1c2"),
        badge=QColor("#e0413a"),
        badge_muted=QColor("#7d848c"),
        badge_text=QColor("#ffffff"),
        selection=palette.color(QPalette.ColorRole.Highlight),
        separator=QColor("#3a3d42") if dark else QColor("#e4e6e9"),
    )


def error_color(palette: QPalette) -> QColor:
    """Text colour for error messages, readable on the window background."""
    return QColor("#f28b82") if is_dark(palette) else QColor("#c5221f")


def _dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1e1f22",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#232428",
        QPalette.ColorRole.AlternateBase: "#2b2d31",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2b2d31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2d31",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#8a9099",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    _grey_out(p, QColor("#6b6f76"))
    return p


def _light_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#f3f4f6",
        QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f7f9",
        QPalette.ColorRole.Text: "#1f2328",
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: "#1f2328",
        QPalette.ColorRole.Highlight: "#cfe3ff",
        QPalette.ColorRole.HighlightedText: "#1f2328",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1f2328",
        QPalette.ColorRole.PlaceholderText: "#8a9099",
        QPalette.ColorRole.Link: "#1a73e8",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    _grey_out(p, QColor("#a3a8ae"))
    return p


def _grey_out(palette: QPalette, color: QColor) -> None:
    """Disabled controls must look disabled (setColor above set every colour group)."""
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, color)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply "light", "dark" or "system" (the OS preference) to the whole application."""
    dark = system_prefers_dark() if theme == "system" else theme == "dark"
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(_dark_palette() if dark else _light_palette())


def follow_system(app: QApplication, current_theme: Callable[[], str]) -> None:
    """Re-apply the theme when the OS colour scheme changes and the user chose "system"."""

    def changed(_scheme: Qt.ColorScheme) -> None:
        if current_theme() == "system":
            apply_theme(app, "system")

    QGuiApplication.styleHints().colorSchemeChanged.connect(changed)
