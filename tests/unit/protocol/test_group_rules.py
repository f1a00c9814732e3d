"""The capability table states TIM's rules by group type (and our documented decisions)."""

from __future__ import annotations

import pytest

from messenger.protocol import errors
from messenger.protocol.group_rules import MATRIX, Actor, GroupAction, allows, check
from messenger.protocol.models import GroupType

A, T = GroupAction, GroupType


@pytest.mark.parametrize(
    ("group_type", "action", "actor", "allowed"),
    [
        (T.WORK, A.JOIN, Actor.NON_MEMBER, False),  # Work groups take no join requests
        (T.WORK, A.INVITE, Actor.MEMBER, True),  # any member invites, no approval
        (T.WORK, A.DISMISS, Actor.OWNER, False),  # the owner cannot dismiss a Work group
        (T.WORK, A.DISMISS, Actor.APP_ADMIN, True),
        (T.WORK, A.MUTE, Actor.OWNER, False),  # Work members cannot be muted
        (T.WORK, A.VIEW, Actor.NON_MEMBER, False),  # not searchable
        (T.WORK, A.EDIT_PROFILE, Actor.MEMBER, True),
        (T.PUBLIC, A.VIEW, Actor.NON_MEMBER, True),
        (T.PUBLIC, A.KICK, Actor.ADMIN, True),
        (T.PUBLIC, A.SET_ADMIN, Actor.ADMIN, False),  # only the owner sets roles
        (T.PUBLIC, A.TRANSFER, Actor.ADMIN, False),
        (T.PUBLIC, A.QUIT, Actor.OWNER, False),  # transfer first
        (T.PUBLIC, A.EDIT_PROFILE, Actor.MEMBER, False),
        (T.MEETING, A.HANDLE_APPLICATION, Actor.MEMBER, False),
        (T.AVCHATROOM, A.INVITE, Actor.APP_ADMIN, False),  # nobody invites into a live room
        (T.AVCHATROOM, A.TRANSFER, Actor.OWNER, False),  # live rooms are not transferred
        (T.AVCHATROOM, A.SET_ADMIN, Actor.OWNER, False),
        (T.COMMUNITY, A.PIN, Actor.ADMIN, True),
        (T.COMMUNITY, A.PIN, Actor.MEMBER, False),
    ],
)
def test_tim_rules(group_type: GroupType, action: GroupAction, actor: Actor, allowed: bool) -> None:
    assert allows(group_type, action, actor) is allowed


def test_refusals_are_typed() -> None:
    with pytest.raises(errors.GroupActionForbidden):
        check(T.AVCHATROOM, A.INVITE, Actor.OWNER)
    with pytest.raises(errors.NotMember):
        check(T.PUBLIC, A.KICK, Actor.NON_MEMBER)
    with pytest.raises(errors.PermissionDenied):
        check(T.PUBLIC, A.KICK, Actor.ADMIN, "admin")  # an admin does not outrank an admin
    check(T.PUBLIC, A.KICK, Actor.ADMIN, "member")
    check(T.PUBLIC, A.KICK, Actor.APP_ADMIN, "owner")


def test_the_owner_never_quits_in_any_type() -> None:
    assert not any(Actor.OWNER in rules[A.QUIT] for rules in MATRIX.values())
