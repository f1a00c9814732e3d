"""Per-OS folders for the app's data (no Qt needed), from ``platformdirs``."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "Messenger"
HOME_ENV = "MESSENGER_HOME"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the app keeps accounts, caches, logs and the local server's data.

    ``MESSENGER_HOME`` overrides it (tests, portable installs). Otherwise the platform's user
    data folder: ``%APPDATA%\\Messenger`` on Windows (roaming), ``~/Library/Application
    Support/Messenger`` on macOS, ``$XDG_DATA_HOME/messenger`` (``~/.local/share/messenger``)
    elsewhere (lower case, as XDG folders are named).
    """
    env = os.environ if environ is None else environ
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV])
    name = APP_NAME if sys.platform in ("win32", "darwin") else APP_NAME.lower()
    return platformdirs.user_data_path(name, appauthor=False, roaming=True)
