"""Light, dark and system themes: a palette for the widgets and the chat's own colours.

Delegates paint with ``chat_colors(palette)`` so a theme switch repaints everything; nothing
hard-codes a colour outside this module (and the shell's banner, which derives its colours
from ``is_dark``). With "system", ``follow_system`` re-applies the theme whenever the OS
switches between light and dark.

The style is Fusion with one correction (``MessengerStyle``): Fusion outlines check boxes,
radio buttons and text fields with a darker shade of the window colour, which vanishes on a
dark window; in the dark theme they get a visible outline. Long lists get a slim scroll bar
(``slim_scroll_bar``) in a neutral translucent grey that reads on both themes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QScrollBar,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

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


_OUTLINED = {
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PrimitiveElement.PE_FrameLineEdit,
}


class MessengerStyle(QProxyStyle):
    """Fusion, with outlines that stay visible in the dark theme."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _OUTLINED or not is_dark(option.palette):
            return
        state = option.state
        if element == QStyle.PrimitiveElement.PE_FrameLineEdit and (
            state & QStyle.StateFlag.State_HasFocus
        ):
            return  # Fusion draws the focus frame in the highlight colour
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        hovered = enabled and bool(state & QStyle.StateFlag.State_MouseOver)
        color = QColor("#8a9099" if hovered else "#666b73" if enabled else "#464a50")
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2.0, 2.0)
        painter.restore()


_SLIM_SCROLL_BAR = """
QScrollBar:vertical { background: transparent; width: 10px; margin: 0; }
QScrollBar::handle:vertical {
    background: rgba(128, 128, 128, 100); border-radius: 3px; min-height: 36px; margin: 2px;
}
QScrollBar::handle:vertical:hover, QScrollBar::handle:vertical:pressed {
    background: rgba(128, 128, 128, 170);
}
QScrollBar[idle="true"]::handle:vertical { background: transparent; }
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; border: none; }
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none; }
"""


def slim_scroll_bar(bar: QScrollBar) -> None:
    """A thin vertical scroll bar without arrows, whose handle is hidden while there is nothing
    to scroll (a list that keeps its scroll bar on, for a steady width, shows no empty bar)."""
    bar.setStyleSheet(_SLIM_SCROLL_BAR)

    def range_changed(minimum: int, maximum: int) -> None:
        idle = maximum <= minimum
        if bar.property("idle") != idle:
            bar.setProperty("idle", idle)
            bar.style().unpolish(bar)
            bar.style().polish(bar)
            bar.update()

    bar.rangeChanged.connect(range_changed)
    range_changed(bar.minimum(), bar.maximum())


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply "light", "dark" or "system" (the OS preference) to the whole application."""
    dark = system_prefers_dark() if theme == "system" else theme == "dark"
    if not isinstance(app.style(), MessengerStyle):
        app.setStyle(MessengerStyle())
    app.setPalette(_dark_palette() if dark else _light_palette())


def follow_system(app: QApplication, current_theme: Callable[[], str]) -> None:
    """Re-apply the theme when the OS colour scheme changes and the user chose "system"."""

    def changed(_scheme: Qt.ColorScheme) -> None:
        if current_theme() == "system":
            apply_theme(app, "system")

    QGuiApplication.styleHints().colorSchemeChanged.connect(changed)
