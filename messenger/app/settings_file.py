"""The app's preferences on disk: ``settings.json`` in the app data folder."""

from __future__ import annotations

from pathlib import Path

from messenger.system.jsonfile import read_json, write_json
from messenger.viewmodels.settings import Settings

FILE_NAME = "settings.json"


def load_settings(data_dir: Path) -> Settings:
    return Settings.from_dict(read_json(data_dir / FILE_NAME))


def save_settings(data_dir: Path, settings: Settings) -> None:
    write_json(data_dir / FILE_NAME, {"version": 1, **settings.to_dict()})
