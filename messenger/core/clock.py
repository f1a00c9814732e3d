"""Wall-clock time in the protocol's unit (milliseconds), injectable for tests."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]


def system_clock() -> int:
    return int(time.time() * 1000)
