"""``messenger --self-test``: passes on a whole installation, names the step that fails otherwise."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from messenger.app.self_test import SelfTest
from messenger.ui import i18n
from messenger.ui.tray import app_icon

STEPS = ("qt", "translations", "icon", "server", "sign-up", "message", "media")


def test_the_self_test_of_the_source_checkout_passes(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "messenger.app.main", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == list(STEPS)
    assert all(line.startswith("ok ") for line in lines[:-1])
    assert "received on the second device" in lines[STEPS.index("message")]
    assert "4096 bytes uploaded, downloaded" in lines[STEPS.index("media")]
    assert lines[-1] == "self-test passed"
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone


@pytest.fixture
def window_icon() -> Iterator[None]:
    """The app's window icon, as ``messenger`` sets it (the test app has none)."""
    QGuiApplication.setWindowIcon(app_icon())
    yield
    QGuiApplication.setWindowIcon(QGuiApplication.windowIcon().__class__())


async def test_missing_translations_fail_the_self_test_and_stop_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window_icon: None
) -> None:
    monkeypatch.setattr(i18n, "QM_DIR", tmp_path / "no-translations")
    out = io.StringIO()
    code = await SelfTest(tmp_path / "run", out).run()
    assert code == 1
    lines = out.getvalue().splitlines()
    assert lines[-1] == "FAILED translations: no compiled translation for en, zh_CN"
    assert not any(line.startswith("ok server") for line in lines)  # later steps never ran


async def test_a_server_that_cannot_start_fails_the_self_test(
    tmp_path: Path, window_icon: None
) -> None:
    blocked = tmp_path / "run"
    blocked.write_text("a file where the server's folder should go")
    out = io.StringIO()
    code = await SelfTest(blocked, out).run()
    assert code == 1
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("FAILED server: ")
