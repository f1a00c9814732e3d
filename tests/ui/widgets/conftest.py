"""Widget journeys: a ``MainWindow`` bound to a real signed-in account, shown offscreen."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from messenger.ui.main_window import MainWindow
from tests.helpers.clients import Device
from tests.ui.conftest import Sessions
from tests.ui.helpers import until

Windows = Callable[[Device], Awaitable[MainWindow]]


@pytest.fixture
async def windows(sessions: Sessions, qtbot: QtBot) -> AsyncIterator[Windows]:
    """``await windows(device)``: its account's main window, shown and active."""
    made: list[MainWindow] = []

    async def make(device: Device) -> MainWindow:
        session = await sessions(device)
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1100, 720)
        window.bind(session)
        window.show()
        window.activateWindow()
        await until(window.isActiveWindow, what="the window is active")
        made.append(window)
        return window

    yield make
    for window in made:
        if shiboken6.isValid(window):  # qtbot may have closed it already
            window.unbind()
            window.close()
