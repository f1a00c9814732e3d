"""Resolving conversation IDs and knowing who is in a conversation, without a query per message.

Members are cached per conversation. Writes that change membership or remind types update the
cache from their on-commit callback; a load that raced with such a write is thrown away and
retried, so the cache never goes back in time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from messenger.protocol.errors import GroupNotFound, NotMember, UserNotFound
from messenger.protocol.ids import ConversationType, parse_conversation_id
from messenger.protocol.models import RemindType
from messenger.server.services.lru import Lru
from messenger.server.storage.base import Storage
from messenger.server.storage.records import ConversationMembers, MemberInfo, c2c_key, system_key


@dataclass(frozen=True, slots=True)
class ConvRef:
    """A conversation as the server knows it. ``conv_id`` is None for two users who never talked."""

    conv_id: int | None
    kind: str  # 'c2c' | 'group'
    key: str  # 'a|b' or the group ID
    conversation_id: str  # as the requesting user sees it
    target: str  # the peer (C2C) or the group ID


class Directory:
    """Caches are bounded (least recently used entries go first); a miss costs one query."""

    def __init__(self, storage: Storage, capacity: int = 50_000) -> None:
        self._storage = storage
        self._groups: Lru[str, int] = Lru(capacity)
        self._pairs: Lru[str, int] = Lru(capacity * 4)
        self._members: Lru[int, ConversationMembers] = Lru(capacity)
        self._generation: Lru[int, int] = Lru(capacity * 4)
        self._known_users: Lru[str, bool] = Lru(capacity * 4)
        self._systems: Lru[str, int] = Lru(capacity * 4)
        # (user, "C2C<peer>") → its ConvRef, once the pair has a conversation (that never changes)
        self._c2c_refs: Lru[tuple[str, str], ConvRef] = Lru(capacity * 4)
        # (kind, key): a cached thing changed here; other nodes must forget theirs (node bus)
        self.on_invalidate: Callable[[str, str], None] | None = None

    # -- users ---------------------------------------------------------------------------------------
    async def require_user(self, user_id: str) -> None:
        if self._known_users.get(user_id):
            return
        record = await self._storage.get_user(user_id)
        if record is None:
            raise UserNotFound(f"no user {user_id!r}", user_id=user_id)
        self._known_users[user_id] = True

    def knows_user(self, user_id: str) -> bool:
        """Whether ``user_id`` is known to exist (no query: the send path's fast case)."""
        return bool(self._known_users.get(user_id))

    def forget_user(self, user_id: str) -> None:
        self._known_users.pop(user_id)

    # -- conversations -------------------------------------------------------------------------------
    def resolve_cached(self, user_id: str, conversation_id: str) -> ConvRef | None:
        """``resolve`` without a query, for a C2C conversation seen before; else None."""
        return self._c2c_refs.get((user_id, conversation_id))

    async def resolve(self, user_id: str, conversation_id: str) -> ConvRef:
        ref = parse_conversation_id(conversation_id)
        if ref.type is ConversationType.C2C:
            key = c2c_key(user_id, ref.target)
            conv_id = self._pairs.get(key)
            if conv_id is None:
                conv_id = await self._storage.find_c2c(user_id, ref.target)
                if conv_id is not None:
                    self._pairs[key] = conv_id
            conv = ConvRef(conv_id, "c2c", key, conversation_id, ref.target)
            if conv_id is not None:
                self._c2c_refs[(user_id, conversation_id)] = conv
            return conv
        if ref.type is ConversationType.GROUP:
            conv_id = await self.group_conv_id(ref.target)
            return ConvRef(conv_id, "group", ref.target, conversation_id, ref.target)
        conv_id = self._systems.get(user_id)
        if conv_id is None:
            conv_id = await self._storage.find_system(user_id)
            if conv_id is not None:
                self._systems[user_id] = conv_id
        return ConvRef(conv_id, "system", system_key(user_id), conversation_id, user_id)

    def remember_system(self, user_id: str, conv_id: int) -> None:
        self._systems[user_id] = conv_id

    def remember_pair(self, key: str, conv_id: int) -> None:
        self._pairs[key] = conv_id

    async def group_conv_id(self, group_id: str) -> int:
        conv_id = self._groups.get(group_id)
        if conv_id is None:
            conv_id, _ = await self._storage.group_by_id(group_id)
            self._groups[group_id] = conv_id
        return conv_id

    def remember_group(self, group_id: str, conv_id: int) -> None:
        self._groups[group_id] = conv_id

    # -- members -------------------------------------------------------------------------------------
    async def members(self, conv_id: int) -> ConversationMembers:
        cached = self._members.get(conv_id)
        if cached is not None:
            return cached
        while True:
            generation = self._generation.get(conv_id) or 0
            loaded = await self._storage.members(conv_id)
            if (self._generation.get(conv_id) or 0) == generation:
                self._members[conv_id] = loaded
                return loaded

    async def audience(self, conv: ConvRef, sender: str) -> list[str]:
        """Who receives the conversation's messages now (members who have not blocked it)."""
        if conv.conv_id is None:  # a first C2C message: both sides, default settings
            return list(dict.fromkeys((sender, conv.target)))
        if conv.kind == "system":
            return [conv.target]
        members = await self.members(conv.conv_id)
        return [u for u, m in members.members.items() if m.remind is not RemindType.BLOCK]

    def members_cached(self, conv_id: int) -> ConversationMembers | None:
        """The members if they are cached (no query)."""
        return self._members.get(conv_id)

    def audience_now(self, conv_id: int) -> list[str] | None:
        """The audience as of the last commit whose callback has run, if the members are cached.

        On-commit callbacks run in commit order and keep the cache current, so called from one of
        them this is exactly the membership that write committed against."""
        cached = self._members.get(conv_id)
        if cached is None:
            return None
        return [u for u, m in cached.members.items() if m.remind is not RemindType.BLOCK]

    async def readable(self, user_id: str, conversation_id: str) -> ConvRef:
        """Resolve a conversation the user may read (a group they belong to, or their own C2C)."""
        conv = await self.resolve(user_id, conversation_id)
        if conv.kind == "group":
            await self.require_member(conv, user_id)
        return conv

    async def require_member(self, conv: ConvRef, user_id: str) -> MemberInfo:
        if conv.conv_id is None:
            raise GroupNotFound("no such conversation")
        info = (await self.members(conv.conv_id)).members.get(user_id)
        if info is None:
            raise NotMember("you are not a member of this group")
        return info

    def _touch(self, conv_id: int, publish: bool = True) -> ConversationMembers | None:
        """A change of the members is committed: loads racing with it are thrown away, and
        other nodes forget theirs (``on_invalidate``)."""
        self._generation[conv_id] = (self._generation.get(conv_id) or 0) + 1
        if publish and self.on_invalidate is not None:
            self.on_invalidate("members", str(conv_id))
        return self._members.get(conv_id)

    def members_added(self, conv_id: int, users: dict[str, MemberInfo]) -> None:
        cached = self._touch(conv_id)
        if cached is not None:
            cached.members.update(users)

    def remind_changed(self, conv_id: int, user_id: str, remind: RemindType) -> None:
        cached = self._touch(conv_id)
        if cached is not None and user_id in cached.members:
            old = cached.members[user_id]
            cached.members[user_id] = MemberInfo(old.role, remind)

    def forget_members(self, conv_id: int, *, publish: bool = True) -> None:
        self._touch(conv_id, publish)
        self._members.pop(conv_id, None)
