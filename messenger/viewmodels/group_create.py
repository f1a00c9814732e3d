"""Making and finding groups: ``PeoplePicker`` (the people to choose from: my friends, the
users a search finds), ``NewGroupViewModel`` (the New group dialog) and ``JoinGroupViewModel``
(find a group by ID, see its public profile, join or apply with a note)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from messenger.protocol.errors import MessengerError
from messenger.protocol.models import GroupInfo, GroupType, JoinOption, JoinResult
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.refusals import refusal_text


@dataclass(frozen=True, slots=True)
class Person:
    user_id: str
    name: str


class PeoplePicker(QObject):
    """The people a dialog offers, and which of them are chosen (in the order chosen)."""

    people_changed = Signal()
    chosen_changed = Signal()

    def __init__(
        self, client: ClientApi, exclude: Sequence[str] = (), parent: QObject | None = None
    ):
        super().__init__(parent)
        self._client = client
        self._exclude = {client.user_id or "", *exclude}
        self.people: list[Person] = []
        self.chosen: list[Person] = []

    async def search(self, query: str) -> None:
        """My friends (no query), or the users the server finds."""
        found: list[Person] = []
        try:
            if query.strip():
                page = await self._client.search_users(query.strip())
                found = [Person(p.user_id, p.nickname or p.user_id) for p in page.users]
            else:
                friends = await self._client.friends()
                profiles = await self._client.cached_profiles([f.user_id for f in friends])
                for f in friends:
                    profile = profiles.get(f.user_id)
                    nickname = profile.nickname if profile else ""
                    found.append(Person(f.user_id, f.remark or nickname or f.user_id))
        except MessengerError:
            found = []
        self.people = [p for p in found if p.user_id not in self._exclude]
        self.people_changed.emit()

    def is_chosen(self, user_id: str) -> bool:
        return any(p.user_id == user_id for p in self.chosen)

    def toggle(self, person: Person) -> None:
        if self.is_chosen(person.user_id):
            self.chosen = [p for p in self.chosen if p.user_id != person.user_id]
        else:
            self.chosen.append(person)
        self.chosen_changed.emit()

    @property
    def chosen_ids(self) -> list[str]:
        return [p.user_id for p in self.chosen]


class NewGroupViewModel(QObject):
    failed = Signal(str)
    created = Signal(str)  # the new group's conversation ID

    def __init__(self, client: ClientApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.picker = PeoplePicker(client, parent=self)

    async def create(
        self,
        name: str,
        group_type: GroupType,
        join_option: JoinOption | None,
        avatar_png: bytes = b"",
    ) -> bool:
        """Create the group (its avatar uploaded first when one was chosen) and open it."""
        try:
            avatar = await self._client.upload_avatar(avatar_png) if avatar_png else ""
            group = await self._client.create_group(
                name,
                [] if group_type is GroupType.AVCHATROOM else self.picker.chosen_ids,
                type=group_type,
                join_option=join_option,
                avatar=avatar,
            )
        except MessengerError as exc:
            self.failed.emit(refusal_text(exc))
            return False
        self.created.emit("GROUP" + group.group_id)
        return True


class JoinGroupViewModel(QObject):
    failed = Signal(str)
    found = Signal()
    joined = Signal(str)  # the conversation ID, once I am a member
    waiting = Signal()  # the application waits for an owner or admin

    def __init__(self, client: ClientApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.group: GroupInfo | None = None

    async def find(self, group_id: str) -> None:
        try:
            self.group = await self._client.group(group_id.strip())
        except MessengerError as exc:
            self.group = None
            self.failed.emit(refusal_text(exc))
            return
        self.found.emit()

    async def join(self, note: str) -> JoinResult | None:
        if self.group is None:
            return None
        try:
            result = await self._client.join_group(self.group.group_id, note)
        except MessengerError as exc:
            self.failed.emit(refusal_text(exc))
            return None
        if result.status == "waiting_approval":
            self.waiting.emit()
        else:
            self.joined.emit("GROUP" + self.group.group_id)
        return result
