"""``messenger``: the desktop app's entry point and composition root.

    messenger [--server URL] [--demo [--as USER]] [--data-dir DIR]
    messenger --self-test

With no ``--server`` the app signs in to the local server on this computer (the embedded
server, loopback only, in the app data folder; started when first needed, or reused if
another instance runs it). ``--demo`` fills it with demo accounts and history, runs the demo
bot "dave" (in the instance that runs the server) and signs in as ``--as`` (alice).
Docs: docs/app.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from messenger.app.logs import route_qt_messages, setup_logging
from messenger.app.options import parse_args
from messenger.app.server_process import IDLE_EXIT, run_local_server
from messenger.server.runtime import DataDirLock
from messenger.system.paths import data_dir as default_data_dir
from messenger.system.profiles import LOCAL_SERVER, ProfileList, profile_key

# Nothing above imports Qt: the core can be imported before it (see main).
if TYPE_CHECKING:
    from messenger.app.accounts import AccountManager
    from messenger.demo.bot import DemoBot

log = logging.getLogger(__name__)

DEMO_BOT = "dave"


async def run(args: argparse.Namespace, data: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from messenger.app.accounts import AccountManager
    from messenger.app.appearance import wire_appearance
    from messenger.app.flow import AppFlow
    from messenger.app.gui_gc import GuiThreadCollector
    from messenger.app.local_server import LocalServer
    from messenger.app.settings_file import load_settings, save_settings
    from messenger.app.single_instance import InstanceGuard, ask_to_show
    from messenger.app.test_probe import start_probe
    from messenger.viewmodels.accounts import LOCAL
    from messenger.viewmodels.settings import SettingsViewModel

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = SettingsViewModel(load_settings(data), partial(save_settings, data))
    local = LocalServer(data / "server")
    accounts = AccountManager(data, settings, local)
    key = await _launch_account(args, accounts)
    if key is not None and ask_to_show(data, key):
        log.info("%s is open in another window: showed it", key)
        return 0  # one instance per account: the running one came to the front
    wire_appearance(app, settings)
    collector = GuiThreadCollector()
    collector.start()  # a worker thread must never free Qt objects

    guard = InstanceGuard(data)
    flow = AppFlow(settings, accounts, default_server=args.server or LOCAL, instances=guard)
    flow.launched.connect(collector.freeze)
    probe = await start_probe(flow)  # end-to-end tests only (MESSENGER_TEST_PROBE)
    bot: DemoBot | None = None
    bot_lock: DataDirLock | None = None
    try:
        if args.demo:
            from messenger.demo.bot import DemoBot
            from messenger.demo.data import seed_demo
            from messenger.demo.users import DEMO_PASSWORD, DEMO_USERS

            url = await local.url()
            await seed_demo(url, data / "demo")
            bot_lock = DataDirLock(data / "demo", "bot.lock")
            if bot_lock.try_acquire():  # one bot per server: the first demo window runs it
                bot = DemoBot(
                    url,
                    data / "demo" / "bot",
                    user_id=DEMO_BOT,
                    password=DEMO_PASSWORD,
                    names=DEMO_USERS,
                )
                bot.client.server_resolver = local.url  # follows the server if it moves
                await bot.start()
            await flow.start_demo(args.as_user, DEMO_PASSWORD)
        else:
            await flow.start(args.server)
        if args.quit_after is not None:
            asyncio.get_running_loop().call_later(args.quit_after, flow.quit)
        await flow.wait_quit()
        if args.screenshot is not None:
            flow.visible_window().grab().save(str(args.screenshot))
    finally:
        quitting = time.monotonic()
        await flow.shutdown()
        log.info("quit: windows and session closed in %.3f s", time.monotonic() - quitting)
        if bot is not None:
            await bot.aclose()
        if bot_lock is not None:
            bot_lock.release()
        guard.release()
        if probe is not None:
            probe.close()
        local.stop()
        collector.stop()
    return 0


async def _launch_account(args: argparse.Namespace, accounts: AccountManager) -> str | None:
    """The account this launch would open by itself (None: the sign-in window would ask)."""
    if args.demo:
        return profile_key(LOCAL_SERVER, args.as_user)
    profile = accounts.last_profile(args.server)
    if profile is None:
        return None
    secret = await asyncio.to_thread(accounts.vault.load, profile.key)
    return profile.key if secret.session_token or secret.credential else None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.local_server:  # the shared local server's own process, started by a window
        data_dir: Path = args.data_dir or default_data_dir()
        return run_local_server(data_dir, args.idle_exit or IDLE_EXIT)
    if args.self_test:
        from messenger.app.self_test import run_self_test

        logging.basicConfig(level=logging.WARNING)
        return run_self_test()
    data = prepare(args)
    before_qt(args, data)
    start_qt()
    import qasync

    return int(qasync.run(run_then_end(args, data)))  # (the process ends inside)


async def run_then_end(args: argparse.Namespace, data: Path) -> int:
    code = await run(args, data)
    end_process(code)
    return code  # not reached


def end_process(code: int) -> None:
    """End the process as soon as the app has closed everything (windows, session, store,
    files; the local server is another process), from inside the event loop.

    Neither the event loop's own cleanup (cancelling leftover tasks and joining its worker
    threads, without a time limit on Python 3.11: a task that swallows its cancellation or a
    thread in a blocking call would keep the process alive for ever) nor the interpreter's
    teardown (freeing every module, widget and cached object, about a second) runs."""
    log.info("quit: done")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def prepare(args: argparse.Namespace) -> Path:
    """The data folder (made if missing) and the log in it; returns the folder."""
    data: Path = args.data_dir or default_data_dir()
    data.mkdir(parents=True, exist_ok=True)
    setup_logging(data)
    return data


def before_qt(args: argparse.Namespace, data: Path) -> None:
    """What a launch does before Qt starts. Automatic garbage collection goes off for good
    (``gui_gc`` runs it on the GUI thread from the first turn of the event loop): a launch
    makes objects that all live on, and collecting them cost about 20 ms of a launch for
    nothing. And what the launch will need that does not use Qt is imported now: PySide6's
    import hook (kept for its ``__feature__`` switches) reads the source of every module
    imported after it."""
    gc.disable()
    import messenger.system.secret_stores  # (keyring: for the saved account's secret)

    if args.demo or ProfileList(data).last(args.server and args.server.rstrip("/")):
        import messenger.core.client  # noqa: F401  (an account will be opened)


def start_qt() -> None:
    """Create the ``QApplication`` (``run`` expects one)."""
    from messenger.app.qt_compat import pin_singletons_if_needed

    pin_singletons_if_needed()  # before any Qt work (see qt_compat)
    route_qt_messages()
    from PySide6.QtWidgets import QApplication

    from messenger.ui.tray import app_icon

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Messenger")
    app.setOrganizationName("Messenger")
    app.setDesktopFileName("messenger")
    app.setQuitOnLastWindowClosed(False)  # the flow decides (tray, sign-in window)
    app.setWindowIcon(app_icon())


if __name__ == "__main__":
    raise SystemExit(main())
