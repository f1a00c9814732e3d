"""Every window and dialog of the app, in both languages: no two controls of one window share
an Alt+letter (mnemonic) key, and every text of a window that can stay open while the language
is switched (the main window, settings, sign-in, non-modal dialogs) changes at once, without
reopening. Window-modal dialogs block the settings while open, so they are made anew in the
language of the moment."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QImage
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
from messenger.core.models import LocalMessage
from messenger.ui.confirm import confirm
from messenger.ui.forward_dialog import ForwardDialog
from messenger.ui.i18n import install_language
from messenger.ui.kick_dialog import KickDialog
from messenger.ui.merged_viewer import MergedViewer
from messenger.ui.readers_dialog import ReadersDialog
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import open_chat, settle, until
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


async def every_window(shell: Shell, peer: str) -> list[QWidget]:
    """The app's windows and dialogs, open (each kind at least once); ``peer`` is another
    user, in a group with the signed-in one."""
    flow = shell.flow
    window = flow.window
    account = flow.account
    assert account is not None
    switcher = await until(lambda: window.switcher, what="the panes made after the list's paint")
    group = await account.client.create_group("Team", [peer])
    await open_chat(window, "GROUP" + group.group_id)
    found: list[QWidget] = [window]
    window.open_switcher()
    found.append(switcher)
    flow.show_settings()
    found.append(flow.settings_dialog)
    for open_one in (window.new_group, window.join_group):
        open_one()
        assert window.group_dialog is not None
        found.append(window.group_dialog)
    window.open_new_chat()
    assert window.new_chat_dialog is not None
    found.append(window.new_chat_dialog)
    card = window.show_profile(peer)
    assert card is not None
    found.append(card)
    card.card.add_button.click()  # Add friend…
    found += [d for d in card.findChildren(QDialog) if d.isVisible()]
    editor = window.edit_profile()
    assert editor is not None
    found.append(editor)
    picture = QImage(64, 48, QImage.Format.Format_RGB32)
    picture.fill(Qt.GlobalColor.darkCyan)
    cropper = editor.avatar.crop_picture(picture)
    assert cropper is not None
    found.append(cropper)
    panel = window.group_panel
    assert panel is not None
    for open_one in (panel.add_members, panel.edit_group, panel.show_requests):
        open_one()
        assert panel.dialog is not None
        found.append(panel.dialog)
    composer = window.chat_pane.composer if window.chat_pane is not None else None
    assert composer is not None
    folder = Path(tempfile.mkdtemp())
    files = [folder / "notes.txt", folder / "plan.txt"]
    for path in files:
        path.write_text("x")
    composer.send_files(files)  # several files: the send dialog
    for _ in range(100):
        if composer.send_dialog is not None:
            break
        await asyncio.sleep(0.02)
    assert composer.send_dialog is not None
    found.append(composer.send_dialog)
    composer.choose_location()
    assert composer.location_dialog is not None
    found.append(composer.location_dialog)
    kick = KickDialog("replaced", "signed in elsewhere", "someone", window)
    readers = ReadersDialog(["ann"], ["ben"], window)
    for dialog in (kick, readers):
        dialog.show()
    found += [kick, readers]
    found.append(confirm(window, "Clear history", "Delete it?", "Clear", lambda: None))
    forward = ForwardDialog([("C2C" + peer, peer)], 2, merged=True, parent=window)
    viewer = MergedViewer("团队", [], me="", name_of=str, open_nested=no_nested, parent=window)
    forward.show()
    viewer.show()
    found += [forward, viewer]
    await settle(10)
    return found


async def no_nested(inner: LocalMessage) -> list[LocalMessage] | None:
    return None


def kinds_in_the_app() -> set[type]:
    """Every window and dialog class the app defines (not a base class of others, which is never
    shown itself)."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(messenger.ui.__path__):
        module = importlib.import_module(f"messenger.ui.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and issubclass(value, (QDialog, QMainWindow)):
                found.add(value)
    return {kind for kind in found if not any(kind in other.__bases__ for other in found)}


def switch(language: str) -> None:
    install_language(qt_app(), language)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


async def test_no_two_controls_of_a_window_share_an_alt_key_in_either_language(
    make_shell: MakeShell, devices: Devices
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
    peer = uid("peer")
    await devices.sign_in(peer)
    await signed_up(shell, uid("mo"))
    windows = await every_window(shell, peer)
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
    make_shell: MakeShell, devices: Devices
) -> None:
    shell = await make_shell()
    await shell.flow.start()
    user, peer = uid("lu"), uid("peer")
    await devices.sign_in(peer)
    await signed_up(shell, user)
    windows = await every_window(shell, peer)
    english = [texts(w) for w in windows]
    try:
        switch("zh_CN")
        await settle(10)
        problems = []
        checked = set()
        for window, before in zip(windows, english, strict=True):
            if window.windowModality() != Qt.WindowModality.NonModal:
                continue  # the language cannot change while it is open: made in the new one
            checked.add(type(window).__name__)
            after = texts(window)
            for where, text in before.items():
                data = user in text or peer in text or "Team" in text
                if where in after and after[where] == text and words(text) and not data:
                    if isinstance(window, QMessageBox) and text in (
                        "Clear history",
                        "Delete it?",
                        "Clear",
                    ):
                        continue  # the test's own texts
                    problems.append(f"{type(window).__name__} {where}: still {text!r}")
        assert not problems, "\n".join(problems)
        assert {"MainWindow", "SettingsDialog", "QuickSwitcherDialog"} <= checked
    finally:
        switch("en")
