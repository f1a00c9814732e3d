"""Suite-wide: the shared fixtures (servers and devices, ``tests/helpers/fixtures.py``); tests
fail on unexpected WARNING log records (``tests/helpers/logfail.py``) and on Qt warnings
(pytest-qt, ``qt_log_level_fail`` in pyproject.toml).

Qt objects left in garbage cycles by a UI test are freed right after it, on the
main thread.

Python's cyclic collector runs in whichever thread allocates when a threshold is crossed: in a
later test that can be a server's or an executor's thread. Freeing a Qt object there runs its
C++ destructor off the GUI thread, its timers stay registered, and the next event processing
jumps into freed memory (a segfault far from the cause). The app collects on its GUI thread
for the same reason (``messenger/app/gui_gc.py``).
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.logfail"]

UI_TESTS = Path(__file__).parent / "ui"


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    if UI_TESTS in Path(item.path).parents:
        gc.collect()
