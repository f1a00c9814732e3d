"""Records the storage layer hands to the services (beside the protocol models it returns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from messenger.protocol.frames import AnyChange
from messenger.protocol.fulltext import SearchKind
from messenger.protocol.models import (
    ConversationState,
    GroupInfo,
    GroupType,
    JoinOption,
    Message,
    RemindType,
    ReplyRef,
)


def c2c_key(a: str, b: str) -> str:
    """The storage key of the C2C conversation of two users (the same whoever asks)."""
    return "|".join(sorted((a, b)))


SYSTEM_KEY_PREFIX = "@TIM#SYSTEM|"  # '#' is in no user ID, so no C2C or group key looks like it


def system_key(user_id: str) -> str:
    """The storage key of a user's own system conversation."""
    return SYSTEM_KEY_PREFIX + user_id


@dataclass(frozen=True, slots=True)
class UserRecord:
    user_id: str
    nickname: str
    password_hash: str | None
    created: int
    banned: bool


@dataclass(frozen=True, slots=True)
class SessionRecord:
    token_hash: str
    user_id: str
    device_id: str
    device_name: str
    platform: str
    created: int
    expires_at: int
    revoked_reason: str | None = None


@dataclass(frozen=True, slots=True)
class NewSession:
    """A login's result: the session and the sessions it ended (to be kicked)."""

    session: SessionRecord
    replaced: list[SessionRecord]
    kicked: list[SessionRecord]


@dataclass(frozen=True, slots=True)
class MemberInfo:
    role: str
    remind: RemindType
    mute_until: int = 0  # ms


@dataclass(slots=True)
class ConversationMembers:
    """Who is in a conversation, with the bits fan-out and permission checks need."""

    conv_id: int
    kind: str  # 'c2c' | 'group'
    key: str
    members: dict[str, MemberInfo] = field(default_factory=dict)
    mute_all: bool = False  # groups: only the owner and admins may send


@dataclass(frozen=True, slots=True)
class PeerRead:
    """A C2C reader's new cursor, as the peer must be told."""

    peer: str
    conversation_id: str  # the peer's view: C2C<reader>
    read_seq: int
    version: int


@dataclass(frozen=True, slots=True)
class ReadOutcome:
    conv_id: int
    kind: str
    state: ConversationState
    old_read_seq: int
    new_read_seq: int
    peer_read: PeerRead | None
    changed: bool = True  # False: the cursor was already there; nothing was written


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """The result of storing a message: ``duplicate`` when the client_msg_id was already used."""

    conv_id: int
    kind: str
    message: Message
    duplicate: bool
    sender_read: ReadOutcome | None = None  # the send also read earlier messages for the sender


@dataclass(frozen=True, slots=True)
class RecallOutcome:
    """A recall: the message now, whether it changed, and who sees the change (the members whose
    history holds the message and who have not blocked the conversation)."""

    message: Message
    changed: bool
    viewers: list[str]


@dataclass(frozen=True, slots=True)
class StateOutcome:
    conv_id: int
    user_id: str
    state: ConversationState


@dataclass(frozen=True, slots=True)
class GroupOutcome:
    """A group write: the group now, the members it added, and the tip message it posted."""

    conv_id: int
    group: GroupInfo
    added: dict[str, str]  # user → role
    tip: Message | None
    states: dict[str, ConversationState]  # of the added members
    members: dict[str, RemindType]  # everyone now in the group
    notices: list[Message] = field(default_factory=list)  # to the added members' system chats


@dataclass(frozen=True, slots=True)
class FeedPage:
    changes: list[AnyChange]
    next_version: int
    has_more: bool


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A message about to be stored; ``conv_id`` is None for a C2C pair not yet talking."""

    conv_id: int | None
    kind_of_conv: str  # 'c2c' | 'group'
    key: str  # 'a|b' or the group ID
    sender: str
    client_msg_id: str
    kind: str
    body: dict[str, Any]
    mentions: list[str]
    mention_all: bool
    reply_to: ReplyRef | None
    message_id: str
    forwarded: bool = False
    media_ids: tuple[str, ...] = ()  # the files it uses, recorded with it (media_index.py)


@dataclass(frozen=True, slots=True)
class RecallRequest:
    """Recall ``message_id`` of a conversation on behalf of ``by``."""

    conv_id: int
    kind: str
    key: str
    message_id: str
    by: str
    window_ms: int
    may_recall_others: bool


@dataclass(frozen=True, slots=True)
class NewGroup:
    group_id: str
    name: str
    type: GroupType
    owner: str
    members: list[str]
    introduction: str
    notification: str
    max_members: int
    tip_message_id: str
    avatar: str = ""
    join_option: JoinOption = JoinOption.FORBIDDEN
    custom: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # initial members who are not "member"
    member_custom: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupOp:
    """A group write other than create: ``kind`` names it, ``args`` holds its parameters.

    ``app_admin``: the operator is one of the server's administrators (all owner powers)."""

    kind: str
    group_id: str
    operator: str
    message_id: str  # the tip's ID; notices derive theirs from it
    app_admin: bool = False
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupEdit:
    """What a group write did, for the pushes: the group now, its members now, who joined (with
    their new conversation states) and who left, the tip and the notices it posted."""

    conv_id: int
    group: GroupInfo
    members: dict[str, RemindType]
    tip: Message | None = None
    joined: dict[str, str] = field(default_factory=dict)  # user → role
    states: dict[str, ConversationState] = field(default_factory=dict)
    departed: list[str] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    # a community's topics follow its membership: the joiners' topic states, the topics left
    topic_states: list[tuple[str, ConversationState]] = field(default_factory=list)
    topics_left: list[GroupInfo] = field(default_factory=list)
    topic_convs: list[int] = field(default_factory=list)  # whose member caches are stale


@dataclass(frozen=True, slots=True)
class NewMembers:
    conv_id: int
    group_id: str
    operator: str
    user_ids: list[str]
    max_members: int
    tip_message_id: str


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """What a search looks for, checked by the service (``conv_id`` one the user may read)."""

    query: str
    conv_id: int | None = None
    sender: str = ""
    kind: SearchKind = ""
    since: int = 0
    until: int = 0  # 0: no upper end
    by_relevance: bool = False
    offset: int = 0
    limit: int = 20
