"""``TypingTracker``: who is typing in the open conversation, and the line that says so.

A "typing" push lasts until "stopped" or, if that is lost, a few seconds of silence.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

EXPIRES_MS = 6000


def _monotonic_ms() -> int:
    return int(time.monotonic() * 1000)


class TypingTracker(QObject):
    text_changed = Signal(str)

    def __init__(
        self,
        name_of: Callable[[str], str],
        parent: QObject | None = None,
        *,
        clock: Callable[[], int] = _monotonic_ms,
    ) -> None:
        super().__init__(parent)
        self._name_of = name_of
        self._clock = clock
        self._until: dict[str, int] = {}  # user ID → when the indicator lapses
        self.text = ""
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._expire)

    def update(self, user_id: str, typing: bool) -> None:
        if typing:
            self._until[user_id] = self._clock() + EXPIRES_MS
            self._timer.start()
        else:
            self._until.pop(user_id, None)
        self._announce()

    def clear(self) -> None:
        self._until.clear()
        self._timer.stop()
        self._announce()

    def _expire(self) -> None:
        now = self._clock()
        self._until = {u: t for u, t in self._until.items() if t > now}
        if not self._until:
            self._timer.stop()
        self._announce()

    def _announce(self) -> None:
        names = [self._name_of(u) for u in sorted(self._until)]
        if not names:
            text = ""
        elif len(names) == 1:
            text = QCoreApplication.translate("Chat", "{name} is typing…").format(name=names[0])
        elif len(names) == 2:
            text = QCoreApplication.translate("Chat", "{a} and {b} are typing…").format(
                a=names[0], b=names[1]
            )
        else:
            text = QCoreApplication.translate("Chat", "{count} people are typing…").format(
                count=len(names)
            )
        if text != self.text:
            self.text = text
            self.text_changed.emit(text)
