"""The app's life: sign-in window ⇄ signed-in session in the main window, until quit.

``AppFlow`` owns the long-lived windows (main window with its connection banner, sign-in
window, settings dialog, tray icon) and at most one signed-in account at a time. It reacts
to the menu, the tray, the settings dialog and the session:

- signed in → ``SessionViewModel`` → ``MainWindow.bind`` → ``SessionShell`` (banner, badge,
  notifications) → main window shown;
- sign out / switch account / kicked / clear cache → the session is taken apart in reverse
  order, then the sign-in window (or a fresh session, for clear cache);
- quit (menu, Ctrl+Q, tray, or closing the window where there is no tray) → ``wait_quit``
  returns; ``shutdown`` closes the client and the windows.

The main window (with the chat, search, group and contact panes under it), the settings
dialog and the sign-in window are made when first wanted: a first launch paints its sign-in
window without importing the others, a returning account's launch its list without making the
sign-in window (docs/app.md, "Start and quit, quickly").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from messenger.app.accounts import AccountManager, ActiveAccount
from messenger.app.desktop_notifications import DesktopNotifications
from messenger.app.single_instance import InstanceGuard
from messenger.protocol import errors
from messenger.system.profiles import LOCAL_SERVER
from messenger.ui.first_paint import AfterFirstPaint
from messenger.ui.tray import TrayIcon, app_icon
from messenger.viewmodels.accounts import LOCAL, SignInViewModel
from messenger.viewmodels.settings import AccountSettingsViewModel, SettingsViewModel

if TYPE_CHECKING:  # imported when first wanted: the first window comes up sooner
    from messenger.app.shell import SessionShell
    from messenger.ui.connection_banner import ConnectionBanner
    from messenger.ui.kick_dialog import KickDialog
    from messenger.ui.main_window import MainWindow
    from messenger.ui.settings_dialog import SettingsDialog
    from messenger.ui.sign_in_dialog import SignInDialog
    from messenger.viewmodels.session import SessionViewModel

log = logging.getLogger(__name__)


class _AccountStorage:
    """``AccountStorage`` for the settings page: size and "clear cache" of one account."""

    def __init__(self, flow: AppFlow, account: ActiveAccount) -> None:
        self._flow = flow
        self._account = account

    async def size(self) -> int:
        return await self._flow.accounts.cache_size(self._account)

    async def clear(self) -> None:
        await self._flow.clear_cache(self._account)

    async def media_size(self) -> int:
        try:
            usage = await self._account.client.cache_usage()
        except errors.ClientError:  # closed: "clear cache" made a new session meanwhile
            return 0
        return usage.files + usage.thumbnails

    async def clear_media(self) -> int:
        try:
            return await self._account.client.clear_cache()
        except errors.ClientError:
            return 0


class AppFlow(QObject):
    launched = Signal()  # a session's window is on the screen with its conversation list

    def __init__(
        self,
        settings: SettingsViewModel,
        accounts: AccountManager,
        *,
        default_server: str = LOCAL,
        coalesce_ms: int = 700,
        instances: InstanceGuard | None = None,
        desktop_notifications: bool = True,
    ) -> None:
        super().__init__()
        self.instances = instances  # one instance per account (single_instance)
        self.settings = settings
        self.accounts = accounts
        self.coalesce_ms = coalesce_ms
        self.account: ActiveAccount | None = None
        self.session: SessionViewModel | None = None
        self.shell: SessionShell | None = None
        self.account_settings: AccountSettingsViewModel | None = None
        self.kick_dialog: KickDialog | None = None
        self._connected_once = False
        self._quit = asyncio.Event()
        self._quitting = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._window: MainWindow | None = None
        self._banner: ConnectionBanner | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._sign_in: SignInDialog | None = None

        self.tray = TrayIcon(self)
        self.tray.show()
        self.notifier = DesktopNotifications(
            self.tray, accounts.data_dir / "icons", enabled=desktop_notifications
        )
        self.notifier.clicked.connect(self._notification_clicked)
        self.sign_in_vm = SignInViewModel(accounts, default_server, parent=self)

        self.tray.open_requested.connect(self.show_window)
        self.tray.notification_clicked.connect(self._notification_clicked)
        self.tray.quit_requested.connect(self.quit)
        self.tray.notification_shown.connect(lambda _n: QApplication.alert(self.window))
        self.sign_in_vm.signed_in.connect(lambda account: self._spawn(self.enter(account)))
        settings.media_cache_changed.connect(lambda _: self._spawn(self._apply_media_limit()))
        if instances is not None:
            instances.show_requested.connect(self.show_window)

    # -- the windows made when first wanted ----------------------------------------------------------
    @property
    def window(self) -> MainWindow:
        """The main window (made on first use, with its connection banner)."""
        if self._window is None:
            from messenger.ui.connection_banner import ConnectionBanner
            from messenger.ui.main_window import MainWindow

            window = MainWindow()
            window.setWindowIcon(app_icon())
            self._banner = ConnectionBanner()
            window.set_banner(self._banner)
            window.installEventFilter(self)
            window.settings_requested.connect(self.show_settings)
            window.switch_account_requested.connect(lambda: self._spawn(self.switch_account()))
            window.sign_out_requested.connect(lambda: self._spawn(self.sign_out()))
            window.quit_requested.connect(self.quit)
            self._window = window
            self._add_missing_shortcuts()
        return self._window

    @property
    def sign_in(self) -> SignInDialog:
        """The sign-in window (made on first use: a returning account's launch never shows it)."""
        if self._sign_in is None:
            from messenger.ui.sign_in_dialog import SignInDialog

            self._sign_in = SignInDialog(self.sign_in_vm)
            self._sign_in.rejected.connect(self._sign_in_closed)
        return self._sign_in

    def _hide_sign_in(self) -> None:
        if self._sign_in is not None:
            self._sign_in.hide()

    @property
    def banner(self) -> ConnectionBanner:
        self.window  # noqa: B018 - made with it
        assert self._banner is not None
        return self._banner

    @property
    def settings_dialog(self) -> SettingsDialog:
        if self._settings_dialog is None:
            from messenger.ui.settings_dialog import SettingsDialog

            self._settings_dialog = SettingsDialog(self.settings, self.window)
            if self.account_settings is not None:
                self._settings_dialog.bind_account(self.account_settings)
        return self._settings_dialog

    def _hide_settings(self) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.hide()

    # -- start and stop ------------------------------------------------------------------------------
    async def start(self, server: str | None = None) -> None:
        """At launch: resume the last account, sign in with its stored secret, or ask."""
        profile = self.accounts.last_profile(server)
        if profile is None:
            self.show_sign_in()
            return
        try:
            # Connected once the list is on the screen (enter): the list comes from the store.
            account = await self.accounts.resume_saved(profile, connect=False)
        except errors.MessengerError as exc:
            log.warning("resuming %s failed: %r", profile.key, exc)
            account = None
        if account is not None:
            await self.enter(account)
            return
        self.show_sign_in(profile.key)
        if self.accounts.has_credential(profile.key):
            await self.sign_in_vm.sign_in_saved(profile.key)

    async def start_demo(self, user_id: str, password: str) -> None:
        await self.enter(await self.accounts.demo_sign_in(user_id, password))

    def quit(self) -> None:
        self._quitting = True
        self._quit.set()

    async def wait_quit(self) -> None:
        await self._quit.wait()

    async def shutdown(self) -> None:
        self._quitting = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.kick_dialog is not None:
            self.kick_dialog.done(0)
        self._hide_settings()
        account = await self._end_session()
        if account is not None:
            await self.accounts.close(account)
        self.notifier.close()
        self.tray.hide()
        self._hide_sign_in()
        if self._window is not None:
            self._window.hide()

    def visible_window(self) -> QWidget:
        """What the user sees: the main window while signed in, else the sign-in window."""
        return self.window if self.account is not None else self.sign_in

    # -- windows -------------------------------------------------------------------------------------
    def show_window(self) -> None:
        target = self.visible_window()
        target.show()
        if target.isMinimized():
            target.showNormal()
        target.raise_()
        target.activateWindow()

    def show_sign_in(self, key: str | None = None, error: str = "") -> None:
        if self._window is not None:
            self._window.hide()
        if key is not None:
            self.sign_in.select_account(key)
        self.sign_in_vm.show_error(error)
        self.sign_in.show()
        self.sign_in.raise_()
        self.sign_in.activateWindow()

    def show_settings(self) -> None:
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()

    def _notification_clicked(self, conversation_id: str) -> None:
        self.show_window()
        if self.shell is not None and conversation_id:
            self._spawn(self.shell.open_conversation(conversation_id))

    def _sign_in_closed(self) -> None:
        if self.account is None and not self.sign_in_vm.busy:
            self.quit()  # closing the sign-in window with nobody signed in quits

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            if not self._quitting and TrayIcon.available() and self.account is not None:
                self.window.hide()  # keeps running in the tray, notifications included
                event.ignore()
                return True
            self.quit()
        return False

    def _add_missing_shortcuts(self) -> None:
        """Ctrl+, (settings) and Ctrl+Q (quit) where the platform's standard keys have none."""
        wanted = {
            "Ctrl+,": self.window.settings_requested.emit,
            "Ctrl+Q": self.quit,
        }
        taken = {
            sequence.toString(QKeySequence.SequenceFormat.PortableText)
            for action in self.window.findChildren(QAction)
            for sequence in action.shortcuts()
        }
        for keys, slot in wanted.items():
            if keys not in taken:
                shortcut = QShortcut(QKeySequence(keys), self.window)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(slot)

    # -- a session -----------------------------------------------------------------------------------
    async def enter(self, account: ActiveAccount) -> None:
        """Show a signed-in account in the main window, with the shell around it."""
        if self.account is not None:
            await self.accounts.leave(account)  # should not happen: one account at a time
            return
        self.account = account
        if self.instances is not None and not self.instances.claim(account.key):
            log.warning("%s is open in another instance as well", account.key)
        self._connected_once = account.client.connection_state.value == "connected"
        from messenger.app.shell import SessionShell
        from messenger.viewmodels.session import SessionViewModel

        session = SessionViewModel(account.client)
        self.session = session
        self.window.bind(session, rest_later=True)  # the list first: see _list_painted
        self.shell = SessionShell(
            session,
            self.settings,
            self.banner,
            self.tray,
            self._window_focused,
            coalesce_ms=self.coalesce_ms,
            notify=self.notifier.show,
        )
        ops = session.chat.ops
        ops.recent = self.settings.recent_reactions or ops.recent  # remembered across runs
        ops.recent_changed.connect(self._remember_reactions)
        session.kicked_out.connect(self._on_kicked)
        session.connection_state_changed.connect(self._on_state)
        server = "" if account.server == LOCAL_SERVER else account.server
        self.account_settings = AccountSettingsViewModel(
            account.user_id, server, _AccountStorage(self, account)
        )
        self.account_settings.sign_out_requested.connect(lambda: self._spawn(self.sign_out()))
        self.account_settings.switch_account_requested.connect(
            lambda: self._spawn(self.switch_account())
        )
        if self._settings_dialog is not None:  # (else it binds it when it is made)
            self._settings_dialog.bind_account(self.account_settings)
        self._spawn(self._apply_media_limit())
        self._hide_sign_in()
        self.show_window()
        listing = self.window.conversation_list
        assert listing is not None  # (made by bind)
        conversations = session.conversations
        AfterFirstPaint(
            listing.list.viewport(),
            partial(self._list_painted, account),
            ready=lambda: conversations.is_loaded,
        )
        await self.shell.load_unread()

    def _list_painted(self, account: ActiveAccount) -> None:
        """The conversation list is on the screen: now the rest of the window, and the network
        (a returning account was resumed without connecting: the list came from the store)."""
        if self.account is account and self._window is not None:
            self._window.complete()
        account.client.connect()
        self.launched.emit()

    def _remember_reactions(self) -> None:
        if self.session is not None:
            self.settings.set_recent_reactions(self.session.chat.ops.recent)

    async def _end_session(self) -> ActiveAccount | None:
        """Take the session apart (shell, panes, view-model); the caller closes the client."""
        account, self.account = self.account, None
        if self.instances is not None:
            self.instances.release()
        if self.shell is not None:
            self.shell.close()
            self.shell = None
        if self.session is not None:
            self.session.kicked_out.disconnect(self._on_kicked)
            self.session.connection_state_changed.disconnect(self._on_state)
            self.window.unbind()
            self.session.close()
            self.session = None  # Python owns it: gone once no task holds it
        if self.account_settings is not None:
            if self._settings_dialog is not None:
                self._settings_dialog.bind_account(None)
            self.account_settings = None
        return account

    async def sign_out(self) -> None:
        account = await self._end_session()
        if account is None:
            return
        self._hide_settings()
        try:
            await self.accounts.sign_out(account)
        except errors.MessengerError as exc:
            log.info("signing out on the server failed: %r", exc)
        self.show_sign_in(account.key if account.remembered else None)

    async def switch_account(self) -> None:
        account = await self._end_session()
        if account is None:
            return
        self._hide_settings()
        try:
            await self.accounts.leave(account)
        except errors.MessengerError as exc:
            log.info("leaving the session failed: %r", exc)
        self.show_sign_in(key="")  # "new account", the saved ones one click away

    async def clear_cache(self, account: ActiveAccount) -> None:
        """Delete the account's local store and sync it again, in place."""
        if account is not self.account:
            return
        await self._end_session()
        try:
            fresh = await self.accounts.reset_store(account)
        except errors.MessengerError as exc:
            log.warning("clearing the cache failed: %r", exc)
            self.show_sign_in(account.key, self.tr("Sign in again to download your data."))
            return
        await self.enter(fresh)

    # -- the session's events ------------------------------------------------------------------------
    def _on_state(self, state: str) -> None:
        if state == "connected":
            self._connected_once = True

    def _on_kicked(self, reason: str, message: str) -> None:
        account = self.account
        if account is None or self.kick_dialog is not None:
            return
        from messenger.ui.kick_dialog import BANNED, kick_reason

        stale = (
            account.resumed
            and not self._connected_once
            and kick_reason(reason, message) != BANNED
            and self.accounts.has_credential(account.key)
        )
        if stale:  # the stored session was refused at launch: sign in with the password
            self._spawn(self._sign_in_again(account))
            return
        from messenger.ui.kick_dialog import KickDialog

        dialog = KickDialog(reason, message, account.user_id, self.window)
        self.kick_dialog = dialog
        dialog.finished.connect(lambda _result: self._spawn(self._after_kick(account)))
        self.show_window()
        dialog.open()

    async def _after_kick(self, account: ActiveAccount) -> None:
        self.kick_dialog = None
        if self.account is account:
            await self._end_session()
            await self.accounts.kicked(account)
        self._hide_settings()
        self.show_sign_in(account.key if account.remembered else None)

    async def _sign_in_again(self, account: ActiveAccount) -> None:
        await self._end_session()
        await self.accounts.kicked(account)
        self.show_sign_in(account.key)
        await self.sign_in_vm.sign_in_saved(account.key)

    # -- helpers -------------------------------------------------------------------------------------
    def _window_focused(self) -> bool:
        app = QApplication.instance()
        active = isinstance(app, QApplication) and app.activeWindow() is self.window
        return active and self.window.isVisible() and not self.window.isMinimized()

    async def _apply_media_limit(self) -> None:
        """The settings' "keep downloads up to" for the signed-in account's media cache."""
        account = self.account
        if account is None:
            return
        limit = self.settings.settings.media_cache_mb * 1_000_000
        try:
            freed = await account.client.set_media_cache_limit(limit)
        except errors.MessengerError as exc:  # signed out meanwhile
            log.info("media cache limit not applied: %r", exc)
            return
        if freed and self.account_settings is not None:
            await self.account_settings.refresh_cache_size()

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("app task failed", exc_info=task.exception())
