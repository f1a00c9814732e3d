"""A widget's handler of a longer-lived object's signal is a bound method, never a lambda.

Qt drops a connection to a bound method of a QObject when that object is deleted; a lambda that
touches the widget stays connected to the view model (or client, or model) that outlives it, and
the next emission raises "Internal C++ object already deleted" inside the event loop. That made
whole test runs fail now and then. The rule, checked over ``messenger/ui``: a lambda may not be
connected to a signal of an object passed into the function (a view model given to a widget's
``__init__``) or of one of the widget's long-lived attributes named below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import messenger

UI = Path(messenger.__file__).parent / "ui"
# Attributes of a widget that hold objects it does not own.
LONG_LIVED = frozenset(
    {"vm", "people", "chat", "conversations", "client", "session", "model", "notifications"}
    | {"thumbnails", "uploads", "downloads", "settings", "bus"}
)


def _root(expr: ast.expr) -> tuple[str | None, list[str]]:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    parts.reverse()
    return (expr.id if isinstance(expr, ast.Name) else None), parts


def lambdas_on_foreign_signals(source: str) -> list[str]:
    """``line: signal`` for each lambda connected to a signal of an object the widget doesn't own."""
    found: list[str] = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = function.args.args + function.args.kwonlyargs
        passed_in = {argument.arg for argument in arguments} - {"self"}
        for node in ast.walk(function):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                and node.args
                and isinstance(node.args[0], ast.Lambda)
                and isinstance(node.func.value, ast.Attribute)
            ):
                continue
            signal = node.func.value
            name, parts = _root(signal.value)
            if name in passed_in or (name == "self" and parts and parts[0] in LONG_LIVED):
                found.append(f"{node.lineno}: {ast.unparse(signal)}")
    return found


def test_the_check_catches_a_lambda_on_a_view_models_signal() -> None:
    source = (
        "class Page:\n"
        "    def __init__(self, people, parent=None):\n"
        "        people.presence_changed.connect(lambda _: self.friends.viewport().update())\n"
        "        self.vm.failed.connect(lambda message: self.error.setText(message))\n"
        "        self.button.clicked.connect(lambda: self.close())\n"
        "        people.presence_changed.connect(self._presence_changed)\n"
    )
    assert lambdas_on_foreign_signals(source) == [
        "3: people.presence_changed",
        "4: self.vm.failed",
    ]


def test_no_widget_connects_a_lambda_to_a_signal_that_outlives_it() -> None:
    offenders = [
        f"{path.relative_to(UI.parent)}:{line}"
        for path in sorted(UI.rglob("*.py"))
        for line in lambdas_on_foreign_signals(path.read_text("utf-8"))
    ]
    assert offenders == []
