"""A profile's secrets are saved and forgotten together; a failing store never stops the app."""

from __future__ import annotations

import json

import pytest

from messenger.system.credentials import CredentialVault, Secret
from messenger.system.secret_stores import SERVICE, KeyringStore, MemoryStore
from tests.helpers.keyrings import LockedKeyring, MemoryKeyring


def test_save_load_and_forget_one_record_per_profile() -> None:
    backend = MemoryKeyring()
    vault = CredentialVault(KeyringStore(backend))
    assert vault.save("local|alice", Secret(password="pw", session_token="tok"))
    assert vault.load("local|alice") == Secret(password="pw", session_token="tok")
    assert json.loads(backend.entries[(SERVICE, "local|alice")]) == {
        "password": "pw",
        "session_token": "tok",
    }
    assert vault.load("local|bob") == Secret()
    assert vault.forget("local|alice")
    assert backend.entries == {}


def test_set_token_keeps_the_password() -> None:
    vault = CredentialVault(MemoryStore())
    vault.save("k", Secret(password="pw", session_token="old"))
    vault.set_token("k", "new")
    assert vault.load("k") == Secret(password="pw", session_token="new")
    vault.set_token("k", "")  # kicked: the token is useless, the password stays
    assert vault.load("k") == Secret(password="pw")
    assert vault.load("k").credential == "pw"


@pytest.mark.expected_log(
    "messenger.system.credentials", r"(reading from|writing to) the keyring failed"
)
def test_a_locked_keyring_reads_as_empty_and_reports_why() -> None:
    vault = CredentialVault(KeyringStore(LockedKeyring()))
    assert vault.load("k") == Secret()
    assert "locked" in vault.last_error
    assert not vault.save("k", Secret(password="pw"))
    assert "access denied" in vault.last_error


@pytest.mark.expected_log("messenger.system.credentials", r"ignoring an unreadable stored secret")
def test_an_unreadable_record_is_ignored() -> None:
    store = MemoryStore()
    store.set("k", "not json")
    assert CredentialVault(store).load("k") == Secret()
    store.set("k", json.dumps({"password": "pw", "unknown": 1}))
    assert CredentialVault(store).load("k") == Secret(password="pw")
