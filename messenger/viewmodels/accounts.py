"""Signing in: the saved accounts, the sign-in / sign-up command and its errors in words.

``SignInViewModel`` drives the sign-in window. The work is done by an ``Authenticator`` the
app gives it (profiles, credential store, clients); the view-model validates the form, runs
one attempt at a time, and turns the typed errors of the core into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from messenger.protocol import errors

LOCAL = ""  # the server_url of the embedded server on this computer
_USER_ID = re.compile(r"[A-Za-z0-9_\-.@]{1,32}")


@dataclass(frozen=True, slots=True)
class SavedAccount:
    key: str
    server_url: str  # LOCAL or a URL
    user_id: str
    auth: str  # "password" or "usersig"
    has_secret: bool  # a password or UserSig is stored: the secret field may stay empty


@dataclass(frozen=True, slots=True)
class SignInForm:
    server_url: str  # LOCAL or a URL
    user_id: str
    auth: str = "password"  # "password" or "usersig"
    secret: str = ""  # "" on a saved account with a stored secret: use that one
    remember: bool = True  # keep the secret (and the session) for automatic sign-in
    nickname: str = ""  # sign-up only


class Authenticator(Protocol):
    """What the app does for the sign-in window."""

    def saved_accounts(self) -> list[SavedAccount]: ...
    def secret_storage(self) -> str: ...  # "keyring", "file" (opted in) or "memory"
    def keyring_problem(self) -> str: ...  # why there is no keyring ("" if there is one)
    def use_file_store(self, enabled: bool) -> None: ...
    def forget(self, key: str) -> None: ...
    async def show_if_open(self, form: SignInForm) -> bool: ...  # open in another window?
    async def sign_in(self, form: SignInForm) -> object: ...
    async def sign_up(self, form: SignInForm) -> object: ...


class SignInViewModel(QObject):
    busy_changed = Signal(bool)
    error_changed = Signal(str)  # "" when cleared
    accounts_changed = Signal()
    storage_changed = Signal()  # where secrets are kept changed (file opt-in)
    signed_in = Signal(object)  # what the authenticator returned (the app's session handle)

    def __init__(
        self,
        authenticator: Authenticator,
        default_server: str = LOCAL,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = authenticator
        self.default_server = default_server
        self._busy = False
        self._error = ""
        self.status = ""  # e.g. "Signing in as alice…" while busy

    # -- state -----------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def error(self) -> str:
        return self._error

    def accounts(self) -> list[SavedAccount]:
        return self._auth.saved_accounts()

    def account(self, key: str) -> SavedAccount | None:
        return next((a for a in self.accounts() if a.key == key), None)

    def preferred_account(self) -> SavedAccount | None:
        """The account to preselect: the last one used on the default server."""
        return next((a for a in self.accounts() if a.server_url == self.default_server), None)

    @property
    def secret_storage(self) -> str:
        return self._auth.secret_storage()

    @property
    def keyring_problem(self) -> str:
        return self._auth.keyring_problem()

    # -- commands --------------------------------------------------------------------------------
    def set_file_store(self, enabled: bool) -> None:
        self._auth.use_file_store(enabled)
        self.storage_changed.emit()

    def forget(self, key: str) -> None:
        self._auth.forget(key)
        self.accounts_changed.emit()

    def validate(self, form: SignInForm, *, create: bool = False) -> str:
        """What is wrong with the form, in words ("" if it can be sent)."""
        if form.server_url != LOCAL:
            parts = urlsplit(form.server_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return self.tr("Enter the server address, like https://im.example.com.")
        if not form.user_id:
            return self.tr("Enter your user ID.")
        if not _USER_ID.fullmatch(form.user_id) or form.user_id in (".", ".."):
            return self.tr("A user ID has 1 to 32 letters, digits or _ - . @ characters.")
        if create and form.auth != "password":
            return self.tr("Accounts are created with a password.")
        if not form.secret and (create or not self._has_saved_secret(form)):
            if form.auth == "usersig":
                return self.tr("Paste your UserSig.")
            return self.tr("Enter your password.")
        return ""

    async def submit(self, form: SignInForm, *, create: bool = False) -> bool:
        """Sign in (or create the account and sign in); True when signed in."""
        if self._busy:
            return False
        problem = self.validate(form, create=create)
        if problem:
            self._set_error(problem)
            return False
        if create:
            self.status = self.tr("Creating the account {user}…").format(user=form.user_id)
        else:
            self.status = self.tr("Signing in as {user}…").format(user=form.user_id)
        self._set_error("")
        self._set_busy(True)
        try:
            if not create and await self._auth.show_if_open(form):
                # signing in here would sign that window out: it came to the front instead
                self._set_error(
                    self.tr("{user} is open in another window, shown now.").format(
                        user=form.user_id
                    )
                )
                return False
            result = await (self._auth.sign_up(form) if create else self._auth.sign_in(form))
        except errors.MessengerError as exc:
            self._set_error(self.describe(exc, form))
            return False
        finally:
            self._set_busy(False)
        self.accounts_changed.emit()
        self.signed_in.emit(result)
        return True

    async def sign_in_saved(self, key: str) -> bool:
        """Sign in with the secret stored for a saved account (automatic sign-in)."""
        account = self.account(key)
        if account is None or not account.has_secret:
            return False
        form = SignInForm(account.server_url, account.user_id, account.auth, remember=True)
        return await self.submit(form)

    def show_error(self, text: str) -> None:
        """An error found elsewhere (automatic sign-in, a kick) shown in the window."""
        self._set_error(text)

    # -- errors in words ---------------------------------------------------------------------------
    def describe(self, exc: errors.MessengerError, form: SignInForm) -> str:
        server = form.server_url or self.tr("the local server")
        if isinstance(exc, errors.BadCredentials):
            return self.tr("Wrong user ID or password.")
        if isinstance(exc, errors.UserSigExpired):
            return self.tr("This UserSig has expired. Ask for a new one.")
        if isinstance(exc, errors.UserSigWrongUser):
            return self.tr("This UserSig was made for another user ID.")
        if isinstance(exc, errors.UserSigWrongApp):
            return self.tr("This UserSig was made for another server (SDKAppID).")
        if isinstance(exc, errors.UserSigInvalid):
            return self.tr("This UserSig is not valid.")
        if isinstance(exc, errors.AccountBanned):
            return self.tr("This account is banned on this server.")
        if isinstance(exc, errors.TooManyDevices):
            return self.tr("Too many devices are signed in to this account. Sign out on one first.")
        if isinstance(exc, errors.AlreadyExists):
            return self.tr("The user ID {user} is taken. Choose another one.").format(
                user=form.user_id
            )
        if isinstance(exc, errors.UserNotFound):
            return self.tr("There is no account {user} on this server.").format(user=form.user_id)
        if isinstance(exc, errors.RateLimited):
            return self.tr("Too many attempts. Wait a minute and try again.")
        if isinstance(exc, errors.NetworkError | errors.RequestTimeout):
            return self.tr("Cannot reach {server}. Check the address and your connection.").format(
                server=server
            )
        if isinstance(exc, errors.InvalidRequest):
            return self.tr("The server refused the request: {reason}").format(reason=exc.message)
        return self.tr("Signing in failed: {reason}").format(reason=exc.message or exc.name)

    # -- helpers -----------------------------------------------------------------------------------
    def _has_saved_secret(self, form: SignInForm) -> bool:
        return any(
            a.has_secret
            and a.server_url == form.server_url
            and a.user_id == form.user_id
            and a.auth == form.auth
            for a in self.accounts()
        )

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def _set_error(self, text: str) -> None:
        if text != self._error:
            self._error = text
            self.error_changed.emit(text)
