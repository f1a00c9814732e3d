"""Groups, minimal for now: create, add members, list members, my groups.

Who may add members: in Work groups any member (TIM's rule for private groups); in the other
types the owner and admins. The full group model (join flows, kick, roles, mute) comes later.
"""

from __future__ import annotations

import secrets

from messenger.protocol.errors import InvalidParameter, NotMember, PermissionDenied
from messenger.protocol.ids import check_group_id, check_user_id
from messenger.protocol.models import (
    CreateGroupRequest,
    GroupInfo,
    GroupType,
    Limits,
    MemberPage,
    RemindType,
)
from messenger.protocol.validation import utf8_len
from messenger.server.services.directory import Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.messaging import new_message_id
from messenger.server.services.receipts import MANAGERS
from messenger.server.storage.base import Storage
from messenger.server.storage.records import GroupOutcome, MemberInfo, NewGroup, NewMembers

MAX_MEMBERS_PER_REQUEST = 500
_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def generate_group_id() -> str:
    return "grp_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))


class GroupService:
    def __init__(
        self, *, storage: Storage, directory: Directory, fanout: Fanout, limits: Limits
    ) -> None:
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._limits = limits

    def _check_profile(self, req: CreateGroupRequest) -> None:
        limits = self._limits
        name_bytes = utf8_len(req.name)
        if not req.name.strip() or name_bytes > limits.group_name_bytes:
            raise InvalidParameter(
                f"a group name has 1–{limits.group_name_bytes} bytes", field="name"
            )
        if utf8_len(req.introduction) > limits.group_introduction_bytes:
            raise InvalidParameter(
                f"an introduction has at most {limits.group_introduction_bytes} bytes",
                field="introduction",
            )
        if utf8_len(req.notification) > limits.group_notification_bytes:
            raise InvalidParameter(
                f"a notification has at most {limits.group_notification_bytes} bytes",
                field="notification",
            )
        if len(req.members) > MAX_MEMBERS_PER_REQUEST:
            raise InvalidParameter(
                f"at most {MAX_MEMBERS_PER_REQUEST} members per request", field="members"
            )
        for user_id in req.members:
            check_user_id(user_id)

    async def create(self, owner: str, req: CreateGroupRequest) -> GroupInfo:
        self._check_profile(req)
        group_id = check_group_id(req.group_id) if req.group_id else generate_group_id()
        if req.type is GroupType.AVCHATROOM:
            raise InvalidParameter("live rooms are not available yet", field="type")
        group = NewGroup(
            group_id=group_id,
            name=req.name,
            type=req.type,
            owner=owner,
            members=list(req.members),
            introduction=req.introduction,
            notification=req.notification,
            max_members=self._limits.group_max_members,
            tip_message_id=new_message_id(),
        )
        outcome = await self._storage.create_group(group, on_commit=self._announce)
        return outcome.group

    def _announce(self, outcome: GroupOutcome) -> None:
        """On commit: members learn of the group, new members of their state, all of the tip."""
        self._directory.remember_group(outcome.group.group_id, outcome.conv_id)
        self._directory.members_added(
            outcome.conv_id,
            {u: MemberInfo(role, RemindType.NOTIFY) for u, role in outcome.added.items()},
        )
        for user_id, state in outcome.states.items():
            self._fanout.state(user_id, state)
        self._fanout.group(outcome.group, list(outcome.members))
        if outcome.tip is not None:
            audience = [u for u, r in outcome.members.items() if r is not RemindType.BLOCK]
            self._fanout.message(outcome.tip, audience)
        for notice in outcome.notices:
            self._fanout.message(notice, (notice.target,))

    async def add_members(self, operator: str, group_id: str, user_ids: list[str]) -> GroupInfo:
        if not user_ids or len(user_ids) > MAX_MEMBERS_PER_REQUEST:
            raise InvalidParameter(
                f"add 1–{MAX_MEMBERS_PER_REQUEST} members per request", field="user_ids"
            )
        for user_id in user_ids:
            check_user_id(user_id)
        conv_id, info = await self._storage.group_by_id(check_group_id(group_id))
        self._directory.remember_group(group_id, conv_id)
        members = await self._directory.members(conv_id)
        me = members.members.get(operator)
        if me is None:
            raise NotMember("you are not a member of this group")
        if info.type is not GroupType.WORK and me.role not in MANAGERS:
            raise PermissionDenied("only the owner and admins may add members to this group")
        request = NewMembers(
            conv_id=conv_id,
            group_id=group_id,
            operator=operator,
            user_ids=user_ids,
            max_members=self._limits.group_max_members,
            tip_message_id=new_message_id(),
        )
        outcome = await self._storage.add_members(request, on_commit=self._announce)
        return outcome.group

    async def get(self, user_id: str, group_id: str) -> GroupInfo:
        conv_id, info = await self._storage.group_by_id(check_group_id(group_id))
        self._directory.remember_group(group_id, conv_id)
        if info.type is GroupType.WORK:
            members = await self._directory.members(conv_id)
            if user_id not in members.members:
                raise NotMember("this group is private")
        return info

    async def members(self, user_id: str, group_id: str, offset: int, limit: int) -> MemberPage:
        if offset < 0 or not 1 <= limit <= 100:
            raise InvalidParameter("offset ≥ 0 and limit 1–100", field="limit")
        conv_id, _ = await self._storage.group_by_id(check_group_id(group_id))
        members = await self._directory.members(conv_id)
        if user_id not in members.members:
            raise NotMember("you are not a member of this group")
        return await self._storage.list_members(conv_id, offset, limit)

    async def mine(self, user_id: str) -> list[GroupInfo]:
        return await self._storage.groups_of(user_id)
