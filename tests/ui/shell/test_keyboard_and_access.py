"""Keyboard shortcuts (Ctrl+, settings, Ctrl+Q quit), Esc, and accessible names (U3)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from messenger.ui.kick_dialog import KickDialog
from tests.helpers.ids import uid
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible controls a screen reader could not name."""
    kinds = (QAbstractButton, QLineEdit, QComboBox)
    return [
        f"{type(w).__name__} {w.objectName() or w.text() if hasattr(w, 'text') else ''}"
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisible() and not w.accessibleName()
    ]


async def test_ctrl_comma_opens_settings_and_ctrl_q_quits(
    make_shell: MakeShell, qtbot: QtBot
) -> None:
    shell = await make_shell()
    await signed_up(shell, uid("tia"))
    window = shell.flow.window
    window.activateWindow()
    await until(lambda: QApplication.activeWindow() is window, what="focus")
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: shell.flow.settings_dialog.isVisible(), what="the settings dialog")
    window.activateWindow()
    await until(lambda: QApplication.activeWindow() is window, what="focus again")
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    await asyncio.wait_for(shell.flow.wait_quit(), 5)


async def test_escape_keeps_the_sign_in_window_and_closing_it_quits(
    make_shell: MakeShell, qtbot: QtBot
) -> None:
    shell = await make_shell()
    await shell.flow.start()
    dialog = shell.flow.sign_in
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.close()  # the window's close button: nobody signed in, so the app quits
    await asyncio.wait_for(shell.flow.wait_quit(), 5)


async def test_every_control_of_the_shell_has_an_accessible_name(make_shell: MakeShell) -> None:
    shell = await make_shell()
    await shell.flow.start()
    assert unnamed_controls(shell.flow.sign_in) == []
    await signed_up(shell, uid("uma"))
    shell.flow.show_settings()
    assert unnamed_controls(shell.flow.settings_dialog) == []
    shell.flow.banner.set_state("offline")
    assert unnamed_controls(shell.flow.banner) == []
    kick = KickDialog("other_device", "", "uma", shell.flow.window)
    kick.show()
    assert unnamed_controls(kick) == []
    kick.deleteLater()


async def test_closing_the_main_window_quits_where_there_is_no_tray(
    make_shell: MakeShell,
) -> None:
    shell = await make_shell()
    await signed_up(shell, uid("val"))
    assert not shell.flow.tray.available()  # offscreen: no system tray to keep running in
    shell.flow.window.close()
    await asyncio.wait_for(shell.flow.wait_quit(), 5)
