"""Python's cyclic garbage collection, run on the GUI thread only.

The collector normally runs in whichever thread happens to allocate when a threshold is
crossed: in this app that can be the embedded server's thread or a store executor. If it
then frees a cycle holding a Qt object, the C++ destructor runs in that thread, cannot stop
the object's timers, and a later timer event reaches freed memory (a crash). So automatic
collection is switched off and done here, by a timer of the GUI thread, with the same
generation thresholds Python would use.

The launch runs with no collection at all (``main.before_qt`` switches it off before the first
import), and what it made — modules, classes, the window — is frozen once the window is on the
screen (``freeze``): it lives as long as the app, and a full collection no longer walks it.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def freeze(self) -> None:
        """Keep everything made so far out of every later collection (``gc.freeze``): the
        launch's objects live on, and walking them was most of a full collection's time.
        Cycles the launch left as garbage stay too: a one-off few hundred kilobytes at most."""
        gc.freeze()

    def check(self) -> None:
        """Collect the generations whose counts crossed their thresholds (as Python would)."""
        count0, count1, count2 = gc.get_count()
        if count0 > self._thresholds[0]:
            generation = 0
            if count1 > self._thresholds[1]:
                generation = 2 if count2 > self._thresholds[2] else 1
            gc.collect(generation)
