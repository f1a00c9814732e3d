"""The qasync loop UI tests run on, and pytest-qt's event processing, made to agree.

qasync processes Qt events once more after its loop stops (at the end of a test or of a
fixture step), and pytest-qt processes Qt events between a test's phases. Qt timers and socket
notifiers fired then run asyncio callbacks (a client's reconnect, its outbox retry), which need
a running loop or die with "no running event loop". Both are made to run with the test's loop
as the running one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytestqt.plugin
import qasync
from PySide6.QtWidgets import QApplication


def qt_app() -> QApplication:
    """The test session's one QApplication (pytest-qt's ``qapp`` finds the same one); it does
    not quit when its last window closes (each test closes its windows)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(["messenger-tests"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    return app


class TestLoop(qasync.QEventLoop):  # type: ignore[misc]
    def _after_run_forever(self) -> None:
        super()._after_run_forever()
        asyncio.events._set_running_loop(self)  # for qasync's last processEvents()

    def run_until_complete(self, future: Any) -> Any:
        try:
            return super().run_until_complete(future)
        finally:
            asyncio.events._set_running_loop(None)


_process_events: Callable[[], None] = pytestqt.plugin._process_events


def _process_events_in_the_test_loop() -> None:
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        loop = None
    usable = isinstance(loop, qasync.QEventLoop) and not loop.is_closed()
    if not usable or asyncio.events._get_running_loop() is not None:
        _process_events()
        return
    asyncio.events._set_running_loop(loop)
    try:
        _process_events()
    finally:
        asyncio.events._set_running_loop(None)


def install() -> None:
    """Make pytest-qt's event processing run with the test's qasync loop as the running one."""
    if pytestqt.plugin._process_events is _process_events:
        pytestqt.plugin._process_events = _process_events_in_the_test_loop
