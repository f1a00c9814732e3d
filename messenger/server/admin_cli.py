"""``messenger-server admin``: users, UserSigs, bans, groups and system notices, through the
running server or offline.

While a server runs on the data folder, admin commands go through its admin API (signed with an
administrator UserSig), so that they take effect at once; otherwise they write the data folder
(holding its lock). ``--server URL`` names the server to use. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import httpx
import msgspec

from messenger.protocol import frames
from messenger.protocol.errors import MessengerError, ServerError, error_from_wire
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import AddMembersRequest, CreateGroupRequest, GroupInfo, GroupType
from messenger.server.cli_options import add_common_options, config_from_args
from messenger.server.config import ConfigError, ServerConfig
from messenger.server.context import ServerContext
from messenger.server.http.admin import (
    AdminCreateGroupRequest,
    AdminNoticeRequest,
    AdminNoticeResult,
    AdminUserRequest,
    AdminUserResult,
)
from messenger.server.runtime import (
    DataDirInUse,
    DataDirLock,
    read_run_info,
)

ADMIN_USERSIG_SECONDS = 300  # the admin command's own UserSig: short-lived
RUN_INFO_WAIT = 5.0  # seconds to wait for a starting server to announce its address


def _admin_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="messenger-server admin",
        description="Administer a Messenger server: through its admin API while it runs on the "
        "data folder (or at --server), else directly in the data folder.",
    )
    add_common_options(p)
    p.add_argument(
        "--server",
        default=None,
        metavar="URL",
        help="the server to administer (default: the one running on the data folder, if any)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-user", help="create a user")
    add.add_argument("user_id")
    add.add_argument("--password", default=None)
    add.add_argument("--nickname", default="")
    imp = sub.add_parser("import-users", help="create users from a JSON list or CSV file")
    imp.add_argument("file", type=Path)
    sig = sub.add_parser("usersig", help="print a UserSig for a user")
    sig.add_argument("user_id")
    sig.add_argument("--expire", type=int, default=180 * 86400, help="seconds (default 180 days)")
    for name in ("ban", "unban"):
        b = sub.add_parser(name, help=f"{name} a user")
        b.add_argument("user_id")
    grp = sub.add_parser("create-group", help="create a group owned by an existing user")
    grp.add_argument("owner")
    grp.add_argument("name")
    grp.add_argument("members", nargs="*", help="users to add at once")
    grp.add_argument("--type", choices=[t.value for t in GroupType], default=GroupType.WORK.value)
    grp.add_argument("--group-id", default=None, help="the group's ID (default: a new one)")
    mem = sub.add_parser("add-members", help="add users to a group, as the app administrator")
    mem.add_argument("group_id")
    mem.add_argument("members", nargs="+")
    note = sub.add_parser("notice", help="send a system notice to users")
    note.add_argument("text")
    note.add_argument("users", nargs="+", help="who receives it (their @TIM#SYSTEM)")
    return p


def _read_users(path: Path) -> list[dict[str, str]]:
    """``[{"user_id", "nickname"?, "password"?}, ...]`` from a JSON list or a CSV file with a
    header row (``user_id,nickname,password``)."""
    text = path.read_text("utf-8-sig")  # (a spreadsheet's CSV may start with a BOM)
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, list) or not all(isinstance(u, dict) for u in data):
            raise ValueError("the JSON file must hold a list of user objects")
        return [{k: str(v) for k, v in u.items() if v is not None} for u in data]
    rows = csv.DictReader(text.splitlines())
    if rows.fieldnames is None or "user_id" not in rows.fieldnames:
        raise ValueError("the CSV file needs a header row with a user_id column")
    return [{k: v for k, v in r.items() if k is not None and v is not None} for r in rows]


class _Admin(Protocol):
    async def add_user(
        self, user_id: str, nickname: str, password: str | None, exist_ok: bool
    ) -> bool: ...

    async def set_banned(self, user_id: str, banned: bool) -> None: ...

    async def create_group(self, owner: str, group: CreateGroupRequest) -> GroupInfo: ...

    async def add_members(self, group_id: str, user_ids: list[str]) -> GroupInfo: ...

    async def notice(self, user_ids: list[str], text: str) -> int: ...


class _Direct:
    """No server is running: write the data folder (holding its lock)."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.identifier = ctx.config.admin_users[0] if ctx.config.admin_users else ""

    async def add_user(
        self, user_id: str, nickname: str, password: str | None, exist_ok: bool
    ) -> bool:
        _, created = await self.ctx.auth.add_user(user_id, nickname, password, exist_ok=exist_ok)
        return created

    async def set_banned(self, user_id: str, banned: bool) -> None:
        await self.ctx.auth.set_banned(check_user_id(user_id), banned)

    def _admin(self) -> str:
        if not self.identifier:
            raise ConfigError("admin_users is empty: there is no administrator to act as")
        return self.identifier

    async def create_group(self, owner: str, group: CreateGroupRequest) -> GroupInfo:
        await self.ctx.directory.require_user(check_user_id(owner))
        return await self.ctx.groups.create(owner, group)

    async def add_members(self, group_id: str, user_ids: list[str]) -> GroupInfo:
        return await self.ctx.groups.add_members(self._admin(), group_id, user_ids)

    async def notice(self, user_ids: list[str], text: str) -> int:
        return await self.ctx.notices.send(self._admin(), user_ids, text)


class _Remote:
    """A server is running: use its admin API, signed as an administrator."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def _post(self, path: str, body: object = None) -> bytes:
        content = frames.encode(body) if body is not None else b"{}"
        response = await self.http.post(path, content=content)
        if response.status_code >= 400:
            try:
                raise error_from_wire(response.json())
            except ValueError:
                raise ServerError(f"HTTP {response.status_code} from the server") from None
        return response.content

    async def add_user(
        self, user_id: str, nickname: str, password: str | None, exist_ok: bool
    ) -> bool:
        request = AdminUserRequest(
            user_id=user_id, nickname=nickname, password=password, exist_ok=exist_ok
        )
        raw = await self._post("/v1/admin/users", request)
        return msgspec.json.decode(raw, type=AdminUserResult).created

    async def set_banned(self, user_id: str, banned: bool) -> None:
        action = "ban" if banned else "unban"
        await self._post(f"/v1/admin/users/{quote(check_user_id(user_id), safe='')}/{action}")

    async def create_group(self, owner: str, group: CreateGroupRequest) -> GroupInfo:
        raw = await self._post(
            "/v1/admin/groups", AdminCreateGroupRequest(owner=owner, group=group)
        )
        return msgspec.json.decode(raw, type=GroupInfo)

    async def add_members(self, group_id: str, user_ids: list[str]) -> GroupInfo:
        path = f"/v1/admin/groups/{quote(group_id, safe='')}/members"
        raw = await self._post(path, AddMembersRequest(user_ids=user_ids))
        return msgspec.json.decode(raw, type=GroupInfo)

    async def notice(self, user_ids: list[str], text: str) -> int:
        raw = await self._post(
            "/v1/admin/notices", AdminNoticeRequest(user_ids=user_ids, text=text)
        )
        return msgspec.json.decode(raw, type=AdminNoticeResult).sent


async def _run_admin(args: argparse.Namespace, target: _Admin) -> None:
    if args.command == "add-user":
        await target.add_user(args.user_id, args.nickname, args.password, False)
        print(f"created {args.user_id}")
    elif args.command == "import-users":
        created = skipped = 0
        for row in _read_users(args.file):
            new = await target.add_user(
                row.get("user_id", "").strip(),
                row.get("nickname", "").strip(),
                row.get("password") or None,
                True,
            )
            created, skipped = created + new, skipped + (not new)
        print(f"created {created} users, {skipped} already existed")
    elif args.command in ("ban", "unban"):
        await target.set_banned(args.user_id, args.command == "ban")
        print(f"{args.command}ned {args.user_id}")
    elif args.command == "create-group":
        request = CreateGroupRequest(
            name=args.name, group_id=args.group_id, type=GroupType(args.type), members=args.members
        )
        group = await target.create_group(args.owner, request)
        print(f"created group {group.group_id} ({group.member_count} members)")
    elif args.command == "add-members":
        group = await target.add_members(args.group_id, args.members)
        print(f"{group.group_id} has {group.member_count} members")
    elif args.command == "notice":
        sent = await target.notice(args.users, args.text)
        print(f"sent {sent} notices")


async def _remote(args: argparse.Namespace, config: ServerConfig, url: str) -> None:
    if not config.admin_users:
        raise ConfigError("admin_users is empty: there is no administrator to sign as")
    identifier = config.admin_users[0]
    ctx = ServerContext.build(config)
    sig = ctx.auth.issue_usersig(identifier, ADMIN_USERSIG_SECONDS)
    headers = {"Authorization": f"UserSig {identifier}:{sig}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        try:
            await _run_admin(args, _Remote(http))
        except httpx.HTTPError as exc:
            raise ServerError(f"the server at {url} did not answer: {exc}") from None


async def _direct(args: argparse.Namespace, config: ServerConfig) -> None:
    ctx = ServerContext.build(config)
    await ctx.storage.open()
    try:
        await _run_admin(args, _Direct(ctx))
    finally:
        await ctx.storage.close()


def _running_server_url(data_dir: Path, lock: DataDirLock) -> str | None:
    """The URL of the server running on ``data_dir``; None (holding ``lock``) when none is."""
    deadline = time.monotonic() + RUN_INFO_WAIT
    while True:
        if lock.try_acquire():
            return None
        url = read_run_info(data_dir)
        if url is not None:
            return url
        if time.monotonic() > deadline:  # locked, but not announced: starting, or stuck
            raise DataDirInUse(f"{data_dir} is in use, but no server there announced its address")
        time.sleep(0.05)


def admin_main(argv: Sequence[str]) -> int:
    args = _admin_parser().parse_args(argv)
    try:
        config = config_from_args(args)
    except ConfigError as exc:
        print(f"messenger-server admin: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "usersig":
            check_user_id(args.user_id)
            print(ServerContext.build(config).auth.issue_usersig(args.user_id, args.expire))
            return 0
        lock = DataDirLock(config.data_dir)
        url = args.server or _running_server_url(config.data_dir, lock)
        try:
            if url is not None:
                asyncio.run(_remote(args, config, url))
            else:
                asyncio.run(_direct(args, config))
        finally:
            lock.release()
    except (ConfigError, MessengerError, DataDirInUse, OSError, ValueError) as exc:
        print(f"messenger-server admin: {exc}", file=sys.stderr)
        return 1
    return 0
