"""The people side of the client: my profile, other users, friends, friend requests, friend
groups, the block list, user search and presence.

Reads answer from the store (instant, offline); the sync engine keeps it current and
``ContactsChanged`` / ``ProfilesChanged`` say what moved. Writes go to the server, which decides
(policies, blocks, limits) and answers with a typed error when it refuses; their results come
back through the feed like changes made on another device.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path

import msgspec

from messenger.core.events import EventBus
from messenger.core.store import Store
from messenger.core.transport.rest import RestTransport
from messenger.protocol.api import DeleteFriendQuery
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import Profile
from messenger.protocol.social import (
    AcceptRequest,
    AddFriendRequest,
    AddFriendResult,
    AvatarRef,
    Friend,
    FriendGroupEdit,
    FriendRequest,
    FriendUpdate,
    NewFriendGroup,
    ProfileUpdate,
    Relation,
    RelationAnswer,
    StatusList,
    StatusQuery,
    StatusText,
    UserPage,
    UserSearchQuery,
    UserStatus,
)

log = logging.getLogger(__name__)

_decode_avatar_ref = msgspec.json.Decoder(AvatarRef).decode


class People:
    def __init__(
        self, user_id: str, store: Store, rest: RestTransport, bus: EventBus, avatar_dir: Path
    ) -> None:
        self.user_id = user_id
        self._store = store
        self._rest = rest
        self._bus = bus
        self._avatar_dir = avatar_dir
        self._avatar_fetches: dict[str, asyncio.Future[bytes]] = {}

    # -- my profile ------------------------------------------------------------------------------
    async def me(self) -> Profile:
        found = await self._store.full_profiles([self.user_id])
        return found.get(self.user_id) or Profile(user_id=self.user_id, nickname=self.user_id)

    async def update_profile(self, update: ProfileUpdate) -> Profile:
        profile: Profile = await self._rest.call("update_me", body=update)
        (await self._store.put_full_profiles([profile])).publish(self._bus)
        return profile

    async def upload_avatar(self, image: bytes) -> str:
        """Upload an image; the server answers the ID of its square copy."""
        raw = await self._rest.call_binary("upload_avatar", content=image)
        return _decode_avatar_ref(raw).avatar

    async def avatar(self, avatar_id: str) -> bytes:
        """An avatar's PNG bytes, from the disk cache or the server (then cached)."""
        name = hashlib.sha256(avatar_id.encode()).hexdigest()[:32] + ".png"
        path = self._avatar_dir / name
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            pass
        future = self._avatar_fetches.get(avatar_id)
        if future is None:
            future = asyncio.ensure_future(self._fetch_avatar(avatar_id, path))
            self._avatar_fetches[avatar_id] = future
            future.add_done_callback(lambda _: self._avatar_fetches.pop(avatar_id, None))
        return await asyncio.shield(future)

    async def _fetch_avatar(self, avatar_id: str, path: Path) -> bytes:
        data = await self._rest.call_binary("get_avatar", path={"avatar_id": avatar_id})

        def save() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_suffix(".tmp")
            temp.write_bytes(data)
            temp.replace(path)

        await asyncio.to_thread(save)
        return data

    async def set_status_text(self, text: str) -> None:
        await self._rest.call("set_status", body=StatusText(text=text))

    # -- others ------------------------------------------------------------------------------------
    async def profiles(self, user_ids: Sequence[str]) -> dict[str, Profile]:
        return await self._store.full_profiles(user_ids)

    async def search(self, query: str, offset: int = 0, limit: int = 20) -> UserPage:
        page: UserPage = await self._rest.call(
            "search_users", query=UserSearchQuery(q=query, offset=offset, limit=limit)
        )
        if page.users:
            await self._store.put_profiles(page.users, _now())
        return page

    async def presence(self, user_ids: Sequence[str]) -> list[UserStatus]:
        ids = ",".join(check_user_id(u) for u in user_ids)
        answer: StatusList = await self._rest.call("presence", query=StatusQuery(user_ids=ids))
        return list(answer.statuses)

    # -- friends -----------------------------------------------------------------------------------
    async def friends(self) -> list[Friend]:
        return await self._store.friends()

    async def requests(self) -> list[FriendRequest]:
        return await self._store.friend_requests()

    async def groups(self) -> list[str]:
        return await self._store.friend_groups()

    async def blocked(self) -> list[str]:
        return await self._store.blocked_users()

    async def remarks(self) -> dict[str, str]:
        return await self._store.remarks()

    async def add_friend(self, req: AddFriendRequest) -> str:
        check_user_id(req.user_id)
        answer: AddFriendResult = await self._rest.call("add_friend", body=req)
        return answer.result

    async def accept(self, sender: str, req: AcceptRequest) -> Relation:
        answer: RelationAnswer = await self._rest.call(
            "accept_request", path={"user_id": check_user_id(sender)}, body=req
        )
        return answer.relation

    async def refuse(self, sender: str) -> None:
        await self._rest.call("refuse_request", path={"user_id": check_user_id(sender)})

    async def delete_request(self, other: str) -> None:
        await self._rest.call("delete_request", path={"user_id": check_user_id(other)})

    async def read_requests(self) -> None:
        await self._rest.call("read_requests")

    async def update_friend(self, other: str, update: FriendUpdate) -> Friend:
        friend: Friend = await self._rest.call(
            "update_friend", path={"user_id": check_user_id(other)}, body=update
        )
        return friend

    async def delete_friend(self, other: str, both: bool) -> None:
        await self._rest.call(
            "delete_friend",
            path={"user_id": check_user_id(other)},
            query=DeleteFriendQuery(both=both),
        )

    async def relation(self, other: str) -> Relation:
        answer: RelationAnswer = await self._rest.call(
            "relation", path={"user_id": check_user_id(other)}
        )
        return answer.relation

    # -- friend groups -----------------------------------------------------------------------------
    async def create_group(self, name: str, user_ids: Sequence[str]) -> None:
        await self._rest.call(
            "create_friend_group", body=NewFriendGroup(name=name, user_ids=list(user_ids))
        )

    async def edit_group(self, name: str, edit: FriendGroupEdit) -> None:
        await self._rest.call("edit_friend_group", path={"name": name}, body=edit)

    async def delete_group(self, name: str) -> None:
        await self._rest.call("delete_friend_group", path={"name": name})

    # -- blocks ------------------------------------------------------------------------------------
    async def set_blocked(self, other: str, blocked: bool) -> None:
        await self._rest.call(
            "block" if blocked else "unblock", path={"user_id": check_user_id(other)}
        )


def _now() -> int:
    return int(time.time() * 1000)
