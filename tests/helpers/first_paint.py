"""Run by tests in a fresh process: the app launched as ``main`` does, until a widget of a given
class (or a scroll area's viewport of it) first paints; then it prints the modules loaded by that moment (JSON) and ends.

    python -m tests.helpers.first_paint MODULE CLASS -- APP-ARGS...

The class is named, not imported, so the helper loads nothing the app has not loaded itself.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    module, name, _, *app_args = sys.argv[1:]
    from messenger.app.main import before_qt, end_process, prepare, run, start_qt
    from messenger.app.options import parse_args

    args = parse_args(app_args)
    data: Path = prepare(args)
    before_qt(args, data)
    start_qt()
    import qasync
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class Watcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.loaded: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind: type[Any] | None = getattr(sys.modules.get(module), name, None)
            if kind is None or event.type() != QEvent.Type.Paint:
                return False
            painted = isinstance(watched, kind) or isinstance(watched.parent(), kind)  # (viewport)
            if painted and not self.loaded.done():
                self.loaded.set_result(sorted(sys.modules))
            return False

    async def launch() -> None:
        app = QApplication.instance()
        assert app is not None
        watcher = Watcher()
        app.installEventFilter(watcher)
        task: asyncio.Task[Any] = asyncio.ensure_future(run(args, data))
        async with asyncio.timeout(60):
            loaded = await watcher.loaded
        print(json.dumps(loaded), flush=True)
        task.cancel()
        end_process(0)

    qasync.run(launch())


if __name__ == "__main__":
    main()
