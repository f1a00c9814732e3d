"""Choosing files to send or pictures to use: the dialog opens where the user last chose one
(during this run), else in their home folder — never in the app's working directory."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

_last_folder: Path | None = None


def start_folder() -> str:
    if _last_folder is not None and _last_folder.is_dir():
        return str(_last_folder)
    return str(Path.home())


def _remember(paths: list[str]) -> None:
    global _last_folder
    if paths:
        _last_folder = Path(paths[0]).parent


def choose_files(parent: QWidget, title: str, filters: str = "") -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(), filters)
    _remember(names)
    return [Path(n) for n in names]


def choose_file(parent: QWidget, title: str, filters: str = "") -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, start_folder(), filters)
    _remember([name] if name else [])
    return Path(name) if name else None
