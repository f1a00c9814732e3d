"""Who may do what in a group: one table by group type, read by the server's group services, by
the app (to offer exactly the actions a role allows) and by the permission-matrix test.

The table follows TIM's rules by group type, with these decisions of ours (see docs/groups.md):
an owner never quits without first transferring ownership (TIM lets a Work owner leave the group
ownerless); owners and admins of Public, Meeting and Community groups may invite (TIM reserves
it to the app admin); Work and AVChatRoom groups have no admins; live-room owners may kick.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from messenger.protocol.errors import (
    GroupActionForbidden,
    NotMember,
    PermissionDenied,
)
from messenger.protocol.models import GroupRole, GroupType, JoinOption


class GroupAction(enum.StrEnum):
    VIEW = "view"  # see the profile (search by ID)
    JOIN = "join"  # join or apply, as a non-member
    INVITE = "invite"  # add members
    KICK = "kick"
    MUTE = "mute"  # mute / unmute one member
    MUTE_ALL = "mute_all"
    SET_ADMIN = "set_admin"  # set or unset
    EDIT_PROFILE = "edit_profile"
    DISMISS = "dismiss"
    QUIT = "quit"
    TRANSFER = "transfer"
    HANDLE_APPLICATION = "handle_application"
    PIN = "pin"  # pin / unpin a group message
    LIST_MEMBERS = "list_members"
    MANAGE_TOPICS = "manage_topics"  # create a community's topics


class Actor(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    NON_MEMBER = "non_member"
    APP_ADMIN = "app_admin"  # one of the server's administrator identities


_O, _A, _M, _N, _X = Actor.OWNER, Actor.ADMIN, Actor.MEMBER, Actor.NON_MEMBER, Actor.APP_ADMIN
_MEMBERS = frozenset({_O, _A, _M, _X})
_MANAGERS = frozenset({_O, _A, _X})
_OWNER = frozenset({_O, _X})
_NOBODY: frozenset[Actor] = frozenset()
_EVERYONE = frozenset(Actor)

Matrix = Mapping[GroupType, Mapping[GroupAction, frozenset[Actor]]]

_MANAGED: dict[GroupAction, frozenset[Actor]] = {
    GroupAction.VIEW: _EVERYONE,
    GroupAction.JOIN: frozenset({_N}),
    GroupAction.INVITE: _MANAGERS,
    GroupAction.KICK: _MANAGERS,
    GroupAction.MUTE: _MANAGERS,
    GroupAction.MUTE_ALL: _MANAGERS,
    GroupAction.SET_ADMIN: _OWNER,
    GroupAction.EDIT_PROFILE: _MANAGERS,
    GroupAction.DISMISS: _OWNER,
    GroupAction.QUIT: frozenset({_A, _M}),
    GroupAction.TRANSFER: _OWNER,
    GroupAction.HANDLE_APPLICATION: _MANAGERS,
    GroupAction.PIN: _MANAGERS,
    GroupAction.LIST_MEMBERS: _MEMBERS,
    GroupAction.MANAGE_TOPICS: _NOBODY,
}

MATRIX: Matrix = {
    GroupType.WORK: {
        GroupAction.VIEW: _MEMBERS,  # a Work group cannot be found by search
        GroupAction.JOIN: _NOBODY,  # members are only invited
        GroupAction.INVITE: _MEMBERS,  # any member, no approval
        GroupAction.KICK: _OWNER,
        GroupAction.MUTE: _NOBODY,
        GroupAction.MUTE_ALL: _NOBODY,
        GroupAction.SET_ADMIN: _NOBODY,  # no admins in Work groups
        GroupAction.EDIT_PROFILE: _MEMBERS,  # any member
        GroupAction.DISMISS: frozenset({_X}),  # the owner may not dismiss a Work group
        GroupAction.QUIT: frozenset({_M}),
        GroupAction.TRANSFER: _OWNER,
        GroupAction.HANDLE_APPLICATION: _NOBODY,
        GroupAction.PIN: _OWNER,
        GroupAction.LIST_MEMBERS: _MEMBERS,
        GroupAction.MANAGE_TOPICS: _NOBODY,
    },
    GroupType.PUBLIC: dict(_MANAGED),
    GroupType.MEETING: dict(_MANAGED),
    GroupType.COMMUNITY: {**_MANAGED, GroupAction.MANAGE_TOPICS: _MANAGERS},
    GroupType.AVCHATROOM: {
        GroupAction.VIEW: _EVERYONE,
        GroupAction.JOIN: frozenset({_N}),
        GroupAction.INVITE: _NOBODY,  # nobody invites into a live room, not even the app admin
        GroupAction.KICK: _OWNER,
        GroupAction.MUTE: _OWNER,
        GroupAction.MUTE_ALL: _OWNER,
        GroupAction.SET_ADMIN: _NOBODY,
        GroupAction.EDIT_PROFILE: _OWNER,
        GroupAction.DISMISS: _OWNER,
        GroupAction.QUIT: frozenset({_M}),
        GroupAction.TRANSFER: _NOBODY,
        GroupAction.HANDLE_APPLICATION: _NOBODY,
        GroupAction.PIN: _OWNER,
        GroupAction.LIST_MEMBERS: _MEMBERS,
        GroupAction.MANAGE_TOPICS: _NOBODY,
    },
}

# How join requests are handled: fixed for every type but Public and Community.
FIXED_JOIN_OPTION: Mapping[GroupType, JoinOption] = {
    GroupType.WORK: JoinOption.FORBIDDEN,
    GroupType.MEETING: JoinOption.FREE,
    GroupType.AVCHATROOM: JoinOption.FREE,
}
DEFAULT_JOIN_OPTION: Mapping[GroupType, JoinOption] = {
    **FIXED_JOIN_OPTION,
    GroupType.PUBLIC: JoinOption.APPROVAL,
    GroupType.COMMUNITY: JoinOption.FREE,
}

# Actions done to another member: the actor must outrank the target.
ON_A_MEMBER = frozenset({GroupAction.KICK, GroupAction.MUTE, GroupAction.SET_ADMIN})
_RANK = {_X: 3, _O: 2, _A: 1, _M: 0, _N: -1}

PINNED_MAX = 10


def actor_of(role: GroupRole | str | None, *, app_admin: bool = False) -> Actor:
    if app_admin:
        return Actor.APP_ADMIN
    if role is None:
        return Actor.NON_MEMBER
    return Actor(str(role))


def allows(group_type: GroupType, action: GroupAction, actor: Actor) -> bool:
    return actor in MATRIX[group_type][action]


def outranks(actor: Actor, target: GroupRole | str) -> bool:
    return _RANK[actor] > _RANK[Actor(str(target))]


def check(
    group_type: GroupType,
    action: GroupAction,
    actor: Actor,
    target: GroupRole | str | None = None,
) -> None:
    """Raise the typed error of a refusal: the type forbids the action for everyone
    (``GroupActionForbidden``), the caller is not a member (``NotMember``), or their role does
    not allow it or does not outrank the target (``PermissionDenied``)."""
    allowed = MATRIX[group_type][action]
    if not allowed:
        raise GroupActionForbidden(
            f"{group_type.value} groups do not allow {action.value.replace('_', ' ')}",
            action=action.value,
            group_type=group_type.value,
        )
    if actor not in allowed:
        if actor is Actor.NON_MEMBER:
            raise NotMember("you are not a member of this group")
        raise PermissionDenied(
            f"a {actor.value.replace('_', ' ')} may not {action.value.replace('_', ' ')} here",
            action=action.value,
        )
    if target is not None and action in ON_A_MEMBER and not outranks(actor, target):
        raise PermissionDenied(
            f"a {actor.value} may not {action.value.replace('_', ' ')} a {target}",
            action=action.value,
        )
