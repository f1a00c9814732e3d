"""Look and feel (U3): outlines that show in the dark theme, the slim chat scroll bar, Chinese
fonts and line heights, the locale that follows the language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QCheckBox, QScrollBar, QStyle, QStyleOptionButton

from messenger.ui.fonts import CJK_FAMILIES, line_metrics, prefer_cjk_font
from messenger.ui.i18n import install_language
from messenger.ui.theme import MessengerStyle, apply_theme, slim_scroll_bar
from tests.ui.qt_loop import qt_app


def indicator_edge(theme: str) -> tuple[QColor, QColor]:
    """The colour of a check box's outline and of the window around it."""
    app = qt_app()
    apply_theme(app, theme)
    box = QCheckBox("x")
    box.show()
    image = box.grab().toImage()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    ratio = image.devicePixelRatio()
    edge = image.pixelColor(int(rect.center().x() * ratio), int(rect.top() * ratio))
    window = image.pixelColor(int((rect.right() + 2) * ratio), int(rect.top() * ratio))
    box.close()
    return edge, window


def test_check_boxes_keep_a_visible_outline_in_the_dark_theme() -> None:
    edge, window = indicator_edge("dark")
    assert isinstance(qt_app().style(), MessengerStyle)
    assert edge.lightness() - window.lightness() > 40
    edge, window = indicator_edge("light")
    assert window.lightness() - edge.lightness() > 40


def test_the_slim_scroll_bar_hides_its_handle_when_there_is_nothing_to_scroll() -> None:
    bar = QScrollBar()
    bar.setRange(0, 0)
    slim_scroll_bar(bar)
    assert bar.property("idle") is True
    bar.setRange(0, 500)
    assert bar.property("idle") is False
    bar.setRange(0, 0)
    assert bar.property("idle") is True


def test_chinese_text_gets_a_chinese_font_and_room_for_its_lines() -> None:
    app = qt_app()
    installed = set(QFontDatabase.families())
    chosen = prefer_cjk_font(app)
    if not any(family in installed for family in CJK_FAMILIES):
        pytest.skip("no Chinese font installed")
    assert chosen in installed and QFont().families()[1:2] == [chosen]
    assert prefer_cjk_font(app) == chosen and len(QFont().families()) == 2  # once is enough
    font = QFont()
    assert line_metrics(font).height >= QFontMetricsF(font).height()


def test_the_default_locale_follows_the_language() -> None:
    app = qt_app()
    install_language(app, "zh_CN")
    assert QLocale().name() == "zh_CN"
    assert QLocale().dayName(1) == "星期一"
    install_language(app, "en")
    assert QLocale() == QLocale.system() or QLocale().language() == QLocale.Language.English
