"""Group tips and notices read as words (pure functions, no server)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from messenger.protocol.bodies import NoticeBody, TipBody
from messenger.viewmodels.texts import notice_text, tip_text

NAMES = {"alice": "Alice", "bob": "Bob", "carol": "Carol"}


def name_of(user_id: str) -> str:
    return NAMES.get(user_id, user_id)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"tip": "member_joined", "operator": "bob", "targets": ["bob"]}, "Bob joined the group"),
        ({"tip": "member_quit", "operator": "bob", "targets": ["bob"]}, "Bob left the group"),
        (
            {
                "tip": "member_kicked",
                "operator": "alice",
                "targets": ["bob"],
                "detail": {"reason": "spam"},
            },
            "Alice removed Bob: spam",
        ),
        ({"tip": "admin_set", "operator": "me", "targets": ["bob"]}, "You made Bob an admin"),
        (
            {"tip": "admin_unset", "operator": "alice", "targets": ["me"]},
            "Alice removed you as admin",
        ),
        (
            {"tip": "owner_changed", "operator": "alice", "targets": ["carol"]},
            "Alice made Carol the owner",
        ),
        (
            {"tip": "profile_changed", "operator": "alice", "detail": {"changed": {"name": "X"}}},
            "Alice renamed the group to “X”",
        ),
        (
            {
                "tip": "profile_changed",
                "operator": "bob",
                "detail": {"changed": {"mute_all": True}},
            },
            "Bob muted everyone",
        ),
        (
            {
                "tip": "member_info_changed",
                "operator": "alice",
                "targets": ["carol"],
                "detail": {"mute_until": 5},
            },
            "Alice muted Carol",
        ),
        (
            {
                "tip": "member_info_changed",
                "operator": "alice",
                "targets": ["carol"],
                "detail": {"mute_until": 0},
            },
            "Alice unmuted Carol",
        ),
        (
            {"tip": "topic_created", "operator": "alice", "detail": {"name": "News"}},
            "Alice created the topic “News”",
        ),
        ({"tip": "something_new", "operator": "alice"}, "The group was updated"),
    ],
)
def test_tips(body: dict[str, Any], expected: str) -> None:
    assert tip_text(msgspec.convert(body, TipBody), "me", name_of) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "notice": "join_application",
                "operator": "carol",
                "group_name": "Club",
                "detail": {"applicant": "carol", "note": "hi"},
            },
            "carol asks to join Club: hi",
        ),
        (
            {"notice": "application_approved", "operator": "alice", "group_name": "Club"},
            "Alice approved your request to join Club",
        ),
        (
            {
                "notice": "application_refused",
                "operator": "alice",
                "group_name": "Club",
                "detail": {"note": "full"},
            },
            "Alice declined your request to join Club: full",
        ),
        (
            {
                "notice": "kicked_from_group",
                "operator": "alice",
                "group_name": "Club",
                "detail": {"reason": "spam"},
            },
            "Alice removed you from Club: spam",
        ),
        (
            {"notice": "group_dismissed", "operator": "alice", "group_id": "club"},
            "Alice dismissed club",
        ),
        (
            {"notice": "admin_set", "operator": "alice", "group_name": "Club"},
            "Alice made you an admin of Club",
        ),
    ],
)
def test_notices(body: dict[str, Any], expected: str) -> None:
    assert notice_text(msgspec.convert(body, NoticeBody), "me", name_of) == expected
