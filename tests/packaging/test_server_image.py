"""The server alone (container image, operators' installs): its own short list of dependencies."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESKTOP_ONLY = {
    "pyside6-essentials",
    "pyside6-addons",
    "qasync",
    "keyring",
    "platformdirs",
    "desktop-notifier",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=! ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_server_requirements_are_the_projects_minus_the_desktop_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    listed = [
        line
        for line in (ROOT / "packaging" / "server" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {_name(r) for r in listed} == runtime - DESKTOP_ONLY


BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "qasync", "keyring", "platformdirs", "desktop_notifier"}:
            raise ImportError(f"the server imported {name}")
sys.meta_path.insert(0, Block())
from pathlib import Path
import tempfile
from messenger.server.cli import main
from messenger.server.app import create_app
from messenger.server.config import load_config
with tempfile.TemporaryDirectory() as tmp:
    create_app(load_config(Path(tmp)))
print("server without desktop packages")
"""


def test_the_server_runs_without_qt_or_keyring() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "server without desktop packages"
