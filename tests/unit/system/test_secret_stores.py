"""Where secrets go: the keyring if there is one, a private file only on request, else memory."""

from __future__ import annotations

import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail, null

from messenger.system.secret_stores import (
    SECRETS_FILE,
    SERVICE,
    FileStore,
    KeyringStore,
    MemoryStore,
    SecretStoreError,
    choose_store,
    keyring_status,
)
from tests.helpers.keyrings import LockedKeyring, MemoryKeyring, use_keyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    with use_keyring(backend):
        yield backend


def test_keyring_status_tells_a_real_keyring_from_the_fallbacks() -> None:
    assert keyring_status(MemoryKeyring()).available
    failing = keyring_status(fail.Keyring())
    assert not failing.available and "no keyring backend" in failing.problem
    disabled = keyring_status(null.Keyring())
    assert not disabled.available and "disabled" in disabled.problem


def test_keyring_status_reads_the_installed_backend() -> None:
    with use_keyring(fail.Keyring()):
        assert not keyring_status().available
    with use_keyring(MemoryKeyring()):
        assert keyring_status().available


def test_keyring_store_keeps_secrets_in_the_keyring_under_the_app_service(
    memory_keyring: MemoryKeyring,
) -> None:
    store = KeyringStore()
    store.set("local|alice", "s3cret")
    assert memory_keyring.entries == {(SERVICE, "local|alice"): "s3cret"}
    assert store.get("local|alice") == "s3cret"
    store.delete("local|alice")
    store.delete("local|alice")  # deleting what is not there is fine
    assert store.get("local|alice") is None and memory_keyring.entries == {}


def test_a_keyring_that_refuses_access_raises_one_error_type() -> None:
    store = KeyringStore(LockedKeyring())
    with pytest.raises(SecretStoreError, match="locked"):
        store.get("k")
    with pytest.raises(SecretStoreError):
        store.set("k", "v")
    with pytest.raises(SecretStoreError):
        store.delete("k")


def test_file_store_is_private_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / SECRETS_FILE
    FileStore(path).set("local|alice", "s3cret")
    assert FileStore(path).get("local|alice") == "s3cret"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    FileStore(path).delete("local|alice")
    assert FileStore(path).get("local|alice") is None


def test_memory_store_writes_nothing(tmp_path: Path) -> None:
    store = MemoryStore()
    store.set("k", "v")
    assert store.get("k") == "v" and not store.persistent
    assert list(tmp_path.iterdir()) == []


@pytest.mark.expected_log("messenger.system.secret_stores", r"no keyring .*kept for this run only")
def test_without_a_keyring_secrets_stay_in_memory_unless_the_user_opts_in(tmp_path: Path) -> None:
    missing = keyring_status(fail.Keyring())
    assert isinstance(choose_store(tmp_path, missing, file_opt_in=False), MemoryStore)
    chosen = choose_store(tmp_path, missing, file_opt_in=True)
    assert isinstance(chosen, FileStore) and chosen.path == tmp_path / SECRETS_FILE
    with use_keyring(MemoryKeyring()):
        present = keyring_status()
        assert isinstance(choose_store(tmp_path, present, file_opt_in=True), KeyringStore)
