"""``AfterFirstPaint``: what a launch defers runs just after the list is painted with its rows,
once, and also when the window is never painted."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from messenger.ui.first_paint import AfterFirstPaint


def test_it_runs_once_after_a_paint_made_when_ready(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    ran: list[str] = []
    ready = False
    AfterFirstPaint(widget, lambda: ran.append("then"), ready=lambda: ready, fallback_ms=60_000)
    widget.show()
    qtbot.waitExposed(widget)
    widget.repaint()
    qtbot.wait(20)
    assert ran == []  # painted, but not yet with what it waits for
    ready = True
    widget.repaint()
    assert ran == []  # not during the paint itself
    qtbot.waitUntil(lambda: ran == ["then"])
    widget.repaint()
    qtbot.wait(20)
    assert ran == ["then"]


def test_a_widget_never_painted_gets_it_after_the_fallback(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    ran: list[str] = []
    AfterFirstPaint(widget, lambda: ran.append("then"), fallback_ms=30)
    qtbot.waitUntil(lambda: ran == ["then"])
    qtbot.wait(60)
    assert ran == ["then"]
