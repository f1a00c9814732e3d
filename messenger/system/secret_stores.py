"""Where secrets are kept: the OS keyring, a private file (only if the user opts in), or memory.

Decision (docs/app.md): secrets go to the OS keyring (macOS Keychain, Windows Credential
Manager, the Secret Service on Linux) through ``keyring``. When no keyring backend is usable
(keyring's ``fail`` or ``null`` backend, or one that errors), nothing is written to disk: the
secret is held in memory for this run and asked again next time, unless the user explicitly
chose "save in a file", a JSON file readable by the owner only (0600) in the app data folder.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail, null

from messenger.system.jsonfile import read_json, write_json

log = logging.getLogger(__name__)

SERVICE = "Messenger"
SECRETS_FILE = "secrets.json"


class SecretStoreError(Exception):
    """The store could not read or write a secret (keyring locked, denied, broken)."""


class SecretStore(Protocol):
    kind: str  # "keyring", "file" or "memory"

    @property
    def persistent(self) -> bool: ...
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    available: bool
    backend: str  # the backend's name, for the message
    problem: str = ""  # why it is not available (English, for the log and the details)


def keyring_status(backend: keyring.backend.KeyringBackend | None = None) -> KeyringStatus:
    """Is there a real keyring? keyring falls back to ``fail`` (errors) or ``null`` (drops)."""
    try:
        backend = backend or keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken backend module must not stop the app
        return KeyringStatus(False, "", f"the keyring could not be loaded: {exc!r}")
    name = getattr(backend, "name", type(backend).__name__)
    if isinstance(backend, fail.Keyring):
        return KeyringStatus(False, name, "no keyring backend is installed or running")
    if isinstance(backend, null.Keyring):
        return KeyringStatus(False, name, "the keyring is disabled (null backend)")
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return KeyringStatus(False, name, "no keyring backend is installed or running")
    return KeyringStatus(True, name)


class KeyringStore:
    kind = "keyring"

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()

    @property
    def persistent(self) -> bool:
        return True

    def get(self, key: str) -> str | None:
        try:
            value: str | None = self._backend.get_password(SERVICE, key)
        except Exception as exc:  # any backend failure is the same to us
            raise SecretStoreError(f"reading from the keyring failed: {exc!r}") from exc
        return value

    def set(self, key: str, value: str) -> None:
        try:
            self._backend.set_password(SERVICE, key, value)
        except Exception as exc:
            raise SecretStoreError(f"writing to the keyring failed: {exc!r}") from exc

    def delete(self, key: str) -> None:
        try:
            self._backend.delete_password(SERVICE, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored
        except Exception as exc:
            raise SecretStoreError(f"deleting from the keyring failed: {exc!r}") from exc


class FileStore:
    """Secrets in a JSON file only its owner may read (the user opted in to this)."""

    kind = "file"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # calls may come from worker threads

    @property
    def persistent(self) -> bool:
        return True

    def get(self, key: str) -> str | None:
        value = self._read().get(key)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str) -> None:
        with self._lock:
            data = self._read()
            data[key] = value
            self._write(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = self._read()
            if data.pop(key, None) is not None:
                self._write(data)

    def _read(self) -> dict[str, Any]:
        secrets = read_json(self.path).get("secrets", {})
        return dict(secrets) if isinstance(secrets, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        try:
            write_json(self.path, {"version": 1, "secrets": data}, private=True)
        except OSError as exc:
            raise SecretStoreError(f"writing {self.path} failed: {exc!r}") from exc


class MemoryStore:
    """Secrets for this run only: nothing is written anywhere."""

    kind = "memory"

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    @property
    def persistent(self) -> bool:
        return False

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        self._values[key] = value

    def delete(self, key: str) -> None:
        self._values.pop(key, None)


def choose_store(data_dir: Path, status: KeyringStatus, *, file_opt_in: bool) -> SecretStore:
    """The keyring if there is one; else the private file if the user opted in; else memory."""
    if status.available:
        return KeyringStore()
    if file_opt_in:
        return FileStore(data_dir / SECRETS_FILE)
    log.warning("no keyring (%s): secrets are kept for this run only", status.problem)
    return MemoryStore()
