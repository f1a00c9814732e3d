"""UI tests: Qt offscreen, the real server on loopback, real clients, one event loop.

How Qt and asyncio run together here
------------------------------------
The app runs one thread and one loop: qasync's ``QEventLoop`` drives asyncio from Qt's event
loop. The tests do the same. pytest-asyncio makes each async test's (and async fixture's) loop
with the ``pytest_asyncio_loop_factories`` hook below, which returns a ``qasync.QEventLoop``
(``qt_loop.TestLoop``) over the session's ``QApplication``. While a test awaits, that loop processes Qt events
(paints, timers, input, signals) and asyncio callbacks (the core's sockets, its SQLite
executor) on the same thread, exactly as in the app. So:

- Tests that touch the core are ``async def``. They drive widgets with qtbot's synchronous
  helpers (``keyClicks``, ``mouseClick``, ``keyClick``) and wait with ``await until(...)``
  (tests/ui/helpers.py): the condition is re-checked every few milliseconds while the loop
  runs, with a deadline; nothing sleeps blindly.
- Inside async tests, do not use ``qtbot.wait*`` / ``waitUntil``: they spin a nested Qt loop,
  and qasync stops its loop with ``QCoreApplication.exit()``, which would end it.
- Tests without the core are plain ``def`` tests with qtbot as usual.
- Between and after a test's steps Qt still runs asyncio callbacks (a client's timers and
  sockets): ``qt_loop`` keeps the test's loop the running one then.

Fixtures: ``server`` and ``devices`` (real clients) from ``tests/helpers/fixtures.py``;
``sessions`` (a loaded ``SessionViewModel`` per device); ``tests/ui/widgets/conftest.py`` adds
``windows`` (a shown, active ``MainWindow`` bound to a device's account).

``QT_QPA_PLATFORM=offscreen`` is set before Qt is imported, so no display is needed; the
application does not quit when its last window closes (each test closes its windows). The
app's guard against PySide6 6.12's reference bug (``messenger/app/qt_compat.py``) is installed
first, as the app does.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest

from messenger.app.qt_compat import pin_singletons_if_needed
from tests.helpers.clients import Device, Devices
from tests.ui import qt_loop
from tests.ui.qt_loop import qt_app

if TYPE_CHECKING:
    from messenger.viewmodels.session import SessionViewModel

pin_singletons_if_needed()
qt_loop.install()


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests under tests/ui run on a qasync loop: Qt and asyncio on one thread."""
    return {"qasync": lambda: qt_loop.TestLoop(qt_app())}


Sessions = Callable[[Device], Awaitable["SessionViewModel"]]


@pytest.fixture
async def sessions(devices: Devices) -> AsyncIterator[Sessions]:
    """``await sessions(device)``: a loaded ``SessionViewModel`` over the device's client.

    Closed before the clients are (this fixture's teardown runs before ``devices``')."""
    from messenger.viewmodels.session import SessionViewModel

    made: list[SessionViewModel] = []

    async def make(device: Device) -> SessionViewModel:
        session = SessionViewModel(device.client)
        made.append(session)
        await session.start()
        return session

    yield make
    for session in made:
        session.close()
