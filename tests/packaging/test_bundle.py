"""The frozen app: ``packaging/build.py --bundle-only`` builds it, and its own self-test passes.

Slow (a PyInstaller build: one to three minutes on two cores); skipped where PyInstaller is not
installed (``pip install -e '.[build]'``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None, reason="PyInstaller is not installed"
    ),
]

UNUSED_QT = ("Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6Sql", "Qt6Designer", "Qt6VirtualKeyboard")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--bundle-only",
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "build"),
        ],
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (folder,) = (out / "dist").iterdir()
    return next(folder.iterdir())


def executable(bundle: Path) -> Path:
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / "messenger"
    return bundle / ("messenger.exe" if sys.platform == "win32" else "messenger")


def test_the_bundled_app_passes_its_self_test_offscreen(bundle: Path, tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "TEMP": str(tmp_path),
        "TMP": str(tmp_path),
    }
    done = subprocess.run(
        [str(executable(bundle)), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # not the checkout: nothing may come from the source tree
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    if sys.platform != "win32":  # a windowed Windows executable has no standard output
        assert done.stdout.splitlines()[-1] == "self-test passed"
        assert "ok message" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="the server command ships on Linux and macOS")
def test_the_same_executable_is_the_server_command_under_that_name(
    bundle: Path, tmp_path: Path
) -> None:
    server = tmp_path / "messenger-server"
    server.symlink_to(executable(bundle))
    done = subprocess.run(
        [str(server), "admin", "--data-dir", str(tmp_path / "data"), "add-user", "ops"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "created ops"
    assert (tmp_path / "data" / "server.toml").exists()


def test_the_bundle_carries_no_unused_qt_modules(bundle: Path) -> None:
    carried = [p.name for p in bundle.rglob("*") if p.is_file()]
    assert [n for n in carried if n.startswith(tuple(f"lib{m}" for m in UNUSED_QT))] == []
    assert [n for n in carried if n.startswith(UNUSED_QT)] == []
    assert not [n for n in carried if n.startswith("libqgtk3")]
