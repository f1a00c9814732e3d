"""The administration API: what ``messenger-server admin`` does, for a running server.

Modelled on TIM's REST API: the operator's tools sign as an administrator identifier (one of
``admin_users``) with a UserSig made with the app's secret key, sent as
``Authorization: UserSig <identifier>:<usersig>``. The CLI uses these endpoints whenever a server
is running on its data folder, so that bans reach the server's session cache and connected devices
at once, and every write goes through the server's single writer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from messenger.protocol import bounds
from messenger.protocol.api import Endpoint
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import (
    AddMembersRequest,
    Base,
    CreateGroupRequest,
    Empty,
    GroupInfo,
)
from messenger.server.context import ServerContext
from messenger.server.http.handlers import Call, Handler
from messenger.server.http.routes import build_route
from messenger.server.services.auth import Session

SECURITY_SCHEME = "admin"


class AdminUserRequest(Base):
    user_id: bounds.Id
    nickname: bounds.Label = ""
    password: bounds.Password | None = None  # None: the account signs in with UserSigs only
    exist_ok: bool = False  # leave an existing account as it is instead of AlreadyExists


class AdminUserResult(Base):
    user_id: str
    nickname: str
    created: bool


class AdminCreateGroupRequest(Base):
    owner: bounds.Id  # an existing user; the group is theirs as if they had created it
    group: CreateGroupRequest


class AdminNoticeRequest(Base):
    user_ids: bounds.IdList  # 1–500 addressees
    text: bounds.Text


class AdminNoticeResult(Base):
    sent: int  # notices stored (one per addressee)


ADMIN_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "admin_add_user",
        "POST",
        "/v1/admin/users",
        AdminUserResult,
        body=AdminUserRequest,
        auth=False,
        tag="admin",
        summary="Create an account (administrators only)",
    ),
    Endpoint(
        "admin_ban",
        "POST",
        "/v1/admin/users/{user_id}/ban",
        Empty,
        auth=False,
        tag="admin",
        summary="Ban a user: sign-ins refused, every session ended (administrators only)",
    ),
    Endpoint(
        "admin_unban",
        "POST",
        "/v1/admin/users/{user_id}/unban",
        Empty,
        auth=False,
        tag="admin",
        summary="Lift a ban (administrators only)",
    ),
    Endpoint(
        "admin_create_group",
        "POST",
        "/v1/admin/groups",
        GroupInfo,
        body=AdminCreateGroupRequest,
        auth=False,
        tag="admin",
        summary="Create a group owned by an existing user (administrators only)",
    ),
    Endpoint(
        "admin_add_members",
        "POST",
        "/v1/admin/groups/{group_id}/members",
        GroupInfo,
        body=AddMembersRequest,
        auth=False,
        tag="admin",
        summary="Add members to any group, as the app administrator (administrators only)",
    ),
    Endpoint(
        "admin_notice",
        "POST",
        "/v1/admin/notices",
        AdminNoticeResult,
        body=AdminNoticeRequest,
        auth=False,
        tag="admin",
        summary="Send a system notice to users' system conversations (administrators only)",
    ),
)


async def _add_user(c: Call) -> AdminUserResult:
    req: AdminUserRequest = c.body
    profile, created = await c.ctx.auth.add_user(
        req.user_id, req.nickname, req.password, exist_ok=req.exist_ok
    )
    return AdminUserResult(user_id=profile.user_id, nickname=profile.nickname, created=created)


async def _ban(c: Call) -> Empty:
    await c.ctx.auth.set_banned(check_user_id(c.path["user_id"]), True)
    return Empty()


async def _unban(c: Call) -> Empty:
    await c.ctx.auth.set_banned(check_user_id(c.path["user_id"]), False)
    return Empty()


async def _create_group(c: Call) -> GroupInfo:
    req: AdminCreateGroupRequest = c.body
    owner = check_user_id(req.owner)
    await c.ctx.directory.require_user(owner)
    return await c.ctx.groups.create(owner, req.group)


async def _add_members(c: Call) -> GroupInfo:
    req: AddMembersRequest = c.body
    return await c.ctx.groups.add_members(c.user_id, c.path["group_id"], list(req.user_ids))


async def _notice(c: Call) -> AdminNoticeResult:
    req: AdminNoticeRequest = c.body
    return AdminNoticeResult(sent=await c.ctx.notices.send(c.user_id, req.user_ids, req.text))


_HANDLERS: dict[str, Handler] = {
    "admin_add_user": _add_user,
    "admin_ban": _ban,
    "admin_unban": _unban,
    "admin_create_group": _create_group,
    "admin_add_members": _add_members,
    "admin_notice": _notice,
}


def build_admin_routes(ctx: ServerContext) -> list[Route]:
    async def administrator(request: Request) -> Session | None:
        """The administrator as the caller (app admins are exempt from per-user limits)."""
        identifier = ctx.auth.authenticate_admin(request.headers.get("authorization"))
        return Session(token_hash="", user_id=identifier, device_id="", expires_at=0)

    return [build_route(e, ctx, _HANDLERS[e.name], administrator) for e in ADMIN_ENDPOINTS]
