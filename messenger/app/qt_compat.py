"""A guard for a binding bug: PySide6 6.12.0 on CPython 3.11 drops references it does not own.

Every call of a Qt method returning ``void`` (and ``Signal.emit``, and a null pointer) takes a
reference away from ``None`` / ``True`` / ``False`` instead of returning a new one. CPython
3.12+ makes those objects immortal, so it goes unnoticed there; on 3.11 their count reaches
zero after a few hundred calls (``True`` starts near 600) and the interpreter aborts with
"Fatal Python error: none_dealloc / bool_dealloc". PySide6 6.11.3 does not have the bug.

``pin_singletons_if_needed`` probes for the bug and, only if it is there, gives the three
objects a reference count they cannot exhaust. Remove it once the pinned PySide6 (or the
minimum Python) no longer has the bug; ``tests/ui/shell/test_qt_compat.py`` says when.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_HEADROOM = 1 << 40  # ~10^12 stolen references before trouble
_pinned = False


def binding_drops_references() -> bool:
    """Does a void Qt call take a reference away from ``None``?"""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - 8


def pin_singletons_if_needed() -> bool:
    """Make ``None``, ``True`` and ``False`` safe from the bug; True if it was needed."""
    global _pinned
    if _pinned:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # immortal singletons: nothing to lose
    if not binding_drops_references():
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _pinned = True
    # Known and harmless once guarded: a note in the log file, nothing on the user's console.
    log.info(
        "this PySide6 on Python %d.%d drops references of None/True/False; guarded. "
        "Use PySide6 6.11.x or Python 3.12+.",
        *sys.version_info[:2],
    )
    return True
