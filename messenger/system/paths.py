"""Per-OS folders for the app's data (no Qt needed)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Messenger"


def data_dir(environ: dict[str, str] | None = None, platform: str | None = None) -> Path:
    """Where the app keeps accounts, caches and the embedded server's data.

    ``MESSENGER_HOME`` overrides it (tests, portable installs). Otherwise: Windows
    ``%APPDATA%\\Messenger``, macOS ``~/Library/Application Support/Messenger``, elsewhere
    ``$XDG_DATA_HOME/messenger`` (default ``~/.local/share/messenger``).
    """
    env = dict(os.environ) if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get("MESSENGER_HOME"):
        return Path(env["MESSENGER_HOME"])
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    if platform.startswith("win"):
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / APP_NAME
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    return Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / APP_NAME.lower()
