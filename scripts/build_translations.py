"""Build the app's translations: Qt Linguist sources (.ts) → compiled catalogues (.qm).

    python scripts/build_translations.py            # resources/translations/*.ts → messenger/ui/translations/*.qm
    python scripts/build_translations.py --update   # first collect every tr() string of messenger/ into the .ts
    python scripts/build_translations.py --check    # fail if a string of the code is missing or untranslated

Run by ``make install`` (so ``make run`` and ``make test`` have the .qm files, which are not
committed). ``--update`` keeps existing translations, marks new strings unfinished and drops
strings the code no longer has; translate the new ones (Qt Linguist, or by hand) afterwards.

Besides ``self.tr("…")`` and ``QCoreApplication.translate("Context", "…")``, which lupdate
finds by itself, strings passed to a module's own wrapper (``def _tr(text): return
QCoreApplication.translate("Context", text)``, or ``def _trn(text, n): return
QCoreApplication.translate("Context", text, None, n)`` for texts with plural forms) are
collected too: lupdate cannot see through the wrapper, so they are handed to it as literal
``translate`` calls in a generated file.

English is in the source, but a text with plural forms (``self.tr("%n member(s)", "", n)``)
needs its English forms too ("1 member", "2 members"): ``messenger_en.ts`` holds only those
(lupdate ``-pluralonly``).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "resources" / "translations"
TARGET = ROOT / "messenger" / "ui" / "translations"
CODE = ROOT / "messenger"
QT_LAYERS = ("app", "ui", "viewmodels")  # the only places with tr()


def tool(name: str) -> str:
    """A PySide6 tool: next to this Python (a virtualenv) or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e '.[dev]')")
    return found


def code_files() -> list[Path]:
    return sorted(p for layer in QT_LAYERS for p in (CODE / layer).rglob("*.py"))


def _wrapper_context(func: ast.FunctionDef) -> tuple[str, bool] | None:
    """``def _tr(text): return QCoreApplication.translate("Ctx", text)`` → ("Ctx", False);
    ``def _trn(text, n): return QCoreApplication.translate("Ctx", text, None, n)`` → ("Ctx",
    True)."""
    params = [a.arg for a in func.args.args]
    body = [s for s in func.body if not isinstance(s, ast.Expr)]  # skip a docstring
    if len(params) not in (1, 2) or len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    call = body[0].value
    plural = len(params) == 2
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "translate"
        and len(call.args) == (4 if plural else 2)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and isinstance(call.args[1], ast.Name)
        and call.args[1].id == params[0]
    ):
        return None
    if plural and not (
        isinstance(call.args[2], ast.Constant)
        and call.args[2].value is None
        and isinstance(call.args[3], ast.Name)
        and call.args[3].id == params[1]
    ):
        return None
    return call.args[0].value, plural


def wrapped_strings(path: Path) -> list[tuple[str, str, bool]]:
    """(context, text, plural) of every literal passed to a translate wrapper defined in
    ``path``."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    wrappers = {
        node.name: context
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and (context := _wrapper_context(node)) is not None
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in wrappers
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            context, plural = wrappers[node.func.id]
            found.append((context, node.args[0].value, plural))
    return found


def update(ts: Path, *, quiet: bool = False) -> None:
    extra = [s for path in code_files() for s in wrapped_strings(path)]
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "wrapped_strings.py"
        lines = ["from PySide6.QtCore import QCoreApplication", ""]
        lines += [
            f"QCoreApplication.translate({c!r}, {t!r}{', None, n' if plural else ''})"
            for c, t, plural in extra
        ]
        generated.write_text("\n".join(lines) + "\n", "utf-8")
        files = [str(p) for p in code_files()] + [str(generated)]
        options = ["-no-obsolete", "-locations", "none"]
        if plural_only(ts):
            options.append("-pluralonly")
        subprocess.run(
            [tool("pyside6-lupdate"), *files, *options, "-ts", str(ts)],
            check=True,
            cwd=ROOT,
            capture_output=quiet,
        )


def plural_only(ts: Path) -> bool:
    """English is in the source: its .ts has only the texts with plural forms."""
    return ts.stem.endswith("_en")


def problems(ts: Path) -> list[str]:
    """Entries that are unfinished or empty, as "context: source" lines."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [] if translation is None else list(translation.iter("numerusform"))
            texts = [f.text or "" for f in forms] or [
                "" if translation is None else (translation.text or "")
            ]
            unfinished = translation is None or translation.get("type") == "unfinished"
            if unfinished or not all(texts):
                found.append(f"{name}: {message.findtext('source', '')}")
    return found


def check(ts: Path) -> list[str]:
    """Collect the code's strings into a copy of ``ts``: what is missing or untranslated."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / ts.name
        shutil.copy(ts, copy)
        update(copy, quiet=True)
        return problems(copy)


def release(ts: Path) -> Path:
    TARGET.mkdir(parents=True, exist_ok=True)
    qm = TARGET / (ts.stem + ".qm")
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--update", action="store_true", help="collect tr() strings first")
    parser.add_argument("--check", action="store_true", help="report missing translations")
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("messenger_*.ts"))
    if not sources:
        raise SystemExit(f"no translation sources in {SOURCES}")
    if args.check:
        missing = {ts.name: check(ts) for ts in sources}
        for name, lines in missing.items():
            for line in lines:
                print(f"{name}: untranslated: {line}")
        return 1 if any(missing.values()) else 0
    for ts in sources:
        if args.update:
            update(ts)
        print(f"{ts.relative_to(ROOT)} -> {release(ts).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
