"""Windows keep every control whole whatever they show: a message appearing in the sign-in
window (an error, the keyring notice) makes it grow, never squashes or clips the rest."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from tests.helpers.ids import uid
from tests.ui.helpers import settle
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import fill
from tests.ui.shell.waiting import until

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QLabel)


def squashed(window: QWidget) -> list[str]:
    """The visible controls shown smaller than they need, outside the window, or on top of
    one another."""
    problems: list[str] = []
    shown: list[tuple[str, QRect]] = []
    inside = window.rect()
    for control in window.findChildren(QWidget):
        if not isinstance(control, CONTROLS) or not control.isVisibleTo(window):
            continue
        if control.parentWidget() is not window and not isinstance(control, QAbstractButton):
            continue  # parts of other controls (a combo box's line edit …)
        name = control.objectName() or control.accessibleName() or type(control).__name__
        if isinstance(control, QLabel) and control.wordWrap():
            needed = control.heightForWidth(control.width())
        else:
            needed = control.minimumSizeHint().height()
        if control.height() < needed:
            problems.append(f"{name}: {control.height()} px high, needs {needed}")
        rect = QRect(control.mapTo(window, control.rect().topLeft()), control.size())
        if not inside.contains(rect):
            problems.append(f"{name}: {rect} outside the window {inside}")
        for other, other_rect in shown:
            if rect.intersects(other_rect):
                problems.append(f"{name} overlaps {other}")
        shown.append((name, rect))
    return problems


async def test_an_error_in_the_sign_in_window_squashes_nothing(make_shell: MakeShell) -> None:
    shell = await make_shell()
    await shell.flow.start()
    dialog = shell.flow.sign_in
    await until(dialog.isVisible, what="the sign-in window")
    await settle(10)
    problems = squashed(dialog)
    assert not problems, "\n".join(problems)

    fill(dialog, uid("ann"), "password-123", server="http://127.0.0.1:9")
    dialog.sign_in_button.click()
    await until(dialog.error_label.isVisible, what="an error")
    await settle(10)
    problems = squashed(dialog)
    assert not problems, "\n".join(problems)
    assert dialog.server_edit.isVisible() and dialog.local_radio.isVisible()
