"""Garbage cycles are collected on the GUI thread's timer, never by a worker thread."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from messenger.app.gui_gc import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        COLLECTED.append(threading.current_thread().name)


COLLECTED: list[str] = []
KEPT: list[list[int]] = []


def test_cycles_are_freed_on_the_gui_thread_only(qtbot: QtBot) -> None:
    collector = GuiThreadCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()

        def churn() -> None:  # allocations in a worker thread: no collection there
            for _ in range(5):
                Cycle()
            KEPT.extend([] for _ in range(5_000))  # far past the first threshold

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert COLLECTED == []
        qtbot.waitUntil(lambda: len(COLLECTED) == 5, timeout=5000)
        assert set(COLLECTED) == {threading.main_thread().name}
    finally:
        collector.stop()
        KEPT.clear()
    assert gc.isenabled()
