"""Every window and dialog of the app, in both languages: no two controls of one window share
an Alt+letter (mnemonic) key, and every text changes language at once, without reopening."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

import messenger.ui
from messenger.ui.confirm import confirm
from messenger.ui.i18n import install_language
from messenger.ui.kick_dialog import KickDialog
from messenger.ui.readers_dialog import ReadersDialog
from tests.helpers.ids import uid
from tests.ui.helpers import settle
from tests.ui.qt_loop import qt_app
from tests.ui.shell.conftest import MakeShell, Shell
from tests.ui.shell.test_sign_in import signed_up

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else ""


def own_widgets(window: QWidget) -> Iterator[QWidget]:
    """The window's visible widgets (not those of the dialogs it owns)."""
    for widget in window.findChildren(QWidget):
        if widget.window() is window and widget.isVisibleTo(window):
            yield widget


def clashes(window: QWidget) -> list[str]:
    """Alt+letter keys that two controls of ``window`` (or two items of one menu) share."""
    groups: list[list[tuple[str, str]]] = [[]]
    for widget in own_widgets(window):
        if isinstance(widget, QAbstractButton):
            groups[0].append((widget.text(), type(widget).__name__))
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            groups[0].append((widget.text(), "label"))
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            groups[0].append((widget.title(), "group"))
    if isinstance(window, QMainWindow):
        groups[0] += [(a.text(), "menu") for a in window.menuBar().actions() if a.isVisible()]
    for menu in window.findChildren(QMenu):
        groups.append([(a.text(), "menu item") for a in menu.actions() if a.isVisible()])
    found: list[str] = []
    for group in groups:
        keys: dict[str, list[str]] = {}
        for text, what in group:
            if key := mnemonic(text):
                keys.setdefault(key, []).append(f"{what} {text!r}")
        found += [f"Alt+{k.upper()}: {', '.join(v)}" for k, v in keys.items() if len(v) > 1]
    return found


def texts(window: QWidget) -> dict[str, str]:
    """Every text of the window a person reads, by where it is."""
    found: dict[str, str] = {"title": window.windowTitle()}
    for n, widget in enumerate(own_widgets(window)):
        where = f"{n}:{type(widget).__name__}:{widget.objectName()}"
        if isinstance(widget, (QAbstractButton, QLabel)):
            found[where] = widget.text()
        elif isinstance(widget, QGroupBox):
            found[where] = widget.title()
        elif isinstance(widget, QLineEdit):
            found[where] = widget.placeholderText()
        if widget.toolTip():
            found[where + ":tip"] = widget.toolTip()
    if isinstance(window, QMainWindow):
        for n, action in enumerate(window.menuBar().actions()):
            found[f"menu {n}"] = action.text()
    return found


def words(text: str) -> bool:
    """Does the text have English words in it (not only names, addresses, numbers, signs)?"""
    return "://" not in text and bool(re.search(r"[A-Za-z]{2,}", text))


async def every_window(shell: Shell) -> list[QWidget]:
    """The app's windows and dialogs, open (each kind at least once)."""
    flow = shell.flow
    window = flow.window
    assert window.switcher is not None
    window.open_switcher()
    flow.show_settings()
    kick = KickDialog("replaced", "signed in elsewhere", "someone", window)
    readers = ReadersDialog(["ann"], ["ben"], window)
    box = confirm(window, "Clear history", "Delete it?", "Clear", lambda: None)
    for dialog in (kick, readers):
        dialog.show()
    await settle(10)
    return [window, window.switcher, flow.settings_dialog, kick, readers, box]


def kinds_in_the_app() -> set[type]:
    """Every window and dialog class the app defines."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(messenger.ui.__path__):
        module = importlib.import_module(f"messenger.ui.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and issubclass(value, (QDialog, QMainWindow)):
                found.add(value)
    return found


def switch(language: str) -> None:
    install_language(qt_app(), language)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


async def test_no_two_controls_of_a_window_share_an_alt_key_in_either_language(
    make_shell: MakeShell,
) -> None:
    shell = await make_shell()
    await shell.flow.start()
    sign_in = shell.flow.sign_in
    problems: list[str] = []
    for language in ("en", "zh_CN"):
        switch(language)
        await settle(10)
        for auth in ("password", "usersig"):
            sign_in.auth_combo.setCurrentIndex(sign_in.auth_combo.findData(auth))
            problems += [f"{language} sign-in ({auth}): {c}" for c in clashes(sign_in)]
    switch("en")
    await signed_up(shell, uid("mo"))
    windows = await every_window(shell)
    checked = {type(w) for w in windows} | {type(sign_in)}
    assert kinds_in_the_app() <= checked, "a window or dialog the test does not open"
    for language in ("en", "zh_CN"):
        switch(language)
        await settle(10)
        for window in windows:
            problems += [f"{language} {type(window).__name__}: {c}" for c in clashes(window)]
    switch("en")
    assert not problems, "\n".join(problems)


async def test_every_text_of_every_window_changes_language_at_once(
    make_shell: MakeShell,
) -> None:
    shell = await make_shell()
    await shell.flow.start()
    user = uid("lu")
    await signed_up(shell, user)
    windows = await every_window(shell)
    english = [texts(w) for w in windows]
    try:
        switch("zh_CN")
        await settle(10)
        problems = []
        for window, before in zip(windows, english, strict=True):
            after = texts(window)
            for where, text in before.items():
                if where in after and after[where] == text and words(text) and user not in text:
                    if isinstance(window, QMessageBox) and text in (
                        "Clear history",
                        "Delete it?",
                        "Clear",
                    ):
                        continue  # the test's own texts
                    problems.append(f"{type(window).__name__} {where}: still {text!r}")
        assert not problems, "\n".join(problems)
    finally:
        switch("en")
