"""``GroupViewModel``: the group panel of the open group chat: the group's profile and
``GroupMembersModel``, its members with their roles (owner, then admins, then the others).

Members are loaded a page at a time; the list asks for the next page as it is scrolled
(``canFetchMore`` / ``fetchMore``). Members' name cards feed the names of the whole chat.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)

from messenger.protocol.errors import MessengerError
from messenger.protocol.models import (
    GroupApplication,
    GroupInfo,
    GroupMember,
    GroupRole,
    JoinOption,
    MemberUpdate,
    UpdateGroupRequest,
)
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.group_actions import (
    MemberAction,
    PanelAction,
    member_actions,
    panel_actions,
)
from messenger.viewmodels.message_list import AnyIndex
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.refusals import refusal_text
from messenger.viewmodels.tasks import TaskSet

PAGE = 100
MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # MemberRow
_RANK = {GroupRole.OWNER: 0, GroupRole.ADMIN: 1, GroupRole.MEMBER: 2}


def role_text(role: GroupRole) -> str:
    if role == GroupRole.OWNER:
        return QCoreApplication.translate("Group", "Owner")
    if role == GroupRole.ADMIN:
        return QCoreApplication.translate("Group", "Admin")
    return ""


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: str
    name: str
    role: GroupRole
    role_text: str
    muted: bool = False


ONLINE_RECOUNT_MS = 1000


def now_ms() -> int:
    return int(time.time() * 1000)


def clock_text(ms: int) -> str:
    """A mute's end: the time today, else the date and time."""
    when = QDateTime.fromMSecsSinceEpoch(ms)
    locale = QLocale()
    if when.date() == QDateTime.currentDateTime().date():
        return locale.toString(when.time(), QLocale.FormatType.ShortFormat)
    return locale.toString(when, QLocale.FormatType.ShortFormat)


def _order(member: GroupMember) -> tuple[int, int, str]:
    return (_RANK.get(member.role, 2), member.join_time, member.user_id)


class GroupMembersModel(QAbstractListModel):
    def __init__(
        self,
        names: NamesViewModel,
        fetch_more: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._names = names
        self._fetch_more = fetch_more
        self._members: list[GroupMember] = []
        self._keys: list[tuple[int, int, str]] = []
        self.group_id = ""
        self.total = 0
        self.loading = False
        names.names_changed.connect(self.refresh)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return None
        member = self._members[index.row()]
        name = self._names.display(member.user_id, self.group_id)
        if role == MEMBER_ROLE:
            muted = member.mute_until > now_ms()
            return MemberRow(member.user_id, name, member.role, role_text(member.role), muted)
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            extra = role_text(member.role)
            return f"{name}, {extra}" if extra else name
        return None

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self.loading and len(self._members) < self.total

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self._fetch_more()

    def members(self) -> list[GroupMember]:
        return list(self._members)

    def member(self, user_id: str) -> GroupMember | None:
        return next((m for m in self._members if m.user_id == user_id), None)

    def reset(self, group_id: str, members: Sequence[GroupMember], total: int) -> None:
        self.beginResetModel()
        self.group_id = group_id
        self._members = sorted(members, key=_order)
        self._keys = [_order(m) for m in self._members]
        self.total = total
        self.endResetModel()

    def add(self, members: Sequence[GroupMember], total: int) -> None:
        """A further page: each member goes to its place in the role order."""
        self.total = total
        known = {m.user_id for m in self._members}
        for member in members:
            if member.user_id in known:
                continue
            key = _order(member)
            at = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self._members.insert(at, member)
            self._keys.insert(at, key)
            self.endInsertRows()

    def refresh(self) -> None:
        if self._members:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._members) - 1, 0))


class GroupViewModel(QObject):
    info_changed = Signal()
    members_loaded = Signal()
    online_changed = Signal()  # ``online``: how many members have a device connected
    failed = Signal(str)  # an action the server refused, in words
    left = Signal(str)  # I left (quit, kicked, dismissed) the group with this ID

    def __init__(self, client: ClientApi, names: NamesViewModel, parent: QObject | None = None):
        super().__init__(parent)
        self._client = client
        self._names = names
        self._tasks = TaskSet()
        self.me = client.user_id or ""
        self.members = GroupMembersModel(names, self._load_next_page, self)
        self.info: GroupInfo | None = None
        self.group_id = ""
        self._token = 0
        self.online: int | None = None  # None until the server has said
        # Presence changes of members come one by one: one recount per second at most.
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(ONLINE_RECOUNT_MS)
        self._recount.timeout.connect(lambda: self._tasks.spawn(self._count_online(self._token)))

    @property
    def client(self) -> ClientApi:
        return self._client

    @property
    def my_role(self) -> GroupRole | None:
        for member in self.members.members():
            if member.user_id == self.me:
                return member.role
        if self.info is not None and self.info.owner == self.me:
            return GroupRole.OWNER
        return None

    @property
    def is_admin(self) -> bool:
        return self.my_role in (GroupRole.OWNER, GroupRole.ADMIN)

    def show(self, group_id: str, name: str = "", *, load: bool = True) -> None:
        """Open a group: the panel shows what is known now and loads the rest (``load``; else
        when ``load_shown`` is called: the chat asks once its messages are shown)."""
        self._token += 1
        self.group_id = group_id
        self.info = GroupInfo(group_id=group_id, name=name) if group_id else None
        self.members.reset(group_id, [], 0)
        self.online = None
        self.info_changed.emit()
        self.online_changed.emit()
        if load:
            self.load_shown()

    def load_shown(self) -> None:
        """The shown group's profile, first members and online count, from the server."""
        if self.group_id:
            self._tasks.spawn(self._load(self._token))

    def set_name(self, name: str) -> None:
        """The name the conversation list knows, until the group's profile is loaded."""
        if self.info is not None and not self.info.name:
            self.info = GroupInfo(group_id=self.info.group_id, name=name)
            self.info_changed.emit()

    async def _load(self, token: int) -> None:
        try:  # the profile and the first page at once
            info, page = await asyncio.gather(
                self._client.group(self.group_id), self._client.members(self.group_id, 0, PAGE)
            )
        except MessengerError:
            return  # offline or no longer a member: the panel keeps what it shows
        if token != self._token:
            return
        self.info = info
        await self._learn_names(page.members)
        if token != self._token:
            return
        self.members.reset(self.group_id, page.members, page.total)
        self.info_changed.emit()
        self.members_loaded.emit()
        await self._count_online(token)

    async def _count_online(self, token: int) -> None:
        try:
            online = await self._client.group_online_count(self.group_id)
        except MessengerError:
            return  # offline: the count shown is dropped below, not left stale
        if token == self._token and online != self.online:
            self.online = online
            self.online_changed.emit()

    def online_pushed(self, group_id: str, online: int, members: int) -> None:
        """The server told a live room's members how many of them are online now, and how many
        members it has (its joins are not told one by one)."""
        if group_id != self.group_id:
            return
        info = self.info
        if info is not None and info.member_count != members:
            self.info = msgspec.structs.replace(info, member_count=members)
            self.info_changed.emit()
        if online != self.online:
            self.online = online
            self.online_changed.emit()

    def presence_changed(self, user_id: str) -> None:
        """Someone went online or offline: count again if it is one of the members shown (a
        member further down the list moves the count at the next change or opening)."""
        shown = any(m.user_id == user_id for m in self.members.members())
        if self.group_id and shown and not self._recount.isActive():
            self._recount.start()

    def _load_next_page(self) -> None:
        self.members.loading = True
        self._tasks.spawn(self._next_page(self._token))

    async def _next_page(self, token: int) -> None:
        try:
            page = await self._client.members(self.group_id, self.members.rowCount(), PAGE)
        except MessengerError:
            return
        finally:
            self.members.loading = False
        if token == self._token:
            await self._learn_names(page.members)
            self.members.add(page.members, page.total)
            self.members_loaded.emit()

    async def _learn_names(self, members: Sequence[GroupMember]) -> None:
        self._names.set_cards(self.group_id, {m.user_id: m.name_card for m in members})
        await self._names.load_cached(m.user_id for m in members)

    def on_group_changed(self, group: GroupInfo, member: bool) -> None:
        if group.group_id != self.group_id:
            return
        changed = self.info is None or self.info.version != group.version
        self.info = group
        self.info_changed.emit()
        if not member:
            self.left.emit(group.group_id)
        elif changed:  # members, roles, mutes and name cards change the group's version
            self._token += 1
            self._tasks.spawn(self._load(self._token))

    # -- what I may do ---------------------------------------------------------------------------
    def member_actions(self, user_id: str) -> list[MemberAction]:
        target = self.members.member(user_id)
        if target is None or self.info is None:
            return []
        return member_actions(self.info.type, self.my_role, self.me, target, now_ms())

    def panel_actions(self) -> list[PanelAction]:
        if self.info is None or not self.members.members():
            return []
        return panel_actions(self.info.type, self.my_role)

    def mute_notice(self) -> str:
        """Why I cannot send here now ("" when I can)."""
        me = self.members.member(self.me)
        if me is not None and me.mute_until > now_ms():
            return QCoreApplication.translate("Group", "You are muted until %1").replace(
                "%1", clock_text(me.mute_until)
            )
        if self.info is not None and self.info.mute_all and self.my_role is GroupRole.MEMBER:
            return QCoreApplication.translate(
                "Group", "Everyone is muted: only the owner and admins can send"
            )
        return ""

    # -- doing it --------------------------------------------------------------------------------
    async def _run(self, call: Awaitable[object]) -> bool:
        try:
            await call
        except MessengerError as exc:
            self.failed.emit(refusal_text(exc))
            return False
        self._token += 1
        self._tasks.spawn(self._load(self._token))
        return True

    async def act(
        self, action: MemberAction, user_id: str, *, seconds: int = 600, reason: str = ""
    ) -> bool:
        client, gid = self._client, self.group_id
        if action is MemberAction.MUTE:
            return await self._run(client.mute_member(gid, user_id, seconds))
        if action is MemberAction.UNMUTE:
            return await self._run(client.mute_member(gid, user_id, 0))
        if action is MemberAction.SET_ADMIN:
            return await self._run(client.set_member_role(gid, user_id, GroupRole.ADMIN))
        if action is MemberAction.UNSET_ADMIN:
            return await self._run(client.set_member_role(gid, user_id, GroupRole.MEMBER))
        if action is MemberAction.KICK:
            return await self._run(client.kick_members(gid, [user_id], reason))
        if action is MemberAction.TRANSFER:
            return await self._run(client.transfer_owner(gid, user_id))
        return False

    async def add_members(self, user_ids: Sequence[str]) -> bool:
        return await self._run(self._client.add_members(self.group_id, list(user_ids)))

    async def leave(self) -> bool:
        return await self._run(self._client.quit_group(self.group_id))

    async def dismiss(self) -> bool:
        return await self._run(self._client.dismiss_group(self.group_id))

    async def set_my_card(self, name_card: str) -> bool:
        update = MemberUpdate(name_card=name_card)
        return await self._run(self._client.update_member(self.group_id, self.me, update))

    async def set_mute_all(self, on: bool) -> bool:
        update = UpdateGroupRequest(mute_all=on)
        return await self._run(self._client.update_group(self.group_id, update))

    async def edit(
        self,
        name: str,
        notification: str,
        introduction: str,
        *,
        avatar_png: bytes = b"",
        join_option: JoinOption | None = None,
    ) -> bool:
        """Change what differs from the group's profile; a chosen avatar is uploaded first."""
        info = self.info
        try:
            avatar = await self._client.upload_avatar(avatar_png) if avatar_png else None
        except MessengerError as exc:
            self.failed.emit(refusal_text(exc))
            return False
        if info is not None and join_option == info.join_option:
            join_option = None
        update = UpdateGroupRequest(
            avatar=avatar,
            join_option=join_option,
            name=name if info is None or name != info.name else None,
            notification=notification
            if info is None or notification != info.notification
            else None,
            introduction=introduction
            if info is None or introduction != info.introduction
            else None,
        )
        return await self._run(self._client.update_group(self.group_id, update))

    async def avatar_image(self) -> bytes:
        """The group's current avatar picture (b"" when it has none or it cannot be had)."""
        avatar = self.info.avatar if self.info is not None else ""
        if not avatar:
            return b""
        try:
            return await self._client.avatar(avatar)
        except MessengerError:
            return b""

    async def applications(self) -> list[GroupApplication]:
        try:
            return await self._client.group_applications(self.group_id)
        except MessengerError as exc:
            self.failed.emit(refusal_text(exc))
            return []

    async def handle(self, application_id: int, approve: bool) -> bool:
        call = self._client.handle_application(self.group_id, application_id, approve=approve)
        return await self._run(call)

    def close(self) -> None:
        self._tasks.close()
