"""The layering of docs/architecture.md, enforced: a wrong import arrow fails the suite."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import messenger

PACKAGE = Path(messenger.__file__).parent
GUI_QT = ("PySide6.QtGui", "PySide6.QtWidgets", "qasync")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def test_import_contracts_hold() -> None:
    """import-linter checks the contracts in pyproject.toml (layers and forbidden imports)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe is not None, "import-linter is not installed"
    result = subprocess.run([exe], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_ui_and_app_use_gui_qt() -> None:
    offenders = []
    for layer in ("protocol", "server", "core", "viewmodels", "system"):
        for path in _modules(layer):
            bad = {m for m in _imports(path) if m.startswith(GUI_QT)}
            if bad:
                offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_viewmodels_use_qtcore_only() -> None:
    offenders = []
    for path in _modules("viewmodels"):
        qt = {m for m in _imports(path) if m.startswith("PySide6")}
        bad = {m for m in qt if m != "PySide6" and not m.startswith("PySide6.QtCore")}
        if bad:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_the_checker_sees_a_wrong_arrow(tmp_path: Path) -> None:
    """The AST scan itself works: a module importing QtWidgets is found."""
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QLabel\nimport qasync\n")
    assert {"PySide6.QtWidgets", "qasync"} <= _imports(bad)
