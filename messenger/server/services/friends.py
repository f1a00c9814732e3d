"""Friends, friend requests, friend groups and the block list: input checked here, the rules
that need the database (policy, duplicates, limits, blocks) decided in one transaction there.

"Who may add me" is the target's ``allow_type``: anyone → friends at once; approval → a request
they accept or refuse; nobody → ``FriendAddForbidden``. A request to someone who already asked
me accepts theirs. Requests and their answers also arrive as notices in ``@TIM#SYSTEM``.
"""

from __future__ import annotations

from collections.abc import Sequence

from messenger.protocol.errors import InvalidParameter
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import Limits
from messenger.protocol.social import (
    AcceptRequest,
    AddFriendRequest,
    AddFriendResult,
    Contacts,
    Friend,
    FriendGroup,
    FriendGroupEdit,
    FriendUpdate,
    Relation,
)
from messenger.protocol.validation import utf8_len
from messenger.server.services.callbacks import AFTER_FRIEND_REQUEST, Callbacks
from messenger.server.services.messaging import new_message_id
from messenger.server.services.people_push import PeoplePush
from messenger.server.storage.people import PeopleLimits, PeopleStorage

SOURCE_MAX_BYTES = 64
MAX_USERS_PER_GROUP_EDIT = 500


class FriendService:
    def __init__(
        self,
        *,
        storage: PeopleStorage,
        push: PeoplePush,
        limits: Limits,
        callbacks: Callbacks | None = None,
    ) -> None:
        self._callbacks = callbacks
        self._storage = storage
        self._push = push
        self._limits = limits
        self._counts = PeopleLimits(
            friends=limits.friends,
            pending_requests=limits.pending_requests,
            friend_groups=limits.friend_groups,
            blocks=limits.blocks,
        )

    # -- checks ------------------------------------------------------------------------------------
    def _bytes(self, value: str, limit: int, field: str) -> None:
        if utf8_len(value) > limit:
            raise InvalidParameter(f"{field} has at most {limit} bytes", field=field, limit=limit)

    def _group_name(self, name: str, field: str = "group") -> str:
        limit = self._limits.friend_group_name_bytes
        if not name.strip() or utf8_len(name) > limit or "/" in name:
            raise InvalidParameter(
                f"a friend group name has 1–{limit} bytes and no '/'", field=field
            )
        return name

    def _users(self, user_ids: Sequence[str], field: str) -> list[str]:
        if len(user_ids) > MAX_USERS_PER_GROUP_EDIT:
            raise InvalidParameter(f"at most {MAX_USERS_PER_GROUP_EDIT} users", field=field)
        return [check_user_id(u) for u in user_ids]

    # -- reads ---------------------------------------------------------------------------------------
    async def contacts(self, user_id: str) -> Contacts:
        return await self._storage.contacts(user_id)

    async def relation(self, user_id: str, other: str) -> Relation:
        return await self._storage.relation(user_id, check_user_id(other))

    # -- requests ------------------------------------------------------------------------------------
    async def add(self, user_id: str, req: AddFriendRequest) -> AddFriendResult:
        check_user_id(req.user_id)
        self._bytes(req.note, self._limits.request_note_bytes, "note")
        self._bytes(req.remark, self._limits.remark_bytes, "remark")
        self._bytes(req.source, SOURCE_MAX_BYTES, "source")
        if req.group:
            self._group_name(req.group)
        outcome = await self._storage.add_friend(
            user_id, req, self._counts, new_message_id(), on_commit=self._push
        )
        if self._callbacks is not None:
            self._callbacks.after(
                AFTER_FRIEND_REQUEST,
                {
                    "from": user_id,
                    "to": req.user_id,
                    "note": req.note,
                    "source": req.source,
                    "result": outcome.result,
                },
            )
        return AddFriendResult(user_id=req.user_id, result=outcome.result)

    async def accept(self, user_id: str, sender: str, req: AcceptRequest) -> Relation:
        check_user_id(sender)
        self._bytes(req.remark, self._limits.remark_bytes, "remark")
        if req.group:
            self._group_name(req.group)
        outcome = await self._storage.accept_request(
            user_id, sender, req, self._counts, new_message_id(), on_commit=self._push
        )
        relation: Relation = outcome.result
        return relation

    async def refuse(self, user_id: str, sender: str) -> None:
        check_user_id(sender)
        await self._storage.refuse_request(user_id, sender, new_message_id(), on_commit=self._push)

    async def delete_request(self, user_id: str, other: str) -> None:
        await self._storage.delete_request(user_id, check_user_id(other), on_commit=self._push)

    async def read_requests(self, user_id: str) -> None:
        await self._storage.read_requests(user_id, on_commit=self._push)

    # -- friends ---------------------------------------------------------------------------------------
    async def update(self, user_id: str, other: str, update: FriendUpdate) -> Friend:
        check_user_id(other)
        if update.remark is not None:
            self._bytes(update.remark, self._limits.remark_bytes, "remark")
        if update.groups is not None:
            if len(update.groups) > self._limits.friend_groups:
                raise InvalidParameter("too many friend groups", field="groups")
            for name in update.groups:
                self._group_name(name, "groups")
        outcome = await self._storage.update_friend(user_id, other, update, on_commit=self._push)
        friend: Friend = outcome.result
        return friend

    async def delete(self, user_id: str, other: str, both: bool) -> None:
        check_user_id(other)
        await self._storage.delete_friend(user_id, other, both, on_commit=self._push)

    # -- friend groups ---------------------------------------------------------------------------------
    async def create_group(self, user_id: str, name: str, members: Sequence[str]) -> FriendGroup:
        self._group_name(name, "name")
        users = self._users(members, "user_ids")
        outcome = await self._storage.create_friend_group(
            user_id, name, users, self._counts, on_commit=self._push
        )
        group: FriendGroup = outcome.result
        return group

    async def edit_group(self, user_id: str, name: str, edit: FriendGroupEdit) -> FriendGroup:
        if edit.new_name is not None:
            self._group_name(edit.new_name, "new_name")
        self._users(edit.add, "add")
        self._users(edit.remove, "remove")
        outcome = await self._storage.edit_friend_group(user_id, name, edit, on_commit=self._push)
        group: FriendGroup = outcome.result
        return group

    async def delete_group(self, user_id: str, name: str) -> None:
        await self._storage.delete_friend_group(user_id, name, on_commit=self._push)

    # -- blocks ------------------------------------------------------------------------------------------
    async def set_blocked(self, user_id: str, other: str, blocked: bool) -> None:
        check_user_id(other)
        await self._storage.set_blocked(user_id, other, blocked, self._counts, on_commit=self._push)
