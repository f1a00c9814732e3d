"""``PeopleStorage`` on SQLite: the functions of ``profiles`` and ``friends`` run by the writer
(writes) or a reader thread (reads)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from messenger.protocol.models import Profile
from messenger.protocol.social import (
    AcceptRequest,
    AddFriendRequest,
    Contacts,
    FriendGroupEdit,
    FriendUpdate,
    ProfileUpdate,
    Relation,
)
from messenger.server.storage.base import OnCommit
from messenger.server.storage.people import PeopleLimits, PeopleOutcome, PeopleStorage
from messenger.server.storage.sqlite import friends, profiles
from messenger.server.storage.sqlite.database import SqliteDatabase, WriteTxn

T = TypeVar("T")


class SqlitePeopleStorage(PeopleStorage):
    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    async def _write(self, fn: Callable[[WriteTxn], T], on_commit: OnCommit[T] = None) -> T:
        return await self.db.write(fn, on_commit)

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        return await self.db.read(lambda conn: fn(conn, *args))

    # -- profiles --------------------------------------------------------------------------------
    async def profile(self, user_id: str) -> Profile | None:
        return await self._read(profiles.get_profile, user_id)

    async def profiles(self, user_ids: Sequence[str]) -> list[Profile]:
        return await self._read(profiles.get_profiles, list(user_ids))

    async def update_profile(
        self, user_id: str, update: ProfileUpdate, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        def job(txn: WriteTxn) -> PeopleOutcome:
            profile = profiles.update_profile(txn, user_id, update)
            watchers = profiles.watchers(txn.conn, user_id)
            peers = profiles.group_peers(txn.conn, user_id)
            return PeopleOutcome(result=(profile, watchers, peers))

        return await self._write(job, on_commit)

    async def search_users(self, query: str, offset: int, limit: int) -> tuple[list[Profile], bool]:
        return await self._read(profiles.search_users, query, offset, limit)

    async def watchers(self, user_id: str) -> list[str]:
        return await self._read(profiles.watchers, user_id)

    async def watchers_of(self, user_ids: Sequence[str]) -> dict[str, list[str]]:
        return await self._read(profiles.watchers_of, list(user_ids))

    async def set_last_seen_many(self, when: dict[str, int]) -> None:
        await self._write(partial(profiles.set_last_seen_many, when=dict(when)))

    async def set_status_text(self, user_id: str, text: str) -> None:
        await self._write(partial(profiles.set_status_text, user_id=user_id, text=text))

    async def status_texts(self, user_ids: Sequence[str]) -> dict[str, str]:
        return await self._read(profiles.status_texts, list(user_ids))

    async def last_seen(self, user_ids: Sequence[str]) -> dict[str, tuple[int, bool]]:
        return await self._read(profiles.last_seen, list(user_ids))

    # -- friends -----------------------------------------------------------------------------------
    async def contacts(self, user_id: str) -> Contacts:
        return await self._read(friends.contacts, user_id)

    async def relation(self, user_id: str, other: str) -> Relation:
        return await self._read(friends.relation, user_id, other)

    async def blocked_by(self, owner: str) -> frozenset[str]:
        return await self._read(friends.blocked_by, owner)

    async def add_friend(
        self,
        user_id: str,
        req: AddFriendRequest,
        limits: PeopleLimits,
        notice_id: str,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome:
        job = partial(
            friends.add_friend, user_id=user_id, req=req, limits=limits, notice_id=notice_id
        )
        return await self._write(job, on_commit)

    async def accept_request(
        self,
        user_id: str,
        sender: str,
        req: AcceptRequest,
        limits: PeopleLimits,
        notice_id: str,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome:
        job = partial(
            friends.accept_request,
            user_id=user_id,
            sender=sender,
            req=req,
            limits=limits,
            notice_id=notice_id,
        )
        return await self._write(job, on_commit)

    async def refuse_request(
        self, user_id: str, sender: str, notice_id: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        job = partial(friends.refuse_request, user_id=user_id, sender=sender, notice_id=notice_id)
        return await self._write(job, on_commit)

    async def delete_request(
        self, user_id: str, other: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        return await self._write(
            partial(friends.delete_request, user_id=user_id, other=other), on_commit
        )

    async def read_requests(
        self, user_id: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        return await self._write(partial(friends.read_requests, user_id=user_id), on_commit)

    async def update_friend(
        self,
        user_id: str,
        other: str,
        update: FriendUpdate,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome:
        job = partial(friends.update_friend, user_id=user_id, other=other, update=update)
        return await self._write(job, on_commit)

    async def delete_friend(
        self, user_id: str, other: str, both: bool, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        job = partial(friends.delete_friend, user_id=user_id, other=other, both=both)
        return await self._write(job, on_commit)

    # -- friend groups -----------------------------------------------------------------------------
    async def create_friend_group(
        self,
        user_id: str,
        name: str,
        members: Sequence[str],
        limits: PeopleLimits,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome:
        job = partial(
            friends.create_friend_group,
            user_id=user_id,
            name=name,
            members=list(members),
            limits=limits,
        )
        return await self._write(job, on_commit)

    async def edit_friend_group(
        self,
        user_id: str,
        name: str,
        edit: FriendGroupEdit,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome:
        job = partial(friends.edit_friend_group, user_id=user_id, name=name, edit=edit)
        return await self._write(job, on_commit)

    async def delete_friend_group(
        self, user_id: str, name: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        job = partial(friends.delete_friend_group, user_id=user_id, name=name)
        return await self._write(job, on_commit)

    # -- blocks --------------------------------------------------------------------------------------
    async def set_blocked(
        self,
        user_id: str,
        other: str,
        blocked: bool,
        limits: PeopleLimits,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome:
        job = partial(
            friends.set_blocked, user_id=user_id, other=other, blocked=blocked, limits=limits
        )
        return await self._write(job, on_commit)
