"""``async_slot``: qasync's ``asyncSlot`` with types. A widget's slot that starts a view-model
command: the coroutine runs as a task on the one loop; an error reaches ``sys.excepthook``."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, cast

import qasync

P = ParamSpec("P")
AsyncMethod = Callable[P, Coroutine[Any, Any, None]]


def async_slot(*types: type) -> Callable[[AsyncMethod[P]], Callable[P, None]]:
    return cast(Callable[[AsyncMethod[P]], Callable[P, None]], qasync.asyncSlot(*types))
