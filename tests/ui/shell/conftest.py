"""Shell tests: the real app flow (windows, tray, view-models) over real servers, offscreen.

Qt and asyncio share one thread through qasync, as in the app: async tests run on the UI
tests' ``TestLoop`` (``tests/ui/conftest.py``) and wait with ``until`` (the loop keeps running
while a condition is checked; nothing sleeps blindly). Other people's devices: ``devices``
(``tests/helpers/fixtures.py``). The keyring is always an in-memory
one (or the "fail" backend a test asks for): the keychain of the machine running the tests
is never touched.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from messenger.app.accounts import AccountManager
from messenger.app.appearance import wire_appearance
from messenger.app.flow import AppFlow
from messenger.app.local_server import LocalServer
from messenger.app.settings_file import load_settings, save_settings
from messenger.app.single_instance import InstanceGuard
from messenger.core.backoff import Backoff, BackoffFactory
from messenger.core.client import Client
from messenger.system.secret_stores import KeyringStatus
from messenger.ui.i18n import install_language
from messenger.ui.theme import apply_theme
from messenger.viewmodels.settings import SettingsViewModel
from tests.helpers.keyrings import MemoryKeyring, use_keyring
from tests.helpers.server import ServerProcess
from tests.ui.qt_loop import qt_app

# Never the notification service of the machine running the tests (a test brings its own bus).
os.environ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/messenger-tests-bus"


def fast_backoff() -> Backoff:
    return Backoff(base=0.05, cap=0.3)


@pytest.fixture(autouse=True)
def keyring_backend() -> Iterator[MemoryKeyring]:
    """Every shell test runs with an in-memory keyring (tests may install another)."""
    backend = MemoryKeyring()
    with use_keyring(backend):
        yield backend


@pytest.fixture(autouse=True)
def english_light() -> Iterator[None]:
    """Each test starts (and leaves the app) in English with the light theme."""
    app = qt_app()
    install_language(app, "en")
    apply_theme(app, "light")
    yield
    install_language(app, "en")
    apply_theme(app, "light")


@dataclass
class Shell:
    """One app instance: its data folder, settings, accounts and flow (windows included)."""

    data: Path
    settings: SettingsViewModel
    accounts: AccountManager
    flow: AppFlow
    local: LocalServer
    closed: bool = False

    async def close(self) -> None:
        """Quit this app instance (again: nothing)."""
        if self.closed:
            return
        self.closed = True
        await self.flow.shutdown()
        self.local.stop()
        for widget in (self.flow.window, self.flow.sign_in):
            widget.deleteLater()


MakeShell = Callable[..., Awaitable[Shell]]


@pytest.fixture
async def make_shell(server: ServerProcess, tmp_path: Path) -> AsyncIterator[MakeShell]:
    """``await make_shell()``: an app on the shared ``server`` (or ``server=URL``); ``data=`` reuses a
    data folder (an app restart, or a second window of the same folder); ``instances=True``: one
    window per account, as the app runs. Not started: call ``flow.start(...)`` or sign in."""
    made: list[Shell] = []
    shared = server

    async def make(
        *,
        server: str | None = None,
        data: Path | None = None,
        backoff: BackoffFactory = fast_backoff,
        status: KeyringStatus | None = None,
        coalesce_ms: int = 50,
        instances: bool = False,
    ) -> Shell:
        folder = data or tmp_path / f"app-{len(made)}"
        folder.mkdir(parents=True, exist_ok=True)
        settings = SettingsViewModel(load_settings(folder), lambda s: save_settings(folder, s))
        wire_appearance(qt_app(), settings)
        local = LocalServer(folder / "server")

        def client(url: str, client_dir: Path) -> Client:
            return Client(url, client_dir, device_name="shell test", backoff=backoff)

        accounts = AccountManager(folder, settings, local, status=status, client_factory=client)
        flow = AppFlow(
            settings,
            accounts,
            default_server=server or shared.url,
            coalesce_ms=coalesce_ms,
            instances=InstanceGuard(folder) if instances else None,
        )
        shell = Shell(folder, settings, accounts, flow, local)
        made.append(shell)
        return shell

    yield make
    for shell in reversed(made):
        await shell.close()
