"""``PeopleViewModel``: the friend sidebar and everything about other people the windows show.

- ``friends``: a flat list model of friend-group headers and friends (remark → nickname → ID),
  filtered by a search text, rebuilt from the store when the friend list changes;
- ``requests`` / ``blocked`` / ``groups``: the requests inbox (incoming and outgoing, with the
  unread count for the rail's badge), the block list and my groups;
- user search, profile cards (``card``), presence (online / last seen, live), my own profile,
  and every action (add friend, accept, refuse, remark, friend group, block, delete).

Every action reports a refusal through ``error_occurred`` in words; results come back through
the core's events like changes made on another device.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from messenger.core.events import (
    ConnectionStateChanged,
    ContactsChanged,
    Event,
    PresenceChanged,
    ProfilesChanged,
)
from messenger.core.models import ConnectionState
from messenger.protocol.errors import MessengerError
from messenger.protocol.models import AllowType, GroupInfo, Profile
from messenger.protocol.social import Friend, FriendRequest, Relation, UserStatus
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.refusals import refusal_text
from messenger.viewmodels.tasks import TaskSet

if TYPE_CHECKING:  # the core's client is imported when an account is shown
    from messenger.core.client import Client

log = logging.getLogger(__name__)

PRESENCE_BATCH = 100  # the server's limit of users per presence query
ALL_PARTS = frozenset({"friends", "requests", "groups", "blocks"})
USER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
IS_HEADER_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("People", text)


error_text = refusal_text  # the people pages' name for it


@dataclass(frozen=True, slots=True)
class ContactRow:
    user_id: str  # "" for a header
    text: str
    group: str = ""  # a header's friend group ("" for the friends in none)


class FriendListModel(QAbstractListModel):
    """Headers ("Family · 3") and friends, grouped by friend group; friends in no group last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ContactRow] = []

    def set_rows(self, rows: list[ContactRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        # (called for every row by the view's layout: kept as cheap as it gets)
        return len(self._rows) if not parent.isValid() else 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == USER_ID_ROLE:
            return row.user_id
        if role == IS_HEADER_ROLE:
            return not row.user_id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if index.isValid() and not self._rows[index.row()].user_id:
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    def user_ids(self) -> list[str]:
        return [r.user_id for r in self._rows if r.user_id]

    def group_at(self, row: int) -> str:
        if 0 <= row < len(self._rows) and not self._rows[row].user_id:
            return self._rows[row].group
        return ""


def last_seen_text(status: UserStatus | None) -> str:
    if status is None:
        return ""
    if status.online:
        return _tr("online")
    if not status.last_seen:
        return _tr("last seen recently")
    when = QDateTime.fromMSecsSinceEpoch(status.last_seen)
    now = QDateTime.currentDateTime()
    if when.date() == now.date():
        return _tr("last seen at {time}").format(time=when.toString("HH:mm"))
    return _tr("last seen {date}").format(date=when.toString("yyyy-MM-dd HH:mm"))


@dataclass(frozen=True, slots=True)
class Card:
    """What a profile card shows of one user, and which actions it offers."""

    user_id: str
    profile: Profile | None
    name: str
    remark: str
    relation: Relation
    blocked: bool
    groups: tuple[str, ...]
    status: str
    is_me: bool


class PeopleViewModel(QObject):
    contacts_changed = Signal()  # friends, groups, blocks or requests changed: read again
    requests_unread_changed = Signal(int)
    presence_changed = Signal(str)  # user ID
    profile_changed = Signal(str)  # a stored profile (mine included) changed: user ID
    search_finished = Signal(list)  # list[Profile]
    error_occurred = Signal(str)
    info = Signal(str)  # a short result to show ("Request sent")

    def __init__(self, client: Client, names: NamesViewModel, parent: QObject | None = None):
        super().__init__(parent)
        self._client = client
        self._names = names
        self._tasks = TaskSet()
        self.friends = FriendListModel(self)
        self.friend_list: list[Friend] = []
        self.requests: list[FriendRequest] = []
        self.blocked: list[str] = []
        self.groups: list[str] = []
        self.my_groups: list[GroupInfo] = []
        self.profiles: dict[str, Profile] = {}
        self.presence: dict[str, UserStatus] = {}
        self._watched: set[str] = set()  # asked by watch_many (the answers stay live)
        self._filter = ""
        self._by_id: dict[str, Friend] = {}
        self._index: list[tuple[int, str, ContactRow, str]] = []
        self._index_dirty = True
        self.unread_requests = 0
        self.loaded = False
        names.names_changed.connect(self._names_changed)

    @property
    def me(self) -> str:
        return self._client.user_id or ""

    # -- loading ---------------------------------------------------------------------------------
    async def load(self, parts: frozenset[str] = ALL_PARTS) -> None:
        """From the store (instant, offline): the ``parts`` that changed ("friends", "requests",
        "groups", "blocks"); profiles only of people not seen yet; presence on the first load."""
        client = self._client
        first = not self.loaded
        if "friends" in parts:
            self.friend_list = await client.friends()
            self._by_id = {f.user_id: f for f in self.friend_list}
        if "requests" in parts:
            self.requests = await client.friend_requests()
        if "blocks" in parts:
            self.blocked = await client.blocked_users()
        if "groups" in parts:
            self.groups = await client.friend_groups()
        others = [f.user_id for f in self.friend_list]
        others += [r.sender if r.receiver == self.me else r.receiver for r in self.requests]
        others += self.blocked
        unseen = [u for u in dict.fromkeys([self.me, *others]) if u not in self.profiles]
        if unseen:
            self.profiles.update(await client.stored_profiles(unseen))
            await self._names.load_cached(unseen)
        if first:
            self._my_connection(client.connection_state is ConnectionState.CONNECTED)
        self.loaded = True
        if parts & {"friends", "groups"}:
            self._index_dirty = True
            self._rebuild()
        self._count_unread()
        self.contacts_changed.emit()
        if first and self.friend_list:
            self._tasks.spawn(self._query_presence([f.user_id for f in self.friend_list][:100]))

    async def load_my_groups(self) -> None:
        try:
            self.my_groups = await self._client.groups()
        except MessengerError as exc:
            log.info("groups not loaded: %r", exc)
        self.contacts_changed.emit()

    async def _query_presence(self, user_ids: list[str]) -> None:
        for status in await self._client.presence(user_ids):
            self._set_status(status)

    def watch(self, user_id: str) -> None:
        """Ask for one user's presence now (the chat header of a stranger, say)."""
        if user_id and user_id != self.me:
            self._tasks.spawn(self._query_presence([user_id]))

    def watch_many(self, user_ids: Sequence[str]) -> None:
        """Ask for the presence of those not asked yet (a group's members as they are shown),
        a hundred per request; answers and later changes come as ``presence_changed``."""
        new = [u for u in dict.fromkeys(user_ids) if u != self.me and u not in self._watched]
        self._watched.update(new)
        for start in range(0, len(new), PRESENCE_BATCH):
            self._tasks.spawn(self._query_presence(new[start : start + PRESENCE_BATCH]))

    def _set_status(self, status: UserStatus) -> None:
        self.presence[status.user_id] = status
        self.presence_changed.emit(status.user_id)

    def status_text(self, user_id: str) -> str:
        """ "online" / "last seen …", and the user's status text after a dot."""
        status = self.presence.get(user_id)
        seen = last_seen_text(status)
        if status is not None and status.text:
            return f"{seen} · {status.text}" if seen else status.text
        return seen

    def _my_connection(self, connected: bool) -> None:
        """I am online while this device is connected (the server tells others, not me): my
        own dot in member lists, "online" on my card."""
        mine = self.presence.get(self.me) or UserStatus(user_id=self.me)
        if self.me and mine.online != connected:
            self._set_status(
                UserStatus(user_id=self.me, online=connected, last_seen=0, text=mine.text)
            )

    def is_online(self, user_id: str) -> bool:
        status = self.presence.get(user_id)
        return bool(status and status.online)

    def _count_unread(self) -> None:
        unread = sum(1 for r in self.requests if r.receiver == self.me and r.unread)
        if unread != self.unread_requests:
            self.unread_requests = unread
            self.requests_unread_changed.emit(unread)

    # -- the friend list ---------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._rebuild()

    def _names_changed(self) -> None:
        self._index_dirty = True
        self._rebuild()

    def _reindex(self) -> None:
        """Every friend's row, its search key and its place, sorted once per change of the
        friend list or of names; a keystroke only filters this."""
        display = self._names.display
        nickname = self._names.nickname
        groups = {name: i for i, name in enumerate(self.groups)}
        index: list[tuple[int, str, ContactRow, str]] = []
        for friend in self.friend_list:
            name = display(friend.user_id)
            key = f"{name}\n{nickname(friend.user_id)}\n{friend.user_id}".casefold()
            row = ContactRow(friend.user_id, name)
            places = [groups[g] for g in friend.groups if g in groups] or [len(groups)]
            for place in places:
                index.append((place, name.casefold(), row, key))
        index.sort(key=lambda entry: (entry[0], entry[1]))
        self._index = index
        self._index_dirty = False

    def _rebuild(self) -> None:
        if not self.loaded:
            return
        if self._index_dirty:
            self._reindex()
        needle = self._filter
        entries = [e for e in self._index if needle in e[3]] if needle else self._index
        by_place: dict[int, list[ContactRow]] = {}
        if not needle:  # every friend group shows, empty ones too
            by_place = {place: [] for place in range(len(self.groups))}
        for place, _, row, _ in entries:
            found = by_place.get(place)
            if found is None:
                by_place[place] = found = []
            found.append(row)
        titles = [*self.groups, _tr("Friends")]
        rows: list[ContactRow] = []
        for place in sorted(by_place):
            members = by_place[place]
            if self.groups:  # no friend groups at all: a plain list, no header
                group = self.groups[place] if place < len(self.groups) else ""
                rows.append(ContactRow("", f"{titles[place]} · {len(members)}", group))
            rows.extend(members)
        self.friends.set_rows(rows)

    # -- cards ---------------------------------------------------------------------------------------
    def waiting_request_from(self, user_id: str) -> bool:
        """Whether ``user_id`` asked to be my friend and I have not answered yet."""
        return any(r.sender == user_id and r.receiver == self.me for r in self.requests)

    def relation_of(self, user_id: str) -> Relation:
        return Relation.MINE if user_id in self._by_id else Relation.NONE

    def card(self, user_id: str) -> Card:
        friend = self._by_id.get(user_id)
        return Card(
            user_id=user_id,
            profile=self.profiles.get(user_id),
            name=self._names.display(user_id),
            remark=friend.remark if friend else "",
            relation=Relation.MINE if friend else Relation.NONE,
            blocked=user_id in self.blocked,
            groups=tuple(friend.groups) if friend else (),
            status=self.status_text(user_id),
            is_me=user_id == self.me,
        )

    async def fetch_profile(self, user_id: str) -> None:
        """A fresh profile of ``user_id`` for its card (``profile_changed`` when it arrives)."""
        found = await self._client.fetch_profiles([user_id], max_age_ms=0)
        if user_id in found:
            self.profiles[user_id] = found[user_id]
            self._names.learn([found[user_id]])
            self.profile_changed.emit(user_id)
        self.watch(user_id)

    def my_profile(self) -> Profile:
        return self.profiles.get(self.me) or Profile(user_id=self.me, nickname=self.me)

    # -- search ----------------------------------------------------------------------------------------
    async def search(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.search_finished.emit([])
            return
        try:
            page = await self._client.search_users(text, limit=30)
        except MessengerError as exc:
            self.error_occurred.emit(error_text(exc))
            return
        for profile in page.users:
            self.profiles[profile.user_id] = profile
        self._names.learn(page.users)
        self.search_finished.emit(list(page.users))

    # -- actions -----------------------------------------------------------------------------------------
    async def _act(self, work: Awaitable[object], done: str = "") -> bool:
        try:
            await work
        except MessengerError as exc:
            self.error_occurred.emit(error_text(exc))
            return False
        if done:
            self.info.emit(done)
        return True

    async def add_friend(
        self, user_id: str, note: str = "", remark: str = "", group: str = ""
    ) -> bool:
        try:
            result = await self._client.add_friend(
                user_id, note=note, remark=remark, group=group, source="search"
            )
        except MessengerError as exc:
            self.error_occurred.emit(error_text(exc))
            return False
        self.info.emit(_tr("Added as a friend") if result == "added" else _tr("Request sent"))
        return True

    async def accept(
        self, user_id: str, remark: str = "", *, group: str = "", both: bool = True
    ) -> bool:
        """Accept ``user_id``'s request: both ways (they join my list too, with ``remark`` and
        in friend ``group``) or one way (only I join theirs)."""
        accepting = self._client.accept_friend_request(
            user_id, remark=remark, group=group, both=both
        )
        return await self._act(accepting)

    async def answer_request(self, user_id: str, accept: bool) -> str:
        """Accept (both ways) or refuse ``user_id``'s request from its notice; "" when done, else
        the reason in words, for the caller to show where the user acted."""
        try:
            if accept:
                await self._client.accept_friend_request(user_id)
            else:
                await self._client.refuse_friend_request(user_id)
        except MessengerError as exc:
            return error_text(exc)
        return ""

    async def refuse(self, user_id: str) -> bool:
        return await self._act(self._client.refuse_friend_request(user_id))

    async def withdraw(self, user_id: str) -> bool:
        return await self._act(self._client.delete_friend_request(user_id))

    async def mark_requests_read(self) -> None:
        if self.unread_requests:
            await self._act(self._client.mark_friend_requests_read())

    async def set_remark(self, user_id: str, remark: str) -> bool:
        return await self._act(self._client.set_friend_remark(user_id, remark))

    async def set_groups(self, user_id: str, groups: list[str]) -> bool:
        missing = [g for g in groups if g not in self.groups]
        for name in missing:
            if not await self._act(self._client.create_friend_group(name)):
                return False
        return await self._act(self._client.set_friend_groups(user_id, groups))

    async def rename_group(self, name: str, new_name: str) -> bool:
        new_name = new_name.strip()
        if not new_name or new_name == name:
            return False
        return await self._act(self._client.edit_friend_group(name, new_name=new_name))

    async def delete_group(self, name: str) -> bool:
        return await self._act(self._client.delete_friend_group(name))

    async def my_status_text(self) -> str:
        try:
            [status] = await self._client.presence([self.me])
        except MessengerError as exc:
            log.info("my status not read: %r", exc)
            return ""
        return status.text

    async def set_status_text(self, text: str) -> bool:
        return await self._act(self._client.set_status_text(text.strip()))

    def group_of_header(self, row: int) -> str:
        """The friend group whose header is at ``row`` of the friend list ("" if none)."""
        return self.friends.group_at(row)

    async def delete_friend(self, user_id: str) -> bool:
        return await self._act(self._client.delete_friend(user_id, both=True))

    async def set_blocked(self, user_id: str, blocked: bool) -> bool:
        work = self._client.block(user_id) if blocked else self._client.unblock(user_id)
        return await self._act(work)

    async def update_profile(self, **fields: Any) -> bool:
        try:
            profile = await self._client.update_profile(**fields)
        except MessengerError as exc:
            self.error_occurred.emit(error_text(exc))
            return False
        self.profiles[profile.user_id] = profile
        self.profile_changed.emit(profile.user_id)
        return True

    async def upload_avatar(self, image: bytes) -> str:
        try:
            return await self._client.upload_avatar(image)
        except MessengerError as exc:
            self.error_occurred.emit(error_text(exc))
            return ""

    async def avatar(self, avatar_id: str) -> bytes:
        try:
            return await self._client.avatar(avatar_id)
        except MessengerError as exc:
            log.info("avatar %s not loaded: %r", avatar_id, exc)
            return b""

    # -- events --------------------------------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        if isinstance(event, ContactsChanged):
            self._tasks.spawn(self.load(event.parts))
        elif isinstance(event, PresenceChanged):
            for status in event.statuses:
                self._set_status(status)
        elif isinstance(event, ConnectionStateChanged):
            self._my_connection(event.state is ConnectionState.CONNECTED)
            if event.state is ConnectionState.CONNECTED and self._watched:
                # A subscription ends with the connection: ask again (and subscribe again).
                asked, self._watched = list(self._watched), set()
                self.watch_many(asked)
        elif isinstance(event, ProfilesChanged):
            for profile in event.profiles:
                self.profiles[profile.user_id] = profile
                self.profile_changed.emit(profile.user_id)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Background work tied to this account (cancelled when it goes away)."""
        self._tasks.spawn(work)

    def close(self) -> None:
        self._tasks.close()


ALLOW_TYPES = (AllowType.ANYONE, AllowType.APPROVAL, AllowType.NOBODY)
