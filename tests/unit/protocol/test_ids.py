"""User, group and conversation IDs."""

from __future__ import annotations

import pytest

from messenger.protocol import errors
from messenger.protocol.ids import (
    SYSTEM_CONVERSATION_ID,
    ConversationRef,
    ConversationType,
    c2c_conversation_id,
    check_group_id,
    check_user_id,
    conversation_id_for,
    group_conversation_id,
    is_valid_id,
    parse_conversation_id,
)

VALID = ["a", "Z", "0", "alice", "a.b", "a-b_c@d.e", "...", ".a", "a..", "x" * 32, "@", "_"]
INVALID = [
    "",
    ".",
    "..",
    "x" * 33,
    "a b",
    "a/b",
    "a\\b",
    "../etc",
    "用户",
    "álice",
    "a\n",
    "a\x00",
    "a#b",
    "a%2e",
    "a+b",
    "\u202ealice",
    "a:b",
]


@pytest.mark.parametrize("value", VALID)
def test_valid_ids(value: str) -> None:
    assert is_valid_id(value)
    assert check_user_id(value) == value
    assert check_group_id(value) == value


@pytest.mark.parametrize("value", INVALID)
def test_invalid_ids(value: str) -> None:
    assert not is_valid_id(value)
    with pytest.raises(errors.InvalidParameter) as caught:
        check_user_id(value)
    assert caught.value.details == {"field": "user_id"}
    with pytest.raises(errors.InvalidParameter) as caught:
        check_group_id(value)
    assert caught.value.details == {"field": "group_id"}


def test_non_strings_are_invalid() -> None:
    for value in (None, 5, b"alice", ["alice"]):
        with pytest.raises(errors.InvalidParameter):
            check_user_id(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("conversation_id", "kind", "target"),
    [
        ("C2Calice", ConversationType.C2C, "alice"),
        ("C2CC2C", ConversationType.C2C, "C2C"),
        ("C2CGROUPx", ConversationType.C2C, "GROUPx"),
        ("GROUPteam", ConversationType.GROUP, "team"),
        ("GROUPGROUP", ConversationType.GROUP, "GROUP"),
        ("C2C" + "x" * 32, ConversationType.C2C, "x" * 32),
        (SYSTEM_CONVERSATION_ID, ConversationType.SYSTEM, ""),
    ],
)
def test_parse_round_trips(conversation_id: str, kind: ConversationType, target: str) -> None:
    ref = parse_conversation_id(conversation_id)
    assert ref == ConversationRef(kind, target)
    assert ref.conversation_id == conversation_id


@pytest.mark.parametrize(
    "conversation_id",
    [
        "",
        "C2C",
        "GROUP",
        "alice",
        "c2calice",
        "group team",
        "C2C" + "x" * 33,
        "C2C..",
        "GROUP.",
        "C2C../../etc",
        "C2Cbad id",
        "GROUP用户",
        "@TIM#SYSTEMx",
        "@tim#system",
        " C2Calice",
    ],
)
def test_parse_refuses_bad_conversation_ids(conversation_id: str) -> None:
    with pytest.raises(errors.InvalidParameter) as caught:
        parse_conversation_id(conversation_id)
    assert caught.value.details == {"field": "conversation_id"}


def test_conversation_ids_are_relative_to_the_viewer() -> None:
    assert c2c_conversation_id("bob") == "C2Cbob"
    assert group_conversation_id("team") == "GROUPteam"
    # alice → bob: alice sees C2Cbob, bob sees C2Calice
    assert conversation_id_for("alice", "c2c", "alice", "bob") == "C2Cbob"
    assert conversation_id_for("bob", "c2c", "alice", "bob") == "C2Calice"
    assert conversation_id_for("alice", "c2c", "alice", "alice") == "C2Calice"  # a note to self
    assert conversation_id_for("carol", "group", "alice", "team") == "GROUPteam"
    assert conversation_id_for("carol", "system", "", "") == SYSTEM_CONVERSATION_ID
