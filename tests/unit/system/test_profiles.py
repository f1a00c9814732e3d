"""Saved accounts: a JSON list in the app data folder, most recent first, never a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from messenger.system.profiles import LOCAL_SERVER, Profile, ProfileList


def test_profiles_are_remembered_across_restarts_most_recent_first(tmp_path: Path) -> None:
    profiles = ProfileList(tmp_path)
    assert profiles.all() == [] and profiles.last() is None
    profiles.touch(LOCAL_SERVER, "alice", "password")
    profiles.touch("https://im.example.com", "bob", "usersig")
    again = ProfileList(tmp_path)
    assert [(p.server, p.user_id, p.auth) for p in again.all()] == [
        ("https://im.example.com", "bob", "usersig"),
        (LOCAL_SERVER, "alice", "password"),
    ]
    last = again.last()
    assert last is not None and last.user_id == "bob"
    on_local = again.last(LOCAL_SERVER)
    assert on_local is not None and on_local.user_id == "alice"
    assert again.last("https://other.example.com") is None


def test_signing_in_again_moves_a_profile_to_the_top(tmp_path: Path) -> None:
    profiles = ProfileList(tmp_path)
    profiles.touch(LOCAL_SERVER, "alice", "password")
    profiles.touch(LOCAL_SERVER, "bob", "password")
    profiles.touch(LOCAL_SERVER, "alice", "password")
    assert [p.user_id for p in ProfileList(tmp_path).all()] == ["alice", "bob"]


def test_removing_the_last_profile_forgets_it_as_last(tmp_path: Path) -> None:
    profiles = ProfileList(tmp_path)
    alice = profiles.touch(LOCAL_SERVER, "alice", "password")
    profiles.remove(alice.key)
    again = ProfileList(tmp_path)
    assert again.all() == [] and again.last() is None


def test_the_file_holds_no_secret_and_bad_entries_are_skipped(tmp_path: Path) -> None:
    profiles = ProfileList(tmp_path)
    profiles.touch(LOCAL_SERVER, "alice", "password")
    text = profiles.path.read_text("utf-8")
    assert 'password"' not in text.replace('"auth": "password"', "")
    profiles.path.write_text(
        '{"profiles": [{"server": "local", "user_id": "carol"}, {"user_id": 3}, "x"],'
        ' "last": "nope"}',
        "utf-8",
    )
    again = ProfileList(tmp_path)
    assert again.all() == [Profile(LOCAL_SERVER, "carol")] and again.last() is None


@pytest.mark.expected_log("messenger.system.jsonfile", r"ignoring unreadable .*profiles.json")
def test_an_unreadable_file_means_no_profiles(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{broken", "utf-8")
    assert ProfileList(tmp_path).all() == []
