"""Shell tests: the real app flow (windows, tray, view-models) over real servers, offscreen.

Qt and asyncio share one thread through qasync, as in the app: async tests run on the UI
tests' ``TestLoop`` (tests/ui/qt_loop.py) and wait with ``until`` (the loop keeps running
while a condition is checked; nothing sleeps blindly). The keyring is always an in-memory
one (or the "fail" backend a test asks for): the keychain of the machine running the tests
is never touched.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the notification service of the machine running the tests (a test brings its own bus).
os.environ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/messenger-tests-bus"

from messenger.app.qt_compat import pin_singletons_if_needed

pin_singletons_if_needed()  # PySide6 6.12 on Python 3.11 (see messenger/app/qt_compat.py)

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from messenger.app.accounts import AccountManager  # noqa: E402
from messenger.app.appearance import wire_appearance  # noqa: E402
from messenger.app.flow import AppFlow  # noqa: E402
from messenger.app.local_server import LocalServer  # noqa: E402
from messenger.app.settings_file import load_settings, save_settings  # noqa: E402
from messenger.core.backoff import Backoff, BackoffFactory  # noqa: E402
from messenger.core.client import Client  # noqa: E402
from messenger.system.secret_stores import KeyringStatus  # noqa: E402
from messenger.ui.i18n import install_language  # noqa: E402
from messenger.ui.theme import apply_theme  # noqa: E402
from messenger.viewmodels.settings import SettingsViewModel  # noqa: E402
from tests.helpers.clients import Devices  # noqa: E402
from tests.helpers.keyrings import MemoryKeyring, use_keyring  # noqa: E402
from tests.helpers.server import ServerProcess, shared_server  # noqa: E402
from tests.ui.qt_loop import TestLoop  # noqa: E402
from tests.ui.qt_loop import install as install_qt_loop  # noqa: E402


def qt_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(["messenger-shell-tests"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    return app


install_qt_loop()  # pytest-qt's event processing runs with the test's loop


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests here run on a qasync loop: Qt and asyncio on one thread, as in the app."""
    return {"qasync": lambda: TestLoop(qt_app())}


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


@pytest.fixture(scope="package")
def im_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server for the shell tests that do not stop theirs (unique user IDs)."""
    with shared_server(tmp_path_factory.mktemp("im-server")) as proc:
        yield proc


@pytest.fixture
async def peers(im_server: ServerProcess, tmp_path: Path) -> AsyncIterator[Devices]:
    """Other people's devices (real core clients), closed at the end."""
    made = Devices(im_server.url, tmp_path / "peers")
    yield made
    await made.aclose()


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
async def make_shell(im_server: ServerProcess, tmp_path: Path) -> AsyncIterator[MakeShell]:
    """``await make_shell()``: an app on ``im_server`` (or ``server=URL``); ``data=`` reuses a
    data folder (an app restart). Not started: call ``flow.start(...)`` or sign in."""
    made: list[Shell] = []

    async def make(
        *,
        server: str | None = None,
        data: Path | None = None,
        backoff: BackoffFactory = fast_backoff,
        status: KeyringStatus | None = None,
        coalesce_ms: int = 50,
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
            settings, accounts, default_server=server or im_server.url, coalesce_ms=coalesce_ms
        )
        shell = Shell(folder, settings, accounts, flow, local)
        made.append(shell)
        return shell

    yield make
    for shell in reversed(made):
        await shell.close()
