"""Where the app's log goes: a file in the data folder; the console only for errors.

``<data>/logs/messenger.log`` (rotated at 1 MB, three kept) gets everything from INFO up,
Qt's own messages included. The console (stderr) stays quiet on a normal launch: it shows
errors only, unless ``MESSENGER_CONSOLE_LOG`` names another level (``info``, ``debug``,
``warning``), which development and tests use to watch the app.
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = Path("logs") / "messenger.log"
CONSOLE_ENV = "MESSENGER_CONSOLE_LOG"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(data_dir: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    path = data_dir / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        to_file = RotatingFileHandler(path, maxBytes=1 << 20, backupCount=3, encoding="utf-8")
        to_file.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(to_file)
    except OSError as exc:  # a read-only folder: the console is all there is
        print(f"messenger: cannot write the log file {path}: {exc}", file=sys.stderr)
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter(_FORMAT))
    level = os.environ.get(CONSOLE_ENV, "").upper()
    console.setLevel(level if level in logging.getLevelNamesMapping() else logging.ERROR)
    root.addHandler(console)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise


def route_qt_messages() -> None:
    """Qt's own messages (platform plugin notes, warnings) into the log, not onto stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)
