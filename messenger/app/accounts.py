"""Accounts on this computer: sign in, sign up, automatic sign-in, sign out, switch (A2).

``AccountManager`` is the sign-in window's ``Authenticator``. It keeps the saved-account list
(``profiles.json``) and the secrets (OS keyring, see ``system.secret_stores``), makes one core
``Client`` per signed-in account, and decides how to come back at launch:

- a stored session token: ``client.resume`` (instant, works offline);
- else a stored password or UserSig: the sign-in window signs in with it (showing progress
  and, if it fails, why);
- else the sign-in window asks.

Sign-out ends the session on the server and forgets the secrets (local messages stay).
Switching away keeps the session for next time when the secrets are remembered, and ends it
when they are not (nobody could resume it).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import platform
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from messenger.app.local_server import LocalServer
from messenger.app.single_instance import show_if_open
from messenger.protocol import errors
from messenger.system.credentials import CredentialVault, Secret
from messenger.system.profiles import LOCAL_SERVER, Profile, ProfileList, profile_key
from messenger.system.secret_stores import (
    SECRETS_FILE,
    FileStore,
    KeyringStatus,
    MemoryStore,
    choose_store,
    keyring_status,
)
from messenger.viewmodels.accounts import LOCAL, SavedAccount, SignInForm
from messenger.viewmodels.settings import SettingsViewModel

if TYPE_CHECKING:  # the core is imported when the first client is made (a quicker start)
    from messenger.core.account import UserSigProvider
    from messenger.core.client import Client

log = logging.getLogger(__name__)

ClientFactory = Callable[[str, Path], "Client"]


@dataclass
class ActiveAccount:
    """A signed-in account: its client and how it signed in."""

    server: str  # LOCAL_SERVER or a URL
    user_id: str
    client: Client
    auth: str = "password"
    remembered: bool = True  # the profile and its secrets are saved (False: demo, not saved)
    resumed: bool = False  # came back with a stored session token
    password: str = field(default="", repr=False)  # to sign in again silently, if known

    @property
    def key(self) -> str:
        return profile_key(self.server, self.user_id)


def device_name() -> str:
    return f"Messenger desktop on {platform.node() or sys.platform}"


def default_client(url: str, data_dir: Path) -> Client:
    from messenger.core.client import Client

    return Client(url, data_dir, device_name=device_name(), platform=sys.platform)


class AccountManager:
    def __init__(
        self,
        data_dir: Path,
        settings: SettingsViewModel,
        local: LocalServer,
        *,
        status: KeyringStatus | None = None,
        client_factory: ClientFactory = default_client,
    ) -> None:
        self.data_dir = data_dir
        self.profiles = ProfileList(data_dir)
        self.status = status or keyring_status()
        self._settings = settings
        self._local = local
        self._client_factory = client_factory
        store = choose_store(data_dir, self.status, file_opt_in=settings.settings.secrets_in_file)
        self.vault = CredentialVault(store)
        self._has_secret: dict[str, bool] = {}  # keyring reads can be slow: asked once

    # -- Authenticator (the sign-in window) --------------------------------------------------------
    def saved_accounts(self) -> list[SavedAccount]:
        return [
            SavedAccount(
                key=p.key,
                server_url=LOCAL if p.server == LOCAL_SERVER else p.server,
                user_id=p.user_id,
                auth=p.auth,
                has_secret=self._secret_known(p.key),
            )
            for p in self.profiles.all()
        ]

    def secret_storage(self) -> str:
        return self.vault.store.kind

    def keyring_problem(self) -> str:
        return self.status.problem

    def use_file_store(self, enabled: bool) -> None:
        """No keyring: the user opts in to (or out of) the private file."""
        self._settings.set_secrets_in_file(enabled)
        if self.status.available:
            return
        old = self.vault.store
        path = self.data_dir / SECRETS_FILE
        if enabled and not isinstance(old, FileStore):
            new: FileStore | MemoryStore = FileStore(path)
        elif not enabled and isinstance(old, FileStore):
            new = MemoryStore()
        else:
            return
        for profile in self.profiles.all():  # this run's secrets move along
            value = old.get(profile.key)
            if value:
                new.set(profile.key, value)
        if isinstance(new, MemoryStore):
            path.unlink(missing_ok=True)
        self.vault = CredentialVault(new)

    def forget(self, key: str) -> None:
        """Remove a saved account and its secrets (its local messages stay on disk)."""
        self.vault.forget(key)
        self._has_secret.pop(key, None)
        self.profiles.remove(key)

    async def show_if_open(self, form: SignInForm) -> bool:
        """If another window of this data folder shows this account, bring it to the front
        (True): signing in here would sign it out."""
        key = profile_key(_server(form.server_url), form.user_id)
        return await show_if_open(self.data_dir, key)

    async def sign_in(self, form: SignInForm) -> ActiveAccount:
        server = _server(form.server_url)
        key = profile_key(server, form.user_id)
        secret = form.secret
        if not secret:
            stored = await asyncio.to_thread(self.vault.load, key)
            secret = stored.password if form.auth == "password" else stored.user_sig
        if not secret:
            raise errors.InvalidParameter("no stored secret for this account", field="secret")
        account = await self._login(server, form.user_id, form.auth, secret)
        await self._remember(account, secret, form.remember)
        return account

    async def sign_up(self, form: SignInForm) -> ActiveAccount:
        server = _server(form.server_url)
        client = await self._client(server)
        try:
            await client.register(form.user_id, form.secret, form.nickname or form.user_id)
        finally:
            await client.aclose()
        return await self.sign_in(form)

    # -- launch --------------------------------------------------------------------------------------
    def last_profile(self, server: str | None = None) -> Profile | None:
        """The account to sign in automatically: the last one used (on ``server``, if given)."""
        return self.profiles.last(None if server is None else _server(server))

    async def resume_saved(self, profile: Profile, *, connect: bool = True) -> ActiveAccount | None:
        """Come back with the stored session token (instant, offline-ready); None without one.
        ``connect=False``: the caller calls ``client.connect()`` (after painting the window)."""
        secret = await asyncio.to_thread(self.vault.load, profile.key)
        self._has_secret[profile.key] = bool(secret.credential)
        if not secret.session_token:
            return None
        client = await self._client(profile.server, at_once=True)
        provider = _password_provider(client, profile.user_id, secret.password)
        try:
            await client.resume(
                profile.user_id, secret.session_token, usersig_provider=provider, connect=connect
            )
        except BaseException:
            await client.aclose()
            raise
        return ActiveAccount(
            profile.server,
            profile.user_id,
            client,
            auth=profile.auth,
            resumed=True,
            password=secret.password,
        )

    def has_credential(self, key: str) -> bool:
        """A password or UserSig is stored: the sign-in window can sign in without asking."""
        return self._secret_known(key)

    async def demo_sign_in(self, user_id: str, password: str) -> ActiveAccount:
        """A demo account on the local server: signed in, but nothing saved."""
        account = await self._login(LOCAL_SERVER, user_id, "password", password)
        account.remembered = False
        return account

    # -- leaving -------------------------------------------------------------------------------------
    async def sign_out(self, account: ActiveAccount) -> None:
        """End the session on the server and forget the secrets; local data stays."""
        try:
            await account.client.logout()
        finally:
            await account.client.aclose()
            if self.profiles.get(account.key) is not None:  # demo sessions store nothing
                await asyncio.to_thread(self.vault.forget, account.key)
                self._has_secret[account.key] = False

    async def leave(self, account: ActiveAccount) -> None:
        """Switching away: keep the session if it can be resumed later, else end it."""
        token = account.client.session_token
        kept = False
        if account.remembered and token:
            kept = await asyncio.to_thread(self.vault.set_token, account.key, token)
        try:
            if not kept and token:
                await account.client.logout()
        finally:
            await account.client.aclose()

    async def close(self, account: ActiveAccount) -> None:
        """The app quits: just disconnect (the session stays valid for ``resume``)."""
        await account.client.aclose()

    async def kicked(self, account: ActiveAccount) -> None:
        """The server ended the session: its token is useless now, the password is kept."""
        if account.remembered:
            await asyncio.to_thread(self.vault.set_token, account.key, "")
        await account.client.aclose()

    # -- local data ----------------------------------------------------------------------------------
    def client_dir(self, server: str) -> Path:
        """The core's data folder for one server (its device ID and one store per account)."""
        if server == LOCAL_SERVER:
            return self.data_dir / "client" / "local"
        readable = re.sub(r"[^A-Za-z0-9.-]+", "_", server.split("://", 1)[-1]).strip("_")
        digest = hashlib.sha256(server.encode()).hexdigest()[:8]
        return self.data_dir / "client" / f"{readable[:40]}-{digest}"

    def account_dir(self, account: ActiveAccount) -> Path | None:
        """This account's store folder (docs/core.md: ``accounts/<user>.<hash>``)."""
        pattern = re.compile(re.escape(account.user_id) + r"\.[0-9a-f]{10}")
        folder = account.client.data_dir / "accounts"
        if not folder.is_dir():
            return None
        return next((p for p in folder.iterdir() if pattern.fullmatch(p.name)), None)

    async def cache_size(self, account: ActiveAccount) -> int:
        folder = self.account_dir(account)
        if folder is None:
            return 0
        return await asyncio.to_thread(_folder_size, folder)

    async def reset_store(self, account: ActiveAccount) -> ActiveAccount:
        """Clear cache: close, delete this account's store, resume with the same session."""
        token = account.client.session_token
        if not token:
            raise errors.NotLoggedIn("the session has ended; sign in again first")
        folder = self.account_dir(account)
        await account.client.aclose()
        if folder is not None:
            await asyncio.to_thread(shutil.rmtree, folder, True)
        client = await self._client(account.server, at_once=True)
        provider = _password_provider(client, account.user_id, account.password)
        try:
            await client.resume(account.user_id, token, usersig_provider=provider)
        except BaseException:
            await client.aclose()
            raise
        return ActiveAccount(
            account.server,
            account.user_id,
            client,
            auth=account.auth,
            remembered=account.remembered,
            resumed=True,
            password=account.password,
        )

    # -- helpers -------------------------------------------------------------------------------------
    async def _client(self, server: str, *, at_once: bool = False) -> Client:
        """A started client; ``at_once``: for a resumed session, which needs no server yet."""
        if server != LOCAL_SERVER:
            url = server
        elif at_once:
            url = self._local.known_url()
        else:
            url = await self._local.url()
        client = self._client_factory(url, self.client_dir(server))
        if server == LOCAL_SERVER:  # it may move (started again on another port): follow it
            client.server_resolver = self._local.url
        await client.start()
        return client

    async def _login(self, server: str, user_id: str, auth: str, secret: str) -> ActiveAccount:
        client = await self._client(server)
        try:
            if auth == "usersig":
                await client.login(user_id, secret)
            else:
                await client.login_with_password(user_id, secret)
        except BaseException:
            await client.aclose()
            raise
        password = secret if auth == "password" else ""
        return ActiveAccount(server, user_id, client, auth=auth, password=password)

    async def _remember(self, account: ActiveAccount, secret: str, remember: bool) -> None:
        self.profiles.touch(account.server, account.user_id, account.auth)
        if remember:
            record = Secret(
                password=secret if account.auth == "password" else "",
                user_sig=secret if account.auth == "usersig" else "",
                session_token=account.client.session_token or "",
            )
            saved = await asyncio.to_thread(self.vault.save, account.key, record)
        else:
            await asyncio.to_thread(self.vault.forget, account.key)
            saved = False
        account.remembered = remember and saved
        self._has_secret[account.key] = account.remembered

    def _secret_known(self, key: str) -> bool:
        if key not in self._has_secret:
            self._has_secret[key] = bool(self.vault.load(key).credential)
        return self._has_secret[key]


def _server(server_url: str) -> str:
    return LOCAL_SERVER if server_url == LOCAL else server_url.rstrip("/")


def _password_provider(client: Client, user_id: str, password: str) -> UserSigProvider | None:
    """Renews the session before its UserSig ends, when the password is known."""
    if not password:
        return None

    async def fresh_usersig() -> str:
        return (await client.password_usersig(user_id, password)).user_sig

    return fresh_usersig


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
