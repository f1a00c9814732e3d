"""Sign-in window, saved accounts and the keyring (A1, A2): what a user sees and what is kept."""

from __future__ import annotations

import json
import stat
import sys

import httpx
import pytest
from keyring.backends import fail

from messenger.system.secret_stores import SECRETS_FILE, SERVICE
from messenger.ui.sign_in_dialog import SignInDialog
from tests.helpers.ids import uid
from tests.helpers.keyrings import MemoryKeyring, use_keyring
from tests.helpers.raw import usersig
from tests.helpers.server import ServerProcess
from tests.ui.shell.conftest import MakeShell, Shell
from tests.ui.shell.waiting import until

PASSWORD = "password-123"


def fill(dialog: SignInDialog, user: str, secret: str, *, server: str = "", usersig: bool = False):  # type: ignore[no-untyped-def]
    dialog.select_account("")  # "New account…"
    if server:
        dialog.set_server(server)
    dialog.user_edit.setText(user)
    dialog.auth_combo.setCurrentIndex(
        dialog.auth_combo.findData("usersig" if usersig else "password")
    )
    dialog.secret_edit.setText(secret)


async def signed_up(shell: Shell, user: str, password: str = PASSWORD) -> None:
    """Create the account in the sign-in window and wait for the main window."""
    await shell.flow.start()
    fill(shell.flow.sign_in, user, password)
    shell.flow.sign_in.create_button.click()
    await until(lambda: shell.flow.account is not None, what="signed in")


def stored(backend: MemoryKeyring, server: str, user: str) -> dict[str, str]:
    raw = backend.entries.get((SERVICE, f"{server}|{user}"))
    return json.loads(raw) if raw else {}


async def test_creating_an_account_opens_the_main_window_and_remembers_it(
    make_shell: MakeShell, server: ServerProcess, keyring_backend: MemoryKeyring
) -> None:
    shell = await make_shell()
    flow = shell.flow
    await flow.start()
    assert flow.sign_in.isVisible() and not flow.window.isVisible()
    assert not flow.sign_in.storage_box.isVisible()  # a keyring: no warning
    user = uid("amy")
    fill(flow.sign_in, user, PASSWORD)
    flow.sign_in.create_button.click()
    await until(lambda: flow.window.isVisible(), what="the main window")
    assert not flow.sign_in.isVisible()
    assert flow.window.session is not None and flow.window.session.user_id == user
    secret = stored(keyring_backend, server.url, user)
    assert secret["password"] == PASSWORD and secret["session_token"]
    profiles = (shell.data / "profiles.json").read_text("utf-8")
    assert user in profiles and PASSWORD not in profiles and secret["session_token"] not in profiles


async def test_a_wrong_password_is_said_in_words(make_shell: MakeShell) -> None:
    first = await make_shell()
    user = uid("ben")
    await signed_up(first, user)
    shell = await make_shell()
    await shell.flow.start()
    fill(shell.flow.sign_in, user, "not-the-password")
    shell.flow.sign_in.sign_in_button.click()
    label = shell.flow.sign_in.error_label
    await until(lambda: label.isVisible(), what="an error")
    assert label.text() == "Wrong user ID or password."
    assert shell.flow.account is None and shell.flow.sign_in.isVisible()
    assert shell.flow.sign_in.sign_in_button.isEnabled()  # not stuck busy


async def test_next_launch_resumes_the_stored_session_without_asking(
    make_shell: MakeShell,
) -> None:
    first = await make_shell()
    user = uid("cat")
    await signed_up(first, user)
    await first.close()  # quit: the session stays valid
    again = await make_shell(data=first.data)
    await again.flow.start()
    account = again.flow.account
    assert account is not None and account.user_id == user and account.resumed
    assert again.flow.window.isVisible() and not again.flow.sign_in.isVisible()
    await until(lambda: account.client.connection_state.value == "connected", what="connected")


async def test_without_a_session_the_stored_password_signs_in_at_launch(
    make_shell: MakeShell, server: ServerProcess
) -> None:
    first = await make_shell()
    user = uid("dan")
    await signed_up(first, user)
    await first.close()
    first.accounts.vault.set_token(f"{server.url}|{user}", "")  # e.g. it had expired
    again = await make_shell(data=first.data)
    await again.flow.start()
    account = await until(lambda: again.flow.account, what="signed in")
    assert account.user_id == user and not account.resumed


async def test_sign_out_forgets_the_secret_ends_the_session_and_keeps_the_account_listed(
    make_shell: MakeShell, server: ServerProcess, keyring_backend: MemoryKeyring
) -> None:
    shell = await make_shell()
    user = uid("eve")
    await signed_up(shell, user)
    token = stored(keyring_backend, server.url, user)["session_token"]
    shell.flow.window.sign_out_requested.emit()
    await until(lambda: shell.flow.sign_in.isVisible(), what="the sign-in window")
    assert stored(keyring_backend, server.url, user) == {}
    assert not shell.flow.window.isVisible() and shell.flow.account is None
    dialog = shell.flow.sign_in
    assert dialog.user_edit.text() == user  # the account is still offered
    assert dialog.secret_edit.placeholderText() == ""  # but its password is not saved
    async with httpx.AsyncClient() as http:
        answer = await http.get(server.url + "/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401  # signed out on the server too


async def test_switching_accounts_keeps_each_session_for_later(
    make_shell: MakeShell, server: ServerProcess, keyring_backend: MemoryKeyring
) -> None:
    shell = await make_shell()
    flow = shell.flow
    first, second = uid("fay"), uid("gus")
    await signed_up(shell, first)
    flow.window.switch_account_requested.emit()
    await until(lambda: flow.sign_in.isVisible(), what="the sign-in window")
    assert flow.sign_in.account_combo.currentData() == ""  # a new account, saved ones listed
    assert stored(keyring_backend, server.url, first)["session_token"]  # kept for later
    fill(flow.sign_in, second, PASSWORD)
    flow.sign_in.create_button.click()
    await until(lambda: flow.account is not None and flow.account.user_id == second)
    flow.window.switch_account_requested.emit()
    await until(lambda: flow.sign_in.isVisible())
    flow.sign_in.select_account(f"{server.url}|{first}")
    assert flow.sign_in.secret_edit.placeholderText() == "Saved. Leave empty to use it."
    flow.sign_in.sign_in_button.click()  # no password typed: the saved one is used
    await until(lambda: flow.account is not None and flow.account.user_id == first)
    assert [a.user_id for a in flow.sign_in_vm.accounts()] == [first, second]


async def test_choosing_an_account_open_in_another_window_shows_that_window_instead(
    make_shell: MakeShell, server: ServerProcess
) -> None:
    first = await make_shell(instances=True)
    user = uid("ivy")
    await signed_up(first, user)
    shown: list[bool] = []
    assert first.flow.instances is not None
    first.flow.instances.show_requested.connect(lambda: shown.append(True))
    kicked: list[str] = []
    assert first.flow.session is not None
    first.flow.session.kicked_out.connect(lambda reason, _message: kicked.append(reason))
    # A second window of the same data folder, on its sign-in window (as after "Switch account")
    second = await make_shell(data=first.data, instances=True)
    second.flow.show_sign_in(f"{server.url}|{user}")
    second.flow.sign_in.sign_in_button.click()  # the saved password would be used

    await until(lambda: bool(shown), what="the first window brought to the front")
    await until(lambda: "another window" in second.flow.sign_in_vm.error, what="told")
    assert second.flow.account is None and second.flow.sign_in.isVisible()
    assert first.flow.account is not None and first.flow.account.user_id == user
    assert kicked == []


async def test_a_usersig_signs_in_and_is_kept_in_the_keyring(
    make_shell: MakeShell, server: ServerProcess, keyring_backend: MemoryKeyring
) -> None:
    shell = await make_shell()
    await shell.flow.start()
    user = uid("hal")
    sig = usersig(user)
    fill(shell.flow.sign_in, user, sig, usersig=True)
    assert not shell.flow.sign_in.create_button.isVisible()  # UserSig accounts are not made here
    shell.flow.sign_in.sign_in_button.click()
    await until(lambda: shell.flow.account is not None, what="signed in")
    assert stored(keyring_backend, server.url, user)["user_sig"] == sig


@pytest.mark.expected_log("messenger.system.secret_stores", r"no keyring .*kept for this run only")
async def test_with_no_keyring_the_user_is_told_and_nothing_is_written(
    make_shell: MakeShell, server: ServerProcess
) -> None:
    user = uid("ivy")
    with use_keyring(fail.Keyring()):
        shell = await make_shell()
        await shell.flow.start()
        dialog = shell.flow.sign_in
        assert dialog.storage_box.isVisible()
        assert dialog.storage_notice.text().startswith("No system keyring was found")
        assert dialog.remember_check.text() == "&Remember me until Messenger quits"
        fill(dialog, user, PASSWORD)
        dialog.create_button.click()
        await until(lambda: shell.flow.account is not None, what="signed in")
        await shell.close()
        assert not (shell.data / SECRETS_FILE).exists()
        again = await make_shell(data=shell.data)
        await again.flow.start()
        assert again.flow.account is None  # asked again
        assert again.flow.sign_in.isVisible() and again.flow.sign_in.user_edit.text() == user
        assert again.flow.sign_in.secret_edit.placeholderText() == ""


@pytest.mark.expected_log("messenger.system.secret_stores", r"no keyring .*kept for this run only")
async def test_with_no_keyring_an_opted_in_private_file_keeps_the_secret(
    make_shell: MakeShell,
) -> None:
    user = uid("jon")
    with use_keyring(fail.Keyring()):
        shell = await make_shell()
        await shell.flow.start()
        dialog = shell.flow.sign_in
        dialog.file_check.click()
        assert shell.settings.settings.secrets_in_file
        assert dialog.remember_check.text() == "&Remember me and sign in automatically"
        fill(dialog, user, PASSWORD)
        dialog.create_button.click()
        await until(lambda: shell.flow.account is not None, what="signed in")
        await shell.close()
        path = shell.data / SECRETS_FILE
        assert PASSWORD in path.read_text("utf-8")
        if sys.platform != "win32":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        again = await make_shell(data=shell.data)
        await again.flow.start()
        account = again.flow.account
        assert account is not None and account.user_id == user and account.resumed
