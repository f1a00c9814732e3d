"""Groups: create, invite, join and apply, handle applications, quit, kick, roles, mute,
profile and member edits, transfer, dismiss, pins, member pages and online counts.

Who may do what is the table of ``protocol.group_rules``; the storage checks it again inside each
write's transaction, against the rows it changes, so a refusal is typed and changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from messenger.protocol.errors import AvatarNotFound, InvalidParameter
from messenger.protocol.group_rules import (
    DEFAULT_JOIN_OPTION,
    FIXED_JOIN_OPTION,
    MATRIX,
    GroupAction,
    actor_of,
    check,
)
from messenger.protocol.ids import check_group_id, check_user_id
from messenger.protocol.models import (
    CreateGroupRequest,
    GroupApplication,
    GroupInfo,
    GroupRole,
    GroupType,
    JoinResult,
    JoinStatus,
    Limits,
    MemberPage,
    MemberUpdate,
    RemindType,
    UpdateGroupRequest,
)
from messenger.protocol.validation import utf8_len
from messenger.server.hub import Hub
from messenger.server.services.callbacks import BEFORE_JOIN, Callbacks
from messenger.server.services.directory import Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.live_counts import LiveCounts
from messenger.server.services.messaging import new_message_id
from messenger.server.storage.base import Storage
from messenger.server.storage.records import (
    GroupEdit,
    GroupOp,
    GroupOutcome,
    MemberInfo,
    NewGroup,
    NewMembers,
)

MAX_MEMBERS_PER_REQUEST = 500
MAX_INVITES_PER_REQUEST = 300
MAX_MUTE_SECONDS = 2**32 - 1
LIVE_ROOM_MAX_MEMBERS = 1_000_000  # "unlimited"
NOTE_BYTES = 300
NAME_CARD_BYTES = 50
CUSTOM_VALUE_BYTES = 512
_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


MATRIX_HAS_ADMINS = {t: bool(rules[GroupAction.SET_ADMIN]) for t, rules in MATRIX.items()}


def generate_group_id() -> str:
    return "grp_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))


class GroupService:
    def __init__(
        self,
        *,
        storage: Storage,
        directory: Directory,
        fanout: Fanout,
        limits: Limits,
        app_admins: tuple[str, ...] = (),
        group_custom_keys: tuple[str, ...] = (),
        member_custom_keys: tuple[str, ...] = (),
        callbacks: Callbacks | None = None,
        avatar_exists: Callable[[str], bool] = lambda _: True,
    ) -> None:
        self._callbacks = callbacks
        self._avatar_exists = avatar_exists  # a group's avatar is one the server made
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._limits = limits
        self._app_admins = frozenset(app_admins)
        self._group_keys = frozenset(group_custom_keys)
        self._member_keys = frozenset(member_custom_keys)
        self.live_counts = LiveCounts(fanout.hub, directory)

    @property
    def hub(self) -> Hub:
        return self._fanout.hub

    def is_app_admin(self, user_id: str) -> bool:
        return user_id in self._app_admins

    def _check_text(
        self, value: str | None, limit: int, field: str, *, required: bool = False
    ) -> None:
        if value is None:
            return
        if (required and not value.strip()) or utf8_len(value) > limit:
            low = 1 if required else 0
            raise InvalidParameter(f"{field} has {low}–{limit} bytes", field=field)

    def _check_custom(
        self, custom: dict[str, str] | None, keys: frozenset[str], field: str
    ) -> None:
        for key, value in (custom or {}).items():
            if key not in keys:
                raise InvalidParameter(f"custom field {key!r} is not enabled", field=field)
            if not isinstance(value, str) or utf8_len(value) > CUSTOM_VALUE_BYTES:
                raise InvalidParameter(
                    f"a custom value has at most {CUSTOM_VALUE_BYTES} bytes", field=field
                )

    def _check_fields(
        self,
        *,
        name: str | None,
        introduction: str | None,
        notification: str | None,
        avatar: str | None,
        custom: dict[str, str] | None,
    ) -> None:
        limits = self._limits
        self._check_text(name, limits.group_name_bytes, "name", required=True)
        self._check_text(introduction, limits.group_introduction_bytes, "introduction")
        self._check_text(notification, limits.group_notification_bytes, "notification")
        self._check_text(avatar, limits.group_avatar_bytes, "avatar")
        if avatar and not self._avatar_exists(avatar):
            raise AvatarNotFound("upload the picture with POST /v1/avatars first", field="avatar")
        self._check_custom(custom, self._group_keys, "custom")

    def _check_profile(self, req: CreateGroupRequest) -> None:
        self._check_fields(
            name=req.name,
            introduction=req.introduction,
            notification=req.notification,
            avatar=req.avatar,
            custom=req.custom,
        )
        everyone = [*req.members, *(m.user_id for m in req.member_list)]
        if len(everyone) > MAX_MEMBERS_PER_REQUEST:
            raise InvalidParameter(
                f"at most {MAX_MEMBERS_PER_REQUEST} members per request", field="members"
            )
        for user_id in everyone:
            check_user_id(user_id)
        if req.type is GroupType.AVCHATROOM and everyone:
            raise InvalidParameter("a live room starts with no members", field="members")
        for m in req.member_list:
            if m.role is GroupRole.OWNER or (
                m.role is GroupRole.ADMIN and not MATRIX_HAS_ADMINS[req.type]
            ):
                raise InvalidParameter(
                    f"an initial member of a {req.type.value} group cannot be {m.role.value}",
                    field="member_list",
                )
            self._check_custom(m.custom, self._member_keys, "member_list")
        if (
            req.join_option is not None
            and req.type in FIXED_JOIN_OPTION
            and req.join_option is not FIXED_JOIN_OPTION[req.type]
        ):
            raise InvalidParameter(
                f"the join option of a {req.type.value} group is fixed", field="join_option"
            )
        if (
            req.max_members is not None
            and not 1 <= req.max_members <= self._limits.group_max_members
        ):
            raise InvalidParameter(
                f"max_members is 1–{self._limits.group_max_members}", field="max_members"
            )

    async def create(self, owner: str, req: CreateGroupRequest) -> GroupInfo:
        self._check_profile(req)
        group_id = check_group_id(req.group_id) if req.group_id else generate_group_id()
        if req.type is GroupType.AVCHATROOM:
            max_members = req.max_members or LIVE_ROOM_MAX_MEMBERS
        else:
            max_members = req.max_members or self._limits.group_max_members
        group = NewGroup(
            group_id=group_id,
            name=req.name,
            type=req.type,
            owner=owner,
            members=[*req.members, *(m.user_id for m in req.member_list)],
            introduction=req.introduction,
            notification=req.notification,
            max_members=max_members,
            tip_message_id=new_message_id(),
            avatar=req.avatar,
            join_option=req.join_option or DEFAULT_JOIN_OPTION[req.type],
            custom=dict(req.custom),
            roles={m.user_id: m.role.value for m in req.member_list},
            member_custom={m.user_id: dict(m.custom) for m in req.member_list if m.custom},
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
        self._fanout.group_and_tip(outcome.group, outcome.members, outcome.tip)
        for notice in outcome.notices:
            self._fanout.message(notice, (notice.target,))

    async def _actor_check(
        self, user_id: str, group_id: str, action: GroupAction
    ) -> tuple[int, GroupInfo]:
        """The group, if the caller's role allows ``action`` on it (else the typed refusal)."""
        conv_id, info = await self._storage.group_by_id(check_group_id(group_id))
        self._directory.remember_group(group_id, conv_id)
        members = await self._directory.members(conv_id)
        me = members.members.get(user_id)
        actor = actor_of(me.role if me else None, app_admin=self.is_app_admin(user_id))
        check(info.type, action, actor)
        return conv_id, info

    async def add_members(self, operator: str, group_id: str, user_ids: list[str]) -> GroupInfo:
        if not user_ids or len(user_ids) > MAX_INVITES_PER_REQUEST:
            raise InvalidParameter(
                f"add 1–{MAX_INVITES_PER_REQUEST} members per request", field="user_ids"
            )
        for user_id in user_ids:
            check_user_id(user_id)
        conv_id, _ = await self._actor_check(operator, group_id, GroupAction.INVITE)
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
        _, info = await self._actor_check(user_id, group_id, GroupAction.VIEW)
        return info

    async def members(self, user_id: str, group_id: str, offset: int, limit: int) -> MemberPage:
        if offset < 0 or not 1 <= limit <= 100:
            raise InvalidParameter("offset ≥ 0 and limit 1–100", field="limit")
        conv_id, _ = await self._actor_check(user_id, group_id, GroupAction.LIST_MEMBERS)
        return await self._storage.list_members(conv_id, offset, limit)

    async def online_count(self, user_id: str, group_id: str) -> int:
        """Members with at least one connected device."""
        conv_id, info = await self._actor_check(user_id, group_id, GroupAction.LIST_MEMBERS)
        if info.type is GroupType.AVCHATROOM:
            self.live_counts.watch(conv_id, info.group_id)
        members = await self._directory.members(conv_id)
        hub = self.hub
        return sum(1 for u in members.members if hub.is_online(u))

    async def applications(self, user_id: str, group_id: str) -> list[GroupApplication]:
        conv_id, _ = await self._actor_check(user_id, group_id, GroupAction.HANDLE_APPLICATION)
        return await self._storage.pending_applications(conv_id, group_id)

    # -- writes after creation ----------------------------------------------------------------------
    async def _op(self, kind: str, operator: str, group_id: str, **args: Any) -> GroupEdit:
        op = GroupOp(
            kind=kind,
            group_id=check_group_id(group_id),
            operator=operator,
            message_id=new_message_id(),
            app_admin=self.is_app_admin(operator),
            args=args,
        )
        return await self._storage.group_op(op, on_commit=self._edited)

    def _edited(self, edit: GroupEdit) -> None:
        """On commit: the member cache, then who hears what."""
        directory, fanout = self._directory, self._fanout
        directory.remember_group(edit.group.group_id, edit.conv_id)
        directory.forget_members(edit.conv_id)
        for topic_conv in edit.topic_convs:
            directory.forget_members(topic_conv)
        if edit.group.type is GroupType.AVCHATROOM and (edit.joined or edit.departed):
            self.live_counts.watch(edit.conv_id, edit.group.group_id, changed=True)
        if not edit.group.version:
            return
        # Pushes go out in version order (a device applies changes in that order).
        pushes: list[tuple[int, Callable[[], object]]] = []
        for user_id, state in [*edit.states.items(), *edit.topic_states]:
            pushes.append((state.version, partial(fanout.state, user_id, state)))
        for topic in edit.topics_left:
            pushes.append((topic.version, partial(fanout.group, topic, edit.departed, False)))
        if edit.departed:
            pushes.append(
                (edit.group.version, partial(fanout.group, edit.group, edit.departed, False))
            )
        # the change and its tip: one frame per member (the tip follows the change's version)
        pushes.append(
            (edit.group.version, partial(fanout.group_and_tip, edit.group, edit.members, edit.tip))
        )
        for notice in edit.notices:
            pushes.append((notice.version, partial(fanout.message, notice, (notice.target,))))
        for _, push in sorted(pushes, key=lambda p: p[0]):
            push()

    async def join(self, user_id: str, group_id: str, note: str) -> JoinResult:
        self._check_text(note, NOTE_BYTES, "note")
        _, info = await self._actor_check(user_id, group_id, GroupAction.VIEW)
        if self._callbacks is not None:
            await self._callbacks.before(
                BEFORE_JOIN,
                {
                    "user_id": user_id,
                    "group_id": info.group_id,
                    "group_type": info.type.value,
                    "note": note,
                },
            )
        if info.type is GroupType.AVCHATROOM:  # one live room at a time: leave the others
            for other in await self._storage.live_rooms_of(user_id):
                if other != info.group_id:
                    await self._op("quit", user_id, other)
        edit = await self._op(
            "join", user_id, group_id, note=note, live_history=self._limits.live_room_history
        )
        return JoinResult(
            status=JoinStatus(edit.result["status"]),
            group=edit.group,
            application_id=int(edit.result.get("application_id", 0)),
        )

    async def handle_application(
        self, user_id: str, group_id: str, application_id: int, approve: bool, note: str
    ) -> GroupInfo:
        self._check_text(note, NOTE_BYTES, "note")
        edit = await self._op(
            "handle_application",
            user_id,
            group_id,
            application_id=application_id,
            approve=approve,
            note=note,
        )
        return edit.group

    async def quit(self, user_id: str, group_id: str) -> GroupInfo:
        return (await self._op("quit", user_id, group_id)).group

    async def dismiss(self, user_id: str, group_id: str) -> GroupInfo:
        return (await self._op("dismiss", user_id, group_id)).group

    async def transfer(self, user_id: str, group_id: str, new_owner: str) -> GroupInfo:
        check_user_id(new_owner)
        return (await self._op("transfer", user_id, group_id, new_owner=new_owner)).group

    async def kick(
        self, user_id: str, group_id: str, user_ids: list[str], reason: str
    ) -> GroupInfo:
        if not user_ids or len(user_ids) > MAX_INVITES_PER_REQUEST:
            raise InvalidParameter(
                f"remove 1–{MAX_INVITES_PER_REQUEST} members per request", field="user_ids"
            )
        for target in user_ids:
            check_user_id(target)
        self._check_text(reason, NOTE_BYTES, "reason")
        return (await self._op("kick", user_id, group_id, user_ids=user_ids, reason=reason)).group

    async def set_role(
        self, user_id: str, group_id: str, target: str, role: GroupRole
    ) -> GroupInfo:
        check_user_id(target)
        return (
            await self._op("set_role", user_id, group_id, user_id=target, role=role.value)
        ).group

    async def mute(self, user_id: str, group_id: str, target: str, seconds: int) -> GroupInfo:
        check_user_id(target)
        if not 0 <= seconds <= MAX_MUTE_SECONDS:
            raise InvalidParameter(f"seconds is 0–{MAX_MUTE_SECONDS}", field="seconds")
        return (await self._op("mute", user_id, group_id, user_id=target, seconds=seconds)).group

    async def update(self, user_id: str, group_id: str, req: UpdateGroupRequest) -> GroupInfo:
        self._check_fields(
            name=req.name,
            introduction=req.introduction,
            notification=req.notification,
            avatar=req.avatar,
            custom=req.custom,
        )
        fields: dict[str, Any] = {
            name: getattr(req, name)
            for name in ("name", "introduction", "notification", "avatar", "custom")
            if getattr(req, name) is not None
        }
        if req.join_option is not None:
            fields["join_option"] = req.join_option.value
        if req.mute_all is not None:
            fields["mute_all"] = req.mute_all
        return (await self._op("update", user_id, group_id, fields=fields)).group

    async def update_member(
        self, user_id: str, group_id: str, target: str, req: MemberUpdate
    ) -> GroupInfo:
        check_user_id(target)
        self._check_text(req.name_card, NAME_CARD_BYTES, "name_card")
        self._check_custom(req.custom, self._member_keys, "custom")
        fields: dict[str, Any] = {}
        if req.name_card is not None:
            fields["name_card"] = req.name_card
        if req.custom is not None:
            fields["custom"] = req.custom
        edit = await self._op("update_member", user_id, group_id, user_id=target, fields=fields)
        return edit.group

    async def create_topic(self, user_id: str, group_id: str, name: str) -> GroupInfo:
        self._check_text(name, self._limits.group_name_bytes, "name", required=True)
        topic_id = "tpc_" + generate_group_id()[4:]
        edit = await self._op("create_topic", user_id, group_id, topic_id=topic_id, name=name)
        return edit.group

    async def topics(self, user_id: str, group_id: str) -> list[GroupInfo]:
        await self._actor_check(user_id, group_id, GroupAction.LIST_MEMBERS)
        return await self._storage.topics(check_group_id(group_id))

    async def pin(self, user_id: str, group_id: str, message_id: str, pin: bool) -> GroupInfo:
        if not message_id or len(message_id) > 64:
            raise InvalidParameter("a message ID has 1–64 characters", field="message_id")
        edit = await self._op("pin", user_id, group_id, message_id=message_id, pin=pin)
        return edit.group

    async def mine(self, user_id: str) -> list[GroupInfo]:
        return await self._storage.groups_of(user_id)
