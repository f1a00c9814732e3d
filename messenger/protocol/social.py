"""People payloads: profile edits, friends, friend requests, friend groups, the block list, user
search and presence (TIM's profile, friendship and user-status APIs).

Friendship is directed, as in TIM: "alice has bob" is one row of alice's list, with her remark
and her friend groups for him. "Both" is two rows. A request is one row shared by its sender and
its receiver; it leaves both inboxes when it is accepted, refused or deleted.
"""

from __future__ import annotations

import enum

import msgspec

from messenger.protocol import bounds as b
from messenger.protocol.models import AllowType, Base, Gender, Profile


class Relation(enum.StrEnum):
    """How two users stand (TIM's checkFriend with the both-ways check)."""

    NONE = "none"
    MINE = "mine"  # I have them in my list; they do not have me
    THEIRS = "theirs"  # they have me; I do not have them
    BOTH = "both"


class ProfileUpdate(Base):
    """Fields of my profile to change; the ones left out stay as they are."""

    nickname: b.Label | None = None
    avatar: b.Label | None = None  # an ID from ``POST /v1/avatars``, or "" to remove it
    gender: Gender | None = None
    birthday: b.Count | None = None
    location: b.Text | None = None
    signature: b.Text | None = None
    language: b.Label | None = None
    allow_type: AllowType | None = None
    hide_last_seen: bool | None = None
    custom: b.CustomFields | None = None  # keys declared by the server; "" removes a key


class Friend(Base):
    """One entry of my friend list."""

    user_id: str
    remark: str = ""
    groups: list[str] = msgspec.field(default_factory=list)
    source: str = ""
    add_time: int = 0


class FriendRequest(Base):
    """A pending request, the same for its sender (outgoing) and its receiver (incoming)."""

    sender: str
    receiver: str
    note: str = ""
    source: str = ""
    remark: str = ""  # what the sender will call the receiver
    group: str = ""  # the sender's friend group for the receiver
    time: int = 0
    unread: bool = False  # not yet seen by the receiver


class FriendGroup(Base):
    name: str


class Contacts(Base):
    """Everything of my people side at one moment (a new device's snapshot)."""

    me: Profile
    friends: list[Friend]
    requests: list[FriendRequest]
    groups: list[FriendGroup]
    blocked: list[str]
    profiles: list[Profile]  # of my friends, requests' other sides and blocked users
    version: int


class AddFriendRequest(Base):
    user_id: b.Id
    note: b.Text = ""
    remark: b.Label = ""
    group: b.Label = ""
    source: b.Label = ""
    both: bool = True  # when added at once: both ways (TIM's addType 0) or only mine


class AddFriendResult(Base):
    """``added``: friends at once (their policy is "anyone"); ``pending``: a request waits."""

    user_id: str
    result: str


class AcceptRequest(Base):
    remark: b.Label = ""
    group: b.Label = ""
    both: bool = True  # add them too (TIM's "agree and add"); else only they have me


class FriendUpdate(Base):
    remark: b.Label | None = None
    groups: b.LabelList | None = None


class RelationAnswer(Base):
    user_id: str
    relation: Relation


class NewFriendGroup(Base):
    name: b.Label
    user_ids: b.IdList = msgspec.field(default_factory=list)


class FriendGroupEdit(Base):
    """Rename a friend group and add or remove friends (in that order)."""

    new_name: b.Label | None = None
    add: b.IdList = msgspec.field(default_factory=list)
    remove: b.IdList = msgspec.field(default_factory=list)


class UserSearchQuery(Base):
    q: b.Label
    offset: b.Count = 0
    limit: b.PageLimit = 20


class ProfilesRequest(Base):
    """Profiles of several users at once (TIM's getUsersInfo: at most 100 per call)."""

    user_ids: b.ProfileIds


class ProfileList(Base):
    """The profiles asked for, of the users that exist (unknown IDs are left out)."""

    profiles: list[Profile]


class UserPage(Base):
    users: list[Profile]
    has_more: bool


class AvatarRef(Base):
    avatar: str  # the ID to put in a profile and to fetch with ``GET /v1/avatars/{id}``
    width: int
    height: int


class UserStatus(Base):
    """Presence as another user sees it: ``last_seen`` is 0 when hidden or not allowed."""

    user_id: str
    online: bool = False
    last_seen: int = 0
    text: str = ""


class StatusQuery(Base):
    user_ids: b.IdCsv  # comma-separated


class StatusList(Base):
    statuses: list[UserStatus]


class StatusText(Base):
    text: b.Text
