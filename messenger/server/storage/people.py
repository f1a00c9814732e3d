"""The storage interface of the people side (profiles, friends, requests, friend groups, blocks).

Every write answers a ``PeopleOutcome``: its result, the feed changes to push (to whom) and the
notices it stored in system conversations; the service pushes them from the write's on-commit
callback, so they leave in version order like every other change.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from messenger.protocol.frames import AnyChange
from messenger.protocol.models import Message, Profile
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


@dataclass(slots=True)
class PeopleOutcome:
    result: Any = None
    pushes: list[tuple[str, AnyChange]] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)
    blocks: list[tuple[str, str, bool]] = field(default_factory=list)  # (owner, target, blocked)

    def push(self, user_id: str, change: AnyChange) -> None:
        self.pushes.append((user_id, change))


@dataclass(frozen=True, slots=True)
class PeopleLimits:
    friends: int
    pending_requests: int
    friend_groups: int
    blocks: int


class PeopleStorage(abc.ABC):
    # -- profiles --------------------------------------------------------------------------------
    @abc.abstractmethod
    async def profile(self, user_id: str) -> Profile | None: ...

    @abc.abstractmethod
    async def profiles(self, user_ids: Sequence[str]) -> list[Profile]: ...

    @abc.abstractmethod
    async def update_profile(
        self, user_id: str, update: ProfileUpdate, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome:
        """``result``: (the new profile, who has me as a friend, members of my groups)."""

    @abc.abstractmethod
    async def search_users(
        self, query: str, offset: int, limit: int
    ) -> tuple[list[Profile], bool]: ...

    @abc.abstractmethod
    async def watchers(self, user_id: str) -> list[str]: ...

    @abc.abstractmethod
    async def watchers_of(self, user_ids: Sequence[str]) -> dict[str, list[str]]: ...

    @abc.abstractmethod
    async def set_last_seen_many(self, when: dict[str, int]) -> None: ...

    @abc.abstractmethod
    async def last_seen(self, user_ids: Sequence[str]) -> dict[str, tuple[int, bool]]: ...

    @abc.abstractmethod
    async def set_status_text(self, user_id: str, text: str) -> None:
        """My custom status text ("" removes it), kept with my profile."""

    @abc.abstractmethod
    async def status_texts(self, user_ids: Sequence[str]) -> dict[str, str]:
        """``user_id → status text`` of those of ``user_ids`` who set one."""

    # -- friends -----------------------------------------------------------------------------------
    @abc.abstractmethod
    async def contacts(self, user_id: str) -> Contacts: ...

    @abc.abstractmethod
    async def relation(self, user_id: str, other: str) -> Relation: ...

    @abc.abstractmethod
    async def blocked_by(self, owner: str) -> frozenset[str]:
        """Whom ``owner`` has blocked."""

    @abc.abstractmethod
    async def add_friend(
        self,
        user_id: str,
        req: AddFriendRequest,
        limits: PeopleLimits,
        notice_id: str,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def accept_request(
        self,
        user_id: str,
        sender: str,
        req: AcceptRequest,
        limits: PeopleLimits,
        notice_id: str,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def refuse_request(
        self, user_id: str, sender: str, notice_id: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def delete_request(
        self, user_id: str, other: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def read_requests(
        self, user_id: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def update_friend(
        self,
        user_id: str,
        other: str,
        update: FriendUpdate,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def delete_friend(
        self, user_id: str, other: str, both: bool, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome: ...

    # -- friend groups -----------------------------------------------------------------------------
    @abc.abstractmethod
    async def create_friend_group(
        self,
        user_id: str,
        name: str,
        members: Sequence[str],
        limits: PeopleLimits,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def edit_friend_group(
        self,
        user_id: str,
        name: str,
        edit: FriendGroupEdit,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome: ...

    @abc.abstractmethod
    async def delete_friend_group(
        self, user_id: str, name: str, on_commit: OnCommit[PeopleOutcome] = None
    ) -> PeopleOutcome: ...

    # -- blocks --------------------------------------------------------------------------------------
    @abc.abstractmethod
    async def set_blocked(
        self,
        user_id: str,
        other: str,
        blocked: bool,
        limits: PeopleLimits,
        on_commit: OnCommit[PeopleOutcome] = None,
    ) -> PeopleOutcome: ...
