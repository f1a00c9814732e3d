"""The data folder: MESSENGER_HOME wins, else the platform's user data folder (platformdirs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from messenger.system.paths import data_dir


def test_messenger_home_overrides_the_platform_folder(tmp_path: Path) -> None:
    assert data_dir({"MESSENGER_HOME": str(tmp_path)}) == tmp_path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders")
def test_linux_follows_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir({}) == tmp_path / "xdg" / "messenger"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert data_dir({}) == Path.home() / ".local" / "share" / "messenger"
