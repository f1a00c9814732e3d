"""Theme and language follow the settings: applied at start, and live on every change. The
Chinese fallback font is chosen once at start (``ui/fonts.py``)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from messenger.ui.fonts import prefer_cjk_font
from messenger.ui.i18n import install_language
from messenger.ui.theme import apply_theme, follow_system
from messenger.viewmodels.settings import SettingsViewModel


def wire_appearance(app: QApplication, settings: SettingsViewModel) -> None:
    prefer_cjk_font(app)
    apply_theme(app, settings.settings.theme)
    install_language(app, settings.settings.language)
    follow_system(app, lambda: settings.settings.theme)
    settings.theme_changed.connect(lambda theme: apply_theme(app, theme))
    settings.language_changed.connect(lambda language: install_language(app, language))
