"""Settings (U7, U3): saved at once, theme live, the account part and "clear cache"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from messenger.app.settings_file import load_settings, save_settings
from messenger.ui import theme
from messenger.ui.settings_dialog import SettingsDialog
from messenger.viewmodels.settings import Settings, SettingsViewModel
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until


def dark() -> bool:
    return theme.is_dark(QApplication.palette())


def choose(combo: object, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))  # type: ignore[attr-defined]


def test_changes_are_saved_at_once_and_read_back(tmp_path: Path, qapp: QApplication) -> None:
    vm = SettingsViewModel(load_settings(tmp_path), lambda s: save_settings(tmp_path, s))
    dialog = SettingsDialog(vm)
    dialog.notify_check.click()  # off
    assert not dialog.sound_check.isEnabled()  # nothing to make a sound for
    dialog.notify_check.click()  # on again
    dialog.preview_check.click()  # off
    choose(dialog.language_combo, "en")
    assert load_settings(tmp_path) == Settings(
        notifications=True, notification_preview=False, language="en"
    )
    again = SettingsDialog(SettingsViewModel(load_settings(tmp_path), lambda s: None))
    assert not again.preview_check.isChecked() and again.notify_check.isChecked()
    assert again.language_combo.currentData() == "en"
    dialog.deleteLater()
    again.deleteLater()


def test_a_settings_file_with_nonsense_keeps_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"theme": "purple", "notifications": "yes"}')
    assert load_settings(tmp_path) == Settings()


async def test_the_theme_switches_while_the_app_runs(make_shell: MakeShell) -> None:
    shell = await make_shell()
    await shell.flow.start()
    dialog = shell.flow.settings_dialog
    choose(dialog.theme_combo, "dark")
    assert dark() and shell.settings.settings.theme == "dark"
    banner = shell.flow.banner
    banner.set_state("offline")
    assert theme.is_dark(banner.palette())  # the banner's own colours follow
    choose(dialog.theme_combo, "light")
    assert not dark()
    assert load_settings(shell.data).theme == "light"


def test_system_theme_follows_the_os_live(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme.apply_theme(qapp, "light")
    theme.follow_system(qapp, lambda: "system")
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert dark()
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not dark()


async def test_the_account_part_shows_who_and_where_and_signs_out(
    make_shell: MakeShell, server: ServerProcess
) -> None:
    shell = await make_shell()
    user = uid("ola")
    await signed_up(shell, user)
    shell.flow.window.settings_requested.emit()
    dialog = shell.flow.settings_dialog
    assert dialog.isVisible()
    assert dialog.server_value.text() == server.url
    assert dialog.user_value.text() == user
    await until(lambda: "Messages stored on this computer" in dialog.cache_value.text())
    dialog.sign_out_button.click()
    await until(lambda: shell.flow.sign_in.isVisible(), what="the sign-in window")
    assert not dialog.isVisible() and not dialog.account_group.isEnabled()


async def test_clear_cache_asks_then_downloads_everything_again(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("pam"), uid("quin")
    quin = await devices.sign_in(peer)
    shell = await make_shell()
    await signed_up(shell, me)
    await quin.client.send_text(f"C2C{me}", "keep me")
    account = shell.flow.account
    assert account is not None
    await until(lambda: shell.flow.tray.unread == 1, what="the message")
    store = shell.accounts.account_dir(account)
    assert store is not None and (store / "messages.sqlite3").exists()
    shell.flow.show_settings()
    dialog = shell.flow.settings_dialog
    await until(lambda: dialog.account is not None and dialog.account.cache_size > 0)
    marker = store / "marker"
    marker.write_text("from before")
    box = dialog.confirm_clear_cache()
    assert box.isVisible() and "Delete the messages stored on this computer" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    fresh = await until(
        lambda: (
            shell.flow.account is not None
            and shell.flow.account is not account
            and shell.flow.account
        ),
        what="a fresh session",
    )
    assert not marker.exists()  # the old store was deleted
    assert fresh.user_id == me and shell.flow.window.isVisible()
    await until(lambda: fresh.client.connection_state.value == "connected", what="resynced")
    texts = [m.text for m in await fresh.client.messages(f"C2C{peer}")]
    assert texts == ["keep me"]
    assert dialog.account is not None and dialog.account is shell.flow.account_settings
    await until(lambda: shell.flow.tray.unread == 1, what="the badge again")


async def test_cancelling_clear_cache_keeps_everything(make_shell: MakeShell) -> None:
    shell = await make_shell()
    await signed_up(shell, uid("ray"))
    account = shell.flow.account
    shell.flow.show_settings()
    box = shell.flow.settings_dialog.confirm_clear_cache()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert shell.flow.account is account


async def test_downloads_are_shown_apart_cleared_alone_and_kept_within_the_chosen_limit(
    make_shell: MakeShell, devices: Devices, tmp_path: Path
) -> None:
    me, peer = uid("sam"), uid("tess")
    tess = await devices.sign_in(peer)
    shell = await make_shell()
    await signed_up(shell, me)
    account = shell.flow.account
    assert account is not None
    client = account.client
    await until(lambda: client.transfers.cache.limit == 10**9, what="the default: 1 GB")
    report = tmp_path / "report.bin"
    report.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    await tess.client.send_file(f"C2C{me}", report)

    async def received() -> object:
        found = [m for m in await client.messages(f"C2C{peer}") if m.kind == "file"]
        return found[0] if found else None

    message = await until(received, what="the file")
    await client.download(message)  # opened once: now in the downloads
    shell.flow.show_settings()
    dialog = shell.flow.settings_dialog
    await until(
        lambda: dialog.media_value.text() == "Downloaded pictures, videos and files: 1.0 MB",
        what="the downloads' size",
    )
    assert dialog.account is not None and dialog.account.cache_size > dialog.account.media_size

    box = dialog.confirm_clear_downloads()
    assert "downloaded to this computer" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    await until(
        lambda: dialog.media_value.text() == "Downloaded pictures, videos and files: 0 bytes",
        what="the downloads cleared",
    )
    assert shell.flow.account is account  # no new session: the messages stayed where they were
    assert [m.kind for m in await client.messages(f"C2C{peer}")] == ["file"]

    # The limit: saved at once and applied to the running account's cache.
    assert dialog.media_limit_combo.currentText() == "1 GB"
    dialog.media_limit_combo.setCurrentIndex(dialog.media_limit_combo.findData(250))
    assert dialog.media_limit_combo.currentText() == "250 MB"
    assert load_settings(shell.data).media_cache_mb == 250
    await until(lambda: client.transfers.cache.limit == 250 * 10**6, what="the new limit")


async def test_the_recent_reactions_are_remembered_across_a_restart(
    make_shell: MakeShell, devices: Devices
) -> None:
    peer, me = uid("rita"), uid("reacts")
    rita = await devices.sign_in(peer)
    first = await make_shell()
    await signed_up(first, me)
    await rita.client.send_text(f"C2C{me}", "we won")
    window = first.flow.window
    window.open_conversation(f"C2C{peer}")
    assert window.session is not None
    chat = window.session.chat
    await until(lambda: chat.messages.rowCount() == 1, what="the message")
    assert chat.ops.recent[0] == "👍"
    await chat.ops.react(chat.messages.row(0).key, "🥳")
    assert chat.ops.recent[0] == "🥳"
    assert load_settings(first.data).recent_reactions.split()[0] == "🥳"
    await first.close()
    again = await make_shell(data=first.data)
    await again.flow.start()
    await until(lambda: again.flow.account, what="signed in again")
    session = again.flow.window.session
    assert session is not None and session.chat.ops.recent[:2] == ["🥳", "👍"]
