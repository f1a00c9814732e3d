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
from messenger.protocol.models import Base, Empty
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


_HANDLERS: dict[str, Handler] = {
    "admin_add_user": _add_user,
    "admin_ban": _ban,
    "admin_unban": _unban,
}


def build_admin_routes(ctx: ServerContext) -> list[Route]:
    async def administrator(request: Request) -> Session | None:
        ctx.auth.authenticate_admin(request.headers.get("authorization"))
        return None

    return [build_route(e, ctx, _HANDLERS[e.name], administrator) for e in ADMIN_ENDPOINTS]
