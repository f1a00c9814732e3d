"""Profiles: read anyone's, edit my own (checked against the limits and the server's declared
custom keys), find users by ID or nickname. A change reaches my devices and everyone who has me
in their friend list, live and through the feed, and the online members of my groups live."""

from __future__ import annotations

from collections.abc import Sequence

from messenger.protocol import frames
from messenger.protocol.errors import AvatarNotFound, InvalidParameter, UserNotFound
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import Limits, Profile
from messenger.protocol.social import ProfileUpdate, UserPage
from messenger.protocol.validation import utf8_len
from messenger.server.services.avatars import AvatarStore
from messenger.server.services.people_push import PeoplePush
from messenger.server.storage.people import PeopleOutcome, PeopleStorage

SEARCH_MAX_CHARS = 64
SEARCH_MAX_OFFSET = 10_000
SEARCH_MAX_LIMIT = 50
LANGUAGE_MAX_BYTES = 16


def _check_bytes(value: str | None, limit: int, field: str, *, required: bool = False) -> None:
    if value is None:
        return
    if required and not value.strip():
        raise InvalidParameter(f"{field} may not be empty", field=field)
    if utf8_len(value) > limit:
        raise InvalidParameter(f"{field} has at most {limit} bytes", field=field, limit=limit)


def _check_birthday(value: int | None) -> None:
    if value is None or value == 0:
        return
    year, month, day = value // 10000, value // 100 % 100, value % 100
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        raise InvalidParameter("birthday is yyyymmdd (or 0)", field="birthday")


class ProfileService:
    def __init__(
        self,
        *,
        storage: PeopleStorage,
        push: PeoplePush,
        avatars: AvatarStore,
        limits: Limits,
        custom_keys: tuple[str, ...],
    ) -> None:
        self._storage = storage
        self._push = push
        self._avatars = avatars
        self._limits = limits
        self._custom_keys = frozenset(custom_keys)

    async def get(self, user_id: str) -> Profile:
        profile = await self._storage.profile(user_id)
        if profile is None:
            raise UserNotFound(f"no user {user_id!r}", user_id=user_id)
        return profile

    async def get_many(self, user_ids: Sequence[str]) -> list[Profile]:
        """Profiles of the users that exist, in the order asked (each ID checked first)."""
        for user_id in user_ids:
            check_user_id(user_id)
        found = {p.user_id: p for p in await self._storage.profiles(user_ids)}
        return [found[u] for u in dict.fromkeys(user_ids) if u in found]

    def check(self, update: ProfileUpdate) -> None:
        limits = self._limits
        _check_bytes(update.nickname, limits.nickname_bytes, "nickname", required=True)
        _check_bytes(update.signature, limits.signature_bytes, "signature")
        _check_bytes(update.location, limits.location_bytes, "location")
        _check_bytes(update.language, LANGUAGE_MAX_BYTES, "language")
        _check_birthday(update.birthday)
        if update.avatar and not self._avatars.exists(update.avatar):
            raise AvatarNotFound("upload the avatar first (POST /v1/avatars)", field="avatar")
        for key, value in (update.custom or {}).items():
            if key not in self._custom_keys:
                raise InvalidParameter(f"unknown custom profile field {key!r}", field="custom")
            _check_bytes(value, limits.profile_custom_bytes, f"custom.{key}")

    async def update(self, user_id: str, update: ProfileUpdate) -> Profile:
        self.check(update)

        def announce(outcome: PeopleOutcome) -> None:
            profile, watchers, peers = outcome.result
            change = frames.ProfileChange(v=profile.version, profile=profile)
            # live to all; the feed has it too for devices offline now (friends, group members)
            self._push.changes(list(dict.fromkeys([user_id, *watchers, *peers])), change)

        outcome = await self._storage.update_profile(user_id, update, on_commit=announce)
        profile: Profile = outcome.result[0]
        return profile

    async def search(self, query: str, offset: int, limit: int) -> UserPage:
        query = query.strip()
        if not 1 <= len(query) <= SEARCH_MAX_CHARS:
            raise InvalidParameter(f"search for 1–{SEARCH_MAX_CHARS} characters", field="q")
        if not 0 <= offset <= SEARCH_MAX_OFFSET:
            raise InvalidParameter(f"offset 0–{SEARCH_MAX_OFFSET}", field="offset")
        if not 1 <= limit <= SEARCH_MAX_LIMIT:
            raise InvalidParameter(f"limit 1–{SEARCH_MAX_LIMIT}", field="limit")
        users, has_more = await self._storage.search_users(query, offset, limit)
        return UserPage(users=users, has_more=has_more)
