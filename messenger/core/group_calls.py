"""The client's group management calls (TIM's group and group-member APIs): join or apply,
handle applications, quit, dismiss, transfer, kick, roles, mute, profile and member edits,
pins, online counts. Results come back from the server; the changes they cause (the group, the
tips, the notices, a departure) arrive through sync like any other change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from messenger.protocol.api import OnlineCount
from messenger.protocol.models import (
    ApplicationList,
    GroupApplication,
    GroupInfo,
    GroupList,
    GroupRole,
    HandleApplicationRequest,
    JoinGroupRequest,
    JoinResult,
    KickRequest,
    MemberUpdate,
    MuteRequest,
    NewTopic,
    PinRequest,
    RoleRequest,
    TransferRequest,
    UpdateGroupRequest,
)


class GroupCalls:
    """Mixed into ``Client``, which provides ``_group_call`` (a signed-in REST call)."""

    async def _group_call(self, name: str, group_id: str, body: Any = None, **path: str) -> Any:
        raise NotImplementedError

    async def join_group(self, group_id: str, note: str = "") -> JoinResult:
        result: JoinResult = await self._group_call(
            "join_group", group_id, JoinGroupRequest(note=note)
        )
        return result

    async def group_applications(self, group_id: str) -> list[GroupApplication]:
        found: ApplicationList = await self._group_call("group_applications", group_id)
        return list(found.applications)

    async def handle_application(
        self, group_id: str, application_id: int, *, approve: bool, note: str = ""
    ) -> GroupInfo:
        group: GroupInfo = await self._group_call(
            "handle_application",
            group_id,
            HandleApplicationRequest(approve=approve, note=note),
            application_id=str(application_id),
        )
        return group

    async def quit_group(self, group_id: str) -> GroupInfo:
        group: GroupInfo = await self._group_call("quit_group", group_id)
        return group

    async def dismiss_group(self, group_id: str) -> GroupInfo:
        group: GroupInfo = await self._group_call("dismiss_group", group_id)
        return group

    async def transfer_owner(self, group_id: str, new_owner: str) -> GroupInfo:
        group: GroupInfo = await self._group_call(
            "transfer_owner", group_id, TransferRequest(new_owner=new_owner)
        )
        return group

    async def kick_members(
        self, group_id: str, user_ids: Sequence[str], reason: str = ""
    ) -> GroupInfo:
        group: GroupInfo = await self._group_call(
            "kick_members", group_id, KickRequest(user_ids=list(user_ids), reason=reason)
        )
        return group

    async def set_member_role(self, group_id: str, user_id: str, role: GroupRole) -> GroupInfo:
        group: GroupInfo = await self._group_call(
            "set_member_role", group_id, RoleRequest(role=role), user_id=user_id
        )
        return group

    async def mute_member(self, group_id: str, user_id: str, seconds: int) -> GroupInfo:
        """Mute for ``seconds`` (0 lifts the mute)."""
        group: GroupInfo = await self._group_call(
            "mute_member", group_id, MuteRequest(seconds=seconds), user_id=user_id
        )
        return group

    async def update_group(self, group_id: str, update: UpdateGroupRequest) -> GroupInfo:
        group: GroupInfo = await self._group_call("update_group", group_id, update)
        return group

    async def update_member(self, group_id: str, user_id: str, update: MemberUpdate) -> GroupInfo:
        group: GroupInfo = await self._group_call(
            "update_member", group_id, update, user_id=user_id
        )
        return group

    async def pin_message(self, group_id: str, message_id: str) -> GroupInfo:
        group: GroupInfo = await self._group_call(
            "pin_message", group_id, PinRequest(message_id=message_id)
        )
        return group

    async def unpin_message(self, group_id: str, message_id: str) -> GroupInfo:
        group: GroupInfo = await self._group_call("unpin_message", group_id, message_id=message_id)
        return group

    async def create_topic(self, community_id: str, name: str) -> GroupInfo:
        """A topic of a community: its own conversation (``GROUP`` + the topic's ID)."""
        topic: GroupInfo = await self._group_call("create_topic", community_id, NewTopic(name=name))
        return topic

    async def topics(self, community_id: str) -> list[GroupInfo]:
        found: GroupList = await self._group_call("topics", community_id)
        return list(found.groups)

    async def group_online_count(self, group_id: str) -> int:
        found: OnlineCount = await self._group_call("group_online", group_id)
        return found.online
