"""What the signed-in user may do in the open group, from the capability table of
``protocol.group_rules``: the actions on a member (its context menu) and on the group (the
panel's buttons). The server checks the same table; the app only offers what it would allow."""

from __future__ import annotations

import enum

from messenger.protocol.group_rules import Actor, GroupAction, actor_of, allows, outranks
from messenger.protocol.models import GroupMember, GroupRole, GroupType


class MemberAction(enum.StrEnum):
    MENTION = "mention"
    MUTE = "mute"
    UNMUTE = "unmute"
    SET_ADMIN = "set_admin"
    UNSET_ADMIN = "unset_admin"
    KICK = "kick"
    TRANSFER = "transfer"


class PanelAction(enum.StrEnum):
    NAME_CARD = "name_card"  # my name card in this group
    ADD_MEMBERS = "add_members"
    EDIT = "edit"
    MUTE_ALL = "mute_all"
    REQUESTS = "requests"
    LEAVE = "leave"
    DISMISS = "dismiss"


def member_actions(
    group_type: GroupType,
    my_role: GroupRole | None,
    me: str,
    target: GroupMember,
    now_ms: int,
) -> list[MemberAction]:
    """The actions on ``target`` my role allows, in menu order."""
    actor = actor_of(my_role)
    found: list[MemberAction] = []
    if target.user_id == me:
        return found
    found.append(MemberAction.MENTION)
    if actor is Actor.NON_MEMBER:
        return []

    def may(action: GroupAction) -> bool:
        return allows(group_type, action, actor) and outranks(actor, target.role)

    if may(GroupAction.MUTE):
        muted = target.mute_until > now_ms
        found.append(MemberAction.UNMUTE if muted else MemberAction.MUTE)
    if may(GroupAction.SET_ADMIN):
        is_admin = target.role is GroupRole.ADMIN
        found.append(MemberAction.UNSET_ADMIN if is_admin else MemberAction.SET_ADMIN)
    if may(GroupAction.KICK):
        found.append(MemberAction.KICK)
    if allows(group_type, GroupAction.TRANSFER, actor) and actor is Actor.OWNER:
        found.append(MemberAction.TRANSFER)
    return found


def panel_actions(group_type: GroupType, my_role: GroupRole | None) -> list[PanelAction]:
    actor = actor_of(my_role)
    if actor is Actor.NON_MEMBER:
        return []
    checks = (
        (PanelAction.ADD_MEMBERS, GroupAction.INVITE),
        (PanelAction.EDIT, GroupAction.EDIT_PROFILE),
        (PanelAction.MUTE_ALL, GroupAction.MUTE_ALL),
        (PanelAction.REQUESTS, GroupAction.HANDLE_APPLICATION),
        (PanelAction.LEAVE, GroupAction.QUIT),
        (PanelAction.DISMISS, GroupAction.DISMISS),
    )
    return [PanelAction.NAME_CARD, *(p for p, a in checks if allows(group_type, a, actor))]
