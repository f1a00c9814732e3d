"""The secrets of one profile: its password or UserSig and its session token, as one record.

One keyring entry per profile (service ``Messenger``, user name = the profile key) holds a
small JSON object, so a profile's secrets are saved and forgotten together. A store that fails
(keyring locked, access denied) is reported once and treated as empty: the user is asked for
the secret again, the app never stops over it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from typing import TypeVar

from messenger.system.secret_stores import SecretStore, SecretStoreError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Secret:
    password: str = ""
    user_sig: str = ""
    session_token: str = ""

    @property
    def empty(self) -> bool:
        return not (self.password or self.user_sig or self.session_token)

    @property
    def credential(self) -> str:
        """What signs in again without the user: the password, else the UserSig."""
        return self.password or self.user_sig


class CredentialVault:
    def __init__(self, store: SecretStore) -> None:
        self.store = store
        self.last_error = ""  # the last store failure, for the UI ("" when fine)

    def load(self, key: str) -> Secret:
        try:
            raw = self.store.get(key)
        except SecretStoreError as exc:
            return self._failed(exc, Secret())
        if not raw:
            return Secret()
        try:
            data = json.loads(raw)
            return Secret(**{k: str(v) for k, v in data.items() if k in Secret.__slots__})
        except (ValueError, TypeError, AttributeError):
            log.warning("ignoring an unreadable stored secret for %s", key)
            return Secret()

    def save(self, key: str, secret: Secret) -> bool:
        """Store ``secret`` (an empty one deletes the entry); False if the store failed."""
        try:
            if secret.empty:
                self.store.delete(key)
            else:
                data = {k: v for k, v in asdict(secret).items() if v}
                self.store.set(key, json.dumps(data))
        except SecretStoreError as exc:
            return self._failed(exc, False)
        self.last_error = ""
        return True

    def forget(self, key: str) -> bool:
        return self.save(key, Secret())

    def set_token(self, key: str, token: str) -> bool:
        """Keep the rest of the record, replace the session token ("" drops it)."""
        current = self.load(key)
        if current.session_token == token:
            return True
        return self.save(key, replace(current, session_token=token))

    def _failed(self, exc: SecretStoreError, value: T) -> T:
        log.warning("credential store: %s", exc)
        self.last_error = str(exc)
        return value
