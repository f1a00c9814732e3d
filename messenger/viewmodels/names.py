"""``NamesViewModel``: who is called what. My remark for a friend wins everywhere; else a group
member's name card, else the user's nickname, else the user ID.

Nicknames come from the core's profile cache: ``load_cached`` reads the store (awaited before a
list or a chat is first shown, so names are there at first paint); ``request`` fetches the
unknown and stale ones in the background, and ``names_changed`` tells the models to repaint.
Name cards come from the group member lists the chat loads (``set_cards``); remarks from my
friend list (``load_remarks``, again on every change of it).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from messenger.core.events import ContactsChanged, Event, ProfilesChanged
from messenger.protocol.models import Profile
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.tasks import TaskSet

STALE_AFTER_MS = 24 * 3600 * 1000  # a stored nickname older than this is fetched again


class NamesViewModel(QObject):
    names_changed = Signal()

    def __init__(self, client: ClientApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskSet()
        self._nicknames: dict[str, str] = {}
        self._cards: dict[str, dict[str, str]] = {}  # group ID → user ID → name card
        self._requested: set[str] = set()  # fetched (or being fetched) this session
        self._remarks: dict[str, str] = {}
        self._avatars: dict[str, str] = {}  # user ID → avatar ID
        # Whose name or avatar changed, as of the last ``names_changed``: a list redraws only
        # the rows that show one of them.
        self.changed: frozenset[str] = frozenset()

    # -- lookups ---------------------------------------------------------------------------------
    @property
    def me(self) -> str:
        return self._client.user_id or ""

    def nickname(self, user_id: str) -> str:
        return self._nicknames.get(user_id, "")

    def remark(self, user_id: str) -> str:
        return self._remarks.get(user_id, "")

    def avatar_id(self, user_id: str) -> str:
        return self._avatars.get(user_id, "")

    def avatars(self) -> dict[str, str]:
        """User ID → avatar ID of everyone whose avatar is known."""
        return dict(self._avatars)

    def display(self, user_id: str, group_id: str = "") -> str:
        """Remark → name card (in ``group_id``) → nickname → ID."""
        remark = self._remarks.get(user_id)
        if remark:
            return remark
        if group_id:
            card = self._cards.get(group_id, {}).get(user_id)
            if card:
                return card
        return self._nicknames.get(user_id) or user_id

    def card(self, group_id: str, user_id: str) -> str:
        return self._cards.get(group_id, {}).get(user_id, "")

    # -- loading ---------------------------------------------------------------------------------
    async def load_cached(self, user_ids: Iterable[str]) -> None:
        """Take the stored nicknames of these users (one store read), then fetch the others."""
        user_ids = list(user_ids)
        wanted = [u for u in dict.fromkeys(user_ids) if u and u not in self._nicknames]
        if wanted:
            found = await self._client.cached_profiles(wanted)
            self._learn_profiles(found.values())
        self.request(user_ids)

    def request(self, user_ids: Iterable[str]) -> None:
        """Fetch, in the background, the nicknames not fetched yet this session."""
        wanted = [u for u in dict.fromkeys(user_ids) if u and u not in self._requested]
        if not wanted:
            return
        self._requested.update(wanted)
        self._tasks.spawn(self._fetch(wanted))

    async def _fetch(self, user_ids: list[str]) -> None:
        found = await self._client.fetch_profiles(user_ids, max_age_ms=STALE_AFTER_MS)
        self._learn_profiles(found.values())

    def learn(self, profiles: Iterable[Profile]) -> None:
        """Profiles obtained elsewhere (a user search)."""
        self._learn_profiles(profiles)

    async def load_remarks(self) -> None:
        remarks = await self._client.remarks()
        if remarks != self._remarks:
            old, self._remarks = self._remarks, remarks
            self._announce({u for u in old.keys() | remarks.keys() if old.get(u) != remarks.get(u)})

    def _learn_profiles(self, profiles: Iterable[Profile]) -> None:
        changed: set[str] = set()
        for profile in profiles:
            user_id = profile.user_id
            if self._nicknames.get(user_id) != profile.nickname:
                self._nicknames[user_id] = profile.nickname
                changed.add(user_id)
            if self._avatars.get(user_id, "") != profile.avatar:
                self._avatars[user_id] = profile.avatar
                changed.add(user_id)
        self._announce(changed)

    def _announce(self, user_ids: set[str]) -> None:
        """``names_changed``, with ``changed`` naming whose names or avatars changed."""
        if user_ids:
            self.changed = frozenset(user_ids)
            self.names_changed.emit()

    def set_cards(self, group_id: str, cards: dict[str, str]) -> None:
        """Name cards of (some) members of a group; empty cards are left out."""
        known = self._cards.setdefault(group_id, {})
        changed: set[str] = set()
        for user_id, card in cards.items():
            if known.get(user_id, "") != card:
                changed.add(user_id)
                if card:
                    known[user_id] = card
                else:
                    known.pop(user_id, None)
        self._announce(changed)

    def on_event(self, event: Event) -> None:
        if isinstance(event, ProfilesChanged):
            self._learn_profiles(event.profiles)
        elif isinstance(event, ContactsChanged) and "friends" in event.parts:
            self._tasks.spawn(self.load_remarks())

    def close(self) -> None:
        self._tasks.close()
