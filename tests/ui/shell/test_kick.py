"""Kicked out by the server (A3): the reason in words, then back to the sign-in window."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from messenger.core.client import Client
from messenger.ui.kick_dialog import KickDialog
from tests.helpers.fixtures import OwnServer
from tests.helpers.ids import uid
from tests.helpers.server import SDK_APP_ID, SECRET_KEY, ServerProcess
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import PASSWORD, signed_up
from tests.ui.shell.waiting import until


@pytest.fixture
def one_device_server(own_server: OwnServer) -> ServerProcess:
    """A server that allows one device per account (a second sign-in kicks the first)."""
    return own_server("--device-limit", "1")


async def test_signing_in_elsewhere_shows_why_and_returns_to_sign_in(
    one_device_server: ServerProcess, make_shell: MakeShell, tmp_path: Path
) -> None:
    shell = await make_shell(server=one_device_server.url)
    user = uid("kim")
    await signed_up(shell, user)
    async with Client(one_device_server.url, tmp_path / "other-device") as other:
        await other.login_with_password(user, PASSWORD)
        dialog: KickDialog = await until(lambda: shell.flow.kick_dialog, what="the kick dialog")
        assert dialog.isVisible()
        assert dialog.heading.text() == "Signed in on another device"
        assert dialog.text.text().startswith(f"{user} signed in on another device")
        dialog.accept()
        await until(lambda: shell.flow.sign_in.isVisible(), what="the sign-in window")
    flow = shell.flow
    assert flow.account is None and not flow.window.isVisible()
    assert flow.sign_in.user_edit.text() == user
    # The password stays (one click signs in again); the dead session token is gone.
    assert flow.sign_in.secret_edit.placeholderText() == "Saved. Leave empty to use it."
    secret = shell.accounts.vault.load(f"{one_device_server.url}|{user}")
    assert secret.password == PASSWORD and secret.session_token == ""


async def test_a_ban_is_told_as_a_ban(
    one_device_server: ServerProcess, make_shell: MakeShell
) -> None:
    shell = await make_shell(server=one_device_server.url)
    user = uid("lou")
    await signed_up(shell, user)
    banned = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "messenger.server.cli",
            "admin",
            "--data-dir",
            str(one_device_server.data_dir),
            "--sdk-app-id",
            str(SDK_APP_ID),
            "--secret-key",
            SECRET_KEY,
            "ban",
            user,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert banned.returncode == 0, banned.stderr
    dialog: KickDialog = await until(lambda: shell.flow.kick_dialog, what="the kick dialog")
    assert dialog.heading.text() == "This account is banned"
    assert dialog.text.text() == f"The server's administrator has banned {user}."


async def test_a_session_refused_at_launch_signs_in_again_with_the_saved_password(
    one_device_server: ServerProcess, make_shell: MakeShell, tmp_path: Path
) -> None:
    first = await make_shell(server=one_device_server.url)
    user = uid("max")
    await signed_up(first, user)
    await first.close()  # the app quits; its session is kept for next time
    async with Client(one_device_server.url, tmp_path / "other-device") as other:
        await other.login_with_password(user, PASSWORD)  # ends that stored session
    again = await make_shell(server=one_device_server.url, data=first.data)
    await again.flow.start()
    await until(
        lambda: again.flow.account is not None and not again.flow.account.resumed,
        what="a fresh sign-in",
    )
    assert again.flow.kick_dialog is None  # no dialog for a session that ended while away
    assert again.flow.window.isVisible()
