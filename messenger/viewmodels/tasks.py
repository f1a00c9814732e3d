"""Background work of a view-model: tasks on the running loop, logged when they fail,
cancelled together when the view-model closes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from messenger.protocol.errors import ClientClosed, MessengerError, NotLoggedIn

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskSet:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T] | None:
        """Run ``work`` in the background; ``None`` (and nothing runs) once closed."""
        if self._closed:
            work.close()
            return None
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, ClientClosed | NotLoggedIn):
            return  # the account went away under it: nothing to report
        if isinstance(error, MessengerError):
            log.info("background work failed: %r", error)
        elif error is not None:
            log.error("background work failed", exc_info=error)

    def close(self) -> None:
        self._closed = True
        tasks, self._tasks = self._tasks, set()
        for task in tasks:
            task.cancel()
