"""The permission matrix, generated from ``protocol.group_rules.MATRIX``: every group action by
every kind of caller (owner, admin, member, non-member, app admin) in every group type, through
the real server. An allowed case succeeds and shows its effect; a refused case gets a typed error
and the group (profile, members and roles, history, pending applications) is unchanged."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

from messenger.protocol import errors
from messenger.protocol.group_rules import (
    FIXED_JOIN_OPTION,
    MATRIX,
    Actor,
    GroupAction,
    allows,
)
from messenger.protocol.models import GroupType, JoinOption
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess


@dataclass
class Cast:
    """A fresh group of ``type`` and everyone who acts on it."""

    type: GroupType
    group_id: str
    owner: RawDevice
    admin: RawDevice | None  # None: the type has no admins
    member: RawDevice
    target: RawDevice  # a plain member the member-directed actions aim at
    outsider: RawDevice
    app_admin: RawDevice
    pinned_candidate: str  # a message to pin
    newcomer: str  # signed up, in no group
    application_id: int = 0

    def device(self, actor: Actor) -> RawDevice:
        found = {
            Actor.OWNER: self.owner,
            Actor.ADMIN: self.admin,
            Actor.MEMBER: self.member,
            Actor.NON_MEMBER: self.outsider,
            Actor.APP_ADMIN: self.app_admin,
        }[actor]
        assert found is not None
        return found

    @property
    def conversation_id(self) -> str:
        return "GROUP" + self.group_id


def has_admins(group_type: GroupType) -> bool:
    return bool(MATRIX[group_type][GroupAction.SET_ADMIN])


ROLES = ("own", "adm", "mem", "tgt", "out", "new", "app")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of this module's own: its seven sessions make every case's calls, thousands of
    requests and hundreds of messages per user in a few seconds, so the per-user request and
    message rates (tested in test_admission.py and test_messaging.py) are raised here: on a
    quiet machine the owner's sends outran the message rate."""
    env = {
        "MESSENGER_USER_REQUEST_RATE": "100000",
        "MESSENGER_USER_REQUEST_BURST": "100000",
        "MESSENGER_USER_MSG_RATE": "100000",
        "MESSENGER_USER_MSG_BURST": "100000",
    }
    folder = tmp_path_factory.mktemp("matrix-server")
    proc = ServerProcess(folder, "--sqlite-synchronous", "NORMAL", env=env)
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def people(server: ServerProcess) -> dict[str, tuple[str, str]]:
    """One signed-in session per part, shared by the module's tests (each test makes its own
    group): name → (user ID, session token)."""

    async def sign_in_all() -> dict[str, tuple[str, str]]:
        found = {}
        for name in ROLES:
            user = "administrator" if name == "app" else uid(name)
            device = await RawDevice(server.url, user).sign_in()
            found[name] = (user, device.token)
            await device.aclose()
        return found

    return asyncio.run(sign_in_all())


@pytest.fixture
async def make_cast(
    server: ServerProcess, people: dict[str, tuple[str, str]]
) -> AsyncIterator[Callable[..., Awaitable[Cast]]]:
    made: list[RawDevice] = []

    def device(name: str) -> RawDevice:
        user, token = people[name]
        # one HTTP client for all (each request carries its own token)
        found = RawDevice(server.url, user, http=made[0].http if made else None)
        found.token = token
        made.append(found)
        return found

    async def new(group_type: GroupType, *, approval: bool = False) -> Cast:
        return await cast_for(device, group_type, approval=approval)

    yield new
    if made:
        await made[0].aclose()


async def cast_for(
    device: Callable[[str], RawDevice], group_type: GroupType, *, approval: bool = False
) -> Cast:
    owner, admin, member, target, outsider, app_admin = (
        device(n) for n in ("own", "adm", "mem", "tgt", "out", "app")
    )
    newcomer = device("new").user_id
    group_id = uid("g")
    is_live = group_type is GroupType.AVCHATROOM
    members: list[dict[str, str]] = []
    if not is_live:
        members = [{"user_id": member.user_id}, {"user_id": target.user_id}]
        if has_admins(group_type):
            members.append({"user_id": admin.user_id, "role": "admin"})
    await owner.call(
        "create_group",
        body={"name": "Matrix", "group_id": group_id, "type": group_type, "member_list": members},
    )
    if is_live:  # nobody is invited into a live room: they join
        for joiner in (member, target):
            await joiner.call("join_group", body={}, group_id=group_id)
    if approval and group_type not in FIXED_JOIN_OPTION:
        await owner.call("update_group", body={"join_option": "approval"}, group_id=group_id)
    sent = await owner.send("GROUP" + group_id, "pin me")
    cast = Cast(
        group_type,
        group_id,
        owner,
        admin if has_admins(group_type) else None,
        member,
        target,
        outsider,
        app_admin,
        sent.message_id,
        newcomer,
    )
    if approval:
        applicant = device("new")
        result = await applicant.call("join_group", body={"note": "hi"}, group_id=group_id)
        assert result.status == "waiting_approval"
        cast.application_id = result.application_id
    return cast


async def snapshot(cast: Cast) -> Any:
    """Everything a refused action must leave as it was, as the owner sees it."""
    o = cast.owner
    group = await o.call("get_group", group_id=cast.group_id)
    members = await o.call("list_members", group_id=cast.group_id, query={"limit": 100})
    history = await o.history(cast.conversation_id, limit=100)
    pending = None
    if allows(cast.type, GroupAction.HANDLE_APPLICATION, Actor.OWNER):
        pending = await o.call("group_applications", group_id=cast.group_id)
    return msgspec.to_builtins((group, members, history.messages, pending))


MakeCast = Callable[..., Awaitable[Cast]]
Act = Callable[[RawDevice, Cast], Awaitable[Any]]
Effect = Callable[[Cast, Any], Awaitable[None]]


async def _member_ids(cast: Cast) -> dict[str, Any]:
    page = await cast.app_admin.call("list_members", group_id=cast.group_id, query={"limit": 100})
    return {m.user_id: m for m in page.members}


async def _fresh_user(d: RawDevice, cast: Cast) -> Any:
    return await d.call("add_members", body={"user_ids": [cast.newcomer]}, group_id=cast.group_id)


ACTS: dict[GroupAction, Act] = {
    GroupAction.VIEW: lambda d, c: d.call("get_group", group_id=c.group_id),
    GroupAction.JOIN: lambda d, c: d.call("join_group", body={"note": "x"}, group_id=c.group_id),
    GroupAction.INVITE: _fresh_user,
    GroupAction.KICK: lambda d, c: d.call(
        "kick_members", body={"user_ids": [c.target.user_id], "reason": "r"}, group_id=c.group_id
    ),
    GroupAction.MUTE: lambda d, c: d.call(
        "mute_member", body={"seconds": 600}, group_id=c.group_id, user_id=c.target.user_id
    ),
    GroupAction.MUTE_ALL: lambda d, c: d.call(
        "update_group", body={"mute_all": True}, group_id=c.group_id
    ),
    GroupAction.SET_ADMIN: lambda d, c: d.call(
        "set_member_role", body={"role": "admin"}, group_id=c.group_id, user_id=c.target.user_id
    ),
    GroupAction.EDIT_PROFILE: lambda d, c: d.call(
        "update_group", body={"name": "Renamed", "notification": "hello"}, group_id=c.group_id
    ),
    GroupAction.DISMISS: lambda d, c: d.call("dismiss_group", group_id=c.group_id),
    GroupAction.QUIT: lambda d, c: d.call("quit_group", group_id=c.group_id),
    GroupAction.TRANSFER: lambda d, c: d.call(
        "transfer_owner", body={"new_owner": c.target.user_id}, group_id=c.group_id
    ),
    GroupAction.HANDLE_APPLICATION: lambda d, c: d.call(
        "handle_application",
        body={"approve": True},
        group_id=c.group_id,
        application_id=c.application_id,
    ),
    GroupAction.PIN: lambda d, c: d.call(
        "pin_message", body={"message_id": c.pinned_candidate}, group_id=c.group_id
    ),
    GroupAction.LIST_MEMBERS: lambda d, c: d.call("list_members", group_id=c.group_id),
    GroupAction.MANAGE_TOPICS: lambda d, c: d.call(
        "create_topic", body={"name": "Topic"}, group_id=c.group_id
    ),
}


async def _effect(action: GroupAction, actor: Actor, cast: Cast, result: Any) -> None:
    """What the caller (and everyone) can see after an allowed action."""
    if action is GroupAction.VIEW:
        assert result.group_id == cast.group_id
    elif action is GroupAction.JOIN:
        expected = "joined" if cast.type in (GroupType.MEETING, GroupType.AVCHATROOM) else None
        if cast.type is GroupType.COMMUNITY:
            expected = "joined"
        if cast.type is GroupType.PUBLIC:
            expected = "waiting_approval"
        assert result.status == expected
        if expected == "joined":
            assert cast.device(actor).user_id in await _member_ids(cast)
    elif action is GroupAction.INVITE:
        assert result.member_count == len(await _member_ids(cast))
    elif action is GroupAction.KICK:
        assert cast.target.user_id not in await _member_ids(cast)
    elif action is GroupAction.MUTE:
        muted = (await _member_ids(cast))[cast.target.user_id].mute_until
        assert muted > time.time() * 1000 + 500_000
    elif action is GroupAction.MUTE_ALL:
        assert (await cast.owner.call("get_group", group_id=cast.group_id)).mute_all
    elif action is GroupAction.SET_ADMIN:
        assert (await _member_ids(cast))[cast.target.user_id].role == "admin"
    elif action is GroupAction.EDIT_PROFILE:
        group = await cast.owner.call("get_group", group_id=cast.group_id)
        assert (group.name, group.notification) == ("Renamed", "hello")
    elif action is GroupAction.DISMISS:
        with pytest.raises(errors.GroupNotFound):
            await cast.owner.call("get_group", group_id=cast.group_id)
    elif action is GroupAction.QUIT:
        assert cast.device(actor).user_id not in await _member_ids(cast)
    elif action is GroupAction.TRANSFER:
        group = await cast.target.call("get_group", group_id=cast.group_id)
        assert group.owner == cast.target.user_id
        roles = await _member_ids(cast)
        assert roles[cast.owner.user_id].role == "member"
    elif action is GroupAction.HANDLE_APPLICATION:
        assert (
            await cast.owner.call("group_applications", group_id=cast.group_id)
        ).applications == []
    elif action is GroupAction.PIN:
        group = await cast.member.call("get_group", group_id=cast.group_id)
        assert group.pinned == [cast.pinned_candidate]
    elif action is GroupAction.LIST_MEMBERS:
        assert result.total >= 3
    elif action is GroupAction.MANAGE_TOPICS:
        topics = (await cast.member.call("topics", group_id=cast.group_id)).groups
        assert [(t.name, t.parent) for t in topics] == [("Topic", cast.group_id)]


def _cases() -> list[Any]:
    cases = []
    for group_type, rules in MATRIX.items():
        for action in rules:
            if action is GroupAction.HANDLE_APPLICATION and group_type in FIXED_JOIN_OPTION:
                continue  # no application can exist: joining is free or forbidden
            for actor in Actor:
                if actor is Actor.ADMIN and not has_admins(group_type):
                    continue
                if action is GroupAction.JOIN and actor in (Actor.OWNER, Actor.ADMIN, Actor.MEMBER):
                    continue  # a member "joins" with status already_member (tested below)
                cases.append(
                    pytest.param(group_type, action, actor, id=f"{group_type}-{action}-{actor}")
                )
    return cases


REFUSALS = (errors.PermissionDenied,)  # NotMember, GroupActionForbidden, OwnerCannotQuit


@pytest.mark.parametrize(("group_type", "action", "actor"), _cases())
async def test_matrix(
    make_cast: MakeCast, group_type: GroupType, action: GroupAction, actor: Actor
) -> None:
    cast = await make_cast(group_type, approval=action is GroupAction.HANDLE_APPLICATION)
    device = cast.device(actor)
    expected = allows(group_type, action, Actor.NON_MEMBER if action is GroupAction.JOIN else actor)
    if action is GroupAction.JOIN and actor is Actor.APP_ADMIN:
        expected = allows(group_type, action, Actor.NON_MEMBER)  # joins as anyone would
    before = await snapshot(cast)
    if expected:
        result = await ACTS[action](device, cast)
        await _effect(action, actor, cast, result)
        return
    with pytest.raises(REFUSALS) as refused:
        await ACTS[action](device, cast)
    assert type(refused.value) is not errors.MessengerError
    assert await snapshot(cast) == before, "a refused action changed the group"


def test_every_type_and_action_is_in_the_table() -> None:
    assert set(MATRIX) == set(GroupType)
    for rules in MATRIX.values():
        assert set(rules) == set(GroupAction)


@pytest.mark.parametrize("group_type", [t for t in GroupType if t is not GroupType.AVCHATROOM])
async def test_a_member_joining_again_is_already_member(
    make_cast: MakeCast, group_type: GroupType
) -> None:
    cast = await make_cast(group_type)
    before = await snapshot(cast)
    result = await cast.member.call("join_group", body={}, group_id=cast.group_id)
    assert result.status == "already_member"
    assert await snapshot(cast) == before


@pytest.mark.parametrize("group_type", [GroupType.PUBLIC, GroupType.MEETING, GroupType.COMMUNITY])
async def test_an_admin_cannot_act_on_another_admin_or_the_owner(
    make_cast: MakeCast, group_type: GroupType
) -> None:
    cast = await make_cast(group_type)
    assert cast.admin is not None
    await cast.owner.call(
        "set_member_role",
        body={"role": "admin"},
        group_id=cast.group_id,
        user_id=cast.target.user_id,
    )
    before = await snapshot(cast)
    for victim in (cast.target.user_id, cast.owner.user_id):
        with pytest.raises(errors.PermissionDenied):
            await cast.admin.call(
                "kick_members", body={"user_ids": [victim]}, group_id=cast.group_id
            )
        with pytest.raises(errors.PermissionDenied):
            await cast.admin.call(
                "mute_member", body={"seconds": 60}, group_id=cast.group_id, user_id=victim
            )
    assert await snapshot(cast) == before


async def test_forbidden_join_option_refuses_joins(make_cast: MakeCast) -> None:
    cast = await make_cast(GroupType.PUBLIC)
    await cast.owner.call("update_group", body={"join_option": "forbidden"}, group_id=cast.group_id)
    before = await snapshot(cast)
    with pytest.raises(errors.GroupActionForbidden):
        await cast.outsider.call("join_group", body={}, group_id=cast.group_id)
    assert await snapshot(cast) == before
    for fixed in (GroupType.MEETING, GroupType.WORK):
        other = await make_cast(fixed)
        with pytest.raises(errors.GroupActionForbidden):
            await other.owner.call(
                "update_group", body={"join_option": JoinOption.APPROVAL}, group_id=other.group_id
            )
