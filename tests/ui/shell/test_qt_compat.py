"""The guard for PySide6's stolen references keeps the app alive however many calls it makes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from messenger.app.qt_compat import pin_singletons_if_needed
    pin_singletons_if_needed()
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    class Emitter(QObject):
        fired = Signal(int)
    emitter, label = Emitter(), QLabel()
    for i in range(20000):  # far more than True's or None's own reference count
        emitter.fired.emit(i)
        label.setText("x")
    print("alive")
    """
)


def test_many_signals_and_void_calls_do_not_abort_the_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"
