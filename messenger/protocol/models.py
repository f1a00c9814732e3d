"""Payload models shared by server and client (msgspec structs, JSON on the wire).

Times are integer milliseconds since the Unix epoch. ``version`` numbers come from one
server-wide counter: every change a user can observe (a message, a recall, a read cursor, a
conversation setting, a draft) gets a new, larger version, and a device syncs by asking for
everything after the last version it has applied.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from messenger.protocol import bounds as b
from messenger.protocol.bodies import CustomBody as CustomBody
from messenger.protocol.bodies import ImageVariant as ImageVariant
from messenger.protocol.bodies import NoticeBody as NoticeBody
from messenger.protocol.bodies import TextBody as TextBody
from messenger.protocol.bodies import TipBody as TipBody


class Base(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=False):
    """Common struct options: keyword-only, defaults left out of the JSON, unknown keys ignored."""


class MessageKind(enum.StrEnum):
    TEXT = "text"
    CUSTOM = "custom"
    TIP = "tip"  # a group event shown inline in the group's chat
    NOTICE = "notice"  # a system notice in the user's @TIM#SYSTEM conversation
    IMAGE = "image"
    FILE = "file"
    VOICE = "voice"
    VIDEO = "video"
    FACE = "face"  # a sticker
    LOCATION = "location"
    MERGED = "merged"  # a merged forward ("chat history" card)


class RemindType(enum.StrEnum):
    """How a user is told about a conversation's messages (TIM's receive option)."""

    NOTIFY = "notify"  # receive and notify
    SILENT = "silent"  # receive, no notification, not in the total unread
    BLOCK = "block"  # not delivered: no push, no sync, no unread; history stays readable


class Priority(enum.StrEnum):
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"
    LOWEST = "lowest"


class GroupType(enum.StrEnum):
    WORK = "Work"
    PUBLIC = "Public"
    MEETING = "Meeting"
    AVCHATROOM = "AVChatRoom"
    COMMUNITY = "Community"


class JoinOption(enum.StrEnum):
    """How a non-member joins: at once, after an owner or admin approves, or not at all."""

    FREE = "free"
    APPROVAL = "approval"
    FORBIDDEN = "forbidden"


class JoinStatus(enum.StrEnum):
    JOINED = "joined"
    WAITING = "waiting_approval"
    ALREADY_MEMBER = "already_member"


class GroupRole(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class KickReason(enum.StrEnum):
    OTHER_DEVICE = "other_device"  # a newer device signed in and the device limit was reached
    USERSIG_EXPIRED = "usersig_expired"
    BANNED = "banned"
    LOGGED_OUT = "logged_out"  # this device's session was ended by a sign-out elsewhere


# -- message bodies (one tagged struct per kind; the registry is ``kinds.KINDS``) ----------------
# (re-exported here for the modules that know them by this address)


class ReplyRef(Base):
    message_id: b.MessageId
    seq: b.Count
    sender: b.Id
    preview: b.Text = ""


class ForwardRef(Base):
    """The message a forwarded one copies (the sender must be able to see it)."""

    conversation_id: b.ConversationId
    message_id: b.MessageId


class Reaction(Base):
    """One emoji on a message and who put it there, in the order they reacted."""

    emoji: str
    users: list[str] = []


class Message(Base):
    """A stored message as every recipient sees it.

    ``target`` is the receiver's user ID for C2C and the group ID for groups; the viewer's
    conversation ID is derived with ``ids.conversation_id_for``. A recalled message keeps its
    place (``seq``) but loses its body.
    """

    message_id: str
    conv_type: str  # "c2c" | "group" | "system"
    target: str
    sender: str
    seq: int
    client_msg_id: str
    time: int
    kind: str
    body: dict[str, Any] = {}
    mentions: list[str] = []
    mention_all: bool = False
    reply_to: ReplyRef | None = None
    recalled: bool = False
    recalled_by: str | None = None
    recall_time: int | None = None
    version: int = 0
    edit_time: int = 0  # when the text was last edited (0: never)
    reactions: list[Reaction] = []
    forwarded: bool = False  # a copy of another message (``SendRequest.forward``)
    deleted: bool = False  # the viewer deleted it for themselves: a placeholder with no body


class SendRequest(Base):
    """What a client sends to post a message (WS ``send`` frame or REST body)."""

    client_msg_id: b.ClientMsgId
    body: b.Payload
    kind: b.Label = MessageKind.TEXT
    mentions: b.IdList = []
    mention_all: bool = False
    reply_to: ReplyRef | None = None
    priority: Priority = Priority.NORMAL
    online_only: bool = False
    forward: ForwardRef | None = None  # copy this message (its kind and body are the server's)


# -- conversations ---------------------------------------------------------------------------------
class ConversationState(Base):
    """One user's own view of one conversation, synced across that user's devices.

    ``unread_count`` and ``mention_seqs`` are computed by the server when the state is sent: they
    hold for messages up to ``unread_at_seq`` and reflect every change up to ``unread_version``.
    A client adds the later messages it receives and takes back later recalls.
    """

    conversation_id: str
    conv_type: str
    read_seq: int = 0
    pinned: bool = False
    pin_time: int = 0
    remind: RemindType = RemindType.NOTIFY
    hidden_seq: int = -1  # hidden while last_seq <= hidden_seq; -1 means never hidden
    cleared_seq: int = 0  # messages up to here were cleared for this user
    marked_unread: bool = False
    draft_text: str = ""
    draft_time: int = 0
    unread_count: int = 0
    unread_at_seq: int = 0
    mention_seqs: list[int] = []  # unread messages that @mention me or @all, up to unread_at_seq
    unread_version: int = 0  # the count reflects every change (e.g. a recall) up to this version
    joined_seq: int = 0  # I see the messages after this seq (groups joined late)
    version: int = 0


class ConversationSummary(Base):
    """A conversation in the list: my state plus what everyone sees."""

    state: ConversationState
    last_seq: int = 0
    last_message: Message | None = None
    peer_read_seq: int = 0  # C2C: how far the peer has read
    group_name: str = ""
    member_count: int = 0


class ConversationList(Base):
    conversations: list[ConversationSummary]
    version: int  # head version at the time of the snapshot: sync from here
    total_unread: int = 0  # over visible conversations whose remind type is notify


class MessagePage(Base):
    messages: list[Message]
    has_more: bool


class SearchHit(Base):
    """A message found by a search, with its conversation as the searcher sees it."""

    conversation_id: str
    message: Message


class SearchPage(Base):
    hits: list[SearchHit]
    has_more: bool


class ReceiptCount(Base):
    seq: int
    read_count: int
    unread_count: int


class Receipts(Base):
    conversation_id: str
    receipts: list[ReceiptCount]


class ReaderList(Base):
    seq: int
    read: list[str]
    unread: list[str]


class StateUpdate(Base):
    """Fields a user may change on a conversation (only those present are applied)."""

    pinned: bool | None = None
    remind: RemindType | None = None
    marked_unread: bool | None = None


class DraftUpdate(Base):
    text: b.Text
    edit_time: b.Count  # when the user last edited it; an older edit never overwrites a newer one


class ReadRequest(Base):
    seq: b.Count | None = None  # None: everything so far


# -- groups -------------------------------------------------------------------------------------------
class GroupInfo(Base):
    group_id: str
    name: str
    type: GroupType = GroupType.WORK
    owner: str = ""
    create_time: int = 0
    member_count: int = 0
    introduction: str = ""
    notification: str = ""
    avatar: str = ""
    join_option: JoinOption = JoinOption.FORBIDDEN
    mute_all: bool = False
    max_members: int = 0
    custom: dict[str, str] = {}
    pinned: list[str] = []  # message IDs, oldest pin first
    parent: str = ""  # a community topic: its community's group ID
    version: int = 0


class GroupMember(Base):
    user_id: str
    role: GroupRole = GroupRole.MEMBER
    join_time: int = 0
    name_card: str = ""
    mute_until: int = 0  # ms; muted while it is in the future
    custom: dict[str, str] = {}


class InitialMember(Base):
    user_id: b.Id
    role: GroupRole = GroupRole.MEMBER  # member or admin
    custom: b.CustomFields = {}


class CreateGroupRequest(Base):
    name: b.Text
    group_id: b.Id | None = None
    type: GroupType = GroupType.WORK
    members: b.IdList = []
    member_list: Annotated[
        list[InitialMember], Meta(max_length=1000)
    ] = []  # members with roles and custom fields
    introduction: b.Text = ""
    notification: b.Text = ""
    avatar: b.Label = ""
    join_option: JoinOption | None = None  # None: the type's default
    max_members: b.Count | None = None
    custom: b.CustomFields = {}


class AddMembersRequest(Base):
    user_ids: b.IdList


class MemberPage(Base):
    members: list[GroupMember]
    total: int
    has_more: bool


class GroupList(Base):
    groups: list[GroupInfo]


class UpdateGroupRequest(Base):
    """Profile fields to change (only those present)."""

    name: b.Text | None = None
    introduction: b.Text | None = None
    notification: b.Text | None = None
    avatar: b.Label | None = None
    join_option: JoinOption | None = None
    mute_all: bool | None = None
    custom: b.CustomFields | None = None


class JoinGroupRequest(Base):
    note: b.Text = ""  # shown to the owner and admins when approval is needed


class JoinResult(Base):
    status: JoinStatus
    group: GroupInfo
    application_id: int = 0


class GroupApplication(Base):
    application_id: int
    group_id: str
    applicant: str
    note: str = ""
    time: int = 0
    status: str = "pending"  # pending | approved | refused
    handled_by: str = ""


class ApplicationList(Base):
    applications: list[GroupApplication]


class HandleApplicationRequest(Base):
    approve: bool
    note: b.Text = ""  # told to the applicant


class KickRequest(Base):
    user_ids: b.IdList
    reason: b.Text = ""


class RoleRequest(Base):
    role: GroupRole  # admin or member


class MuteRequest(Base):
    seconds: b.Count  # 0 lifts the mute


class TransferRequest(Base):
    new_owner: b.Id


class MemberUpdate(Base):
    name_card: b.Text | None = None
    custom: b.CustomFields | None = None


class NewTopic(Base):
    name: b.Text


class PinRequest(Base):
    message_id: b.MessageId


# -- accounts ------------------------------------------------------------------------------------------
class AllowType(enum.StrEnum):
    """Who may add me as a friend (TIM's allowType)."""

    ANYONE = "anyone"  # added at once
    APPROVAL = "approval"  # a request I accept or refuse
    NOBODY = "nobody"  # refused; I am found by exact ID only


class Gender(enum.StrEnum):
    UNKNOWN = "unknown"
    MALE = "male"
    FEMALE = "female"


class Profile(Base):
    """A user's profile as others see it (``allow_type`` and ``hide_last_seen`` too, so a client
    knows what to offer). ``avatar`` is a server-made avatar ID (``GET /v1/avatars/{id}``)."""

    user_id: str
    nickname: str = ""
    avatar: str = ""
    gender: Gender = Gender.UNKNOWN
    birthday: int = 0  # yyyymmdd, 0 when not given
    location: str = ""
    signature: str = ""
    language: str = ""
    allow_type: AllowType = AllowType.APPROVAL
    hide_last_seen: bool = False
    custom: dict[str, str] = {}
    version: int = 0


class RegisterRequest(Base):
    user_id: b.Id
    password: b.Password
    nickname: b.Label = ""


class PasswordLoginRequest(Base):
    user_id: b.Id
    password: b.Password


class UserSigResponse(Base):
    user_id: str
    user_sig: str
    expires_at: int


class LoginRequest(Base):
    user_id: b.Id
    user_sig: b.UserSig
    device_id: b.DeviceId
    device_name: b.Label = ""
    platform: b.Label = ""


class Limits(Base):
    """Server-configurable limits, announced at login so clients check before sending."""

    text_bytes: int = 12 * 1024
    custom_bytes: int = 12 * 1024
    image_bytes: int = 28 * 1024 * 1024
    file_bytes: int = 100 * 1024 * 1024
    video_bytes: int = 100 * 1024 * 1024
    voice_bytes: int = 28 * 1024 * 1024
    mentions: int = 30
    group_name_bytes: int = 30
    group_introduction_bytes: int = 240
    group_notification_bytes: int = 300
    group_max_members: int = 6000
    group_avatar_bytes: int = 100
    live_room_history: int = 20  # messages a live room shows on joining
    history_page: int = 100
    recall_window_ms: int = 120_000
    edit_window_ms: int = 24 * 3600 * 1000  # own text messages may be edited for this long
    reactions_per_message: int = 20  # distinct emoji on one message
    bundle_messages: int = 100  # messages in one merged forward
    pinned_messages: int = 10  # per conversation
    request_bytes: int = 64 * 1024
    receipts_max_members: int = 1000
    nickname_bytes: int = 64
    signature_bytes: int = 500
    location_bytes: int = 100
    remark_bytes: int = 96
    request_note_bytes: int = 120
    friend_group_name_bytes: int = 30
    friend_groups: int = 50
    friends: int = 10_000
    pending_requests: int = 5_000
    blocks: int = 1_000
    profile_custom_bytes: int = 256
    avatar_bytes: int = 8 * 1024 * 1024


class LoginResponse(Base):
    session_token: str
    user_id: str
    device_id: str
    expires_at: int
    server_time: int
    sdk_app_id: int
    limits: Limits
    kicked_devices: list[str] = []


class RefreshRequest(Base):
    user_sig: b.UserSig


class RefreshResponse(Base):
    expires_at: int


class Health(Base):
    status: str
    version: str
    uptime_ms: int
    connections: int


class ErrorBody(Base):
    code: int
    name: str
    message: str
    details: dict[str, Any] = {}


class Empty(Base):
    pass


# -- media ----------------------------------------------------------------------------------------------
class PossessionChallenge(Base):
    """The server's question to someone who announces a file it already has: the SHA-256 of
    ``nonce`` (hex) followed by the file's bytes ``offset`` to ``offset + length``. Signed by the
    server (``sig``) and valid until ``expires`` (ms); sent back unchanged with the answer."""

    nonce: b.Label
    offset: b.Count
    length: b.Count
    expires: b.Count
    sig: b.Label


class PossessionProof(Base):
    """The answer to a ``PossessionChallenge``: ``digest`` is the hex SHA-256 it asked for."""

    challenge: PossessionChallenge
    digest: b.Label


class UploadRequest(Base):
    """Start (or find again) an upload: what the file is, by its size and SHA-256.

    ``kind`` is the message kind the file is for (its size limit and content rules); ``name`` is
    only shown, never used to store the file. ``proof`` answers the challenge of an earlier
    answer (a file the server has, which the caller must show they hold)."""

    kind: b.Label
    size: b.Count
    sha256: b.MediaId
    name: b.Text = ""
    proof: PossessionProof | None = None


class MediaInfo(Base):
    """A stored file as the server sniffed it (the client's type and name are never trusted)."""

    media_id: str  # hex SHA-256 of the content
    size: int
    mime: str
    width: int = 0  # images: after EXIF orientation
    height: int = 0
    variants: list[ImageVariant] = []


class UploadStatus(Base):
    """Where an upload stands: continue from ``offset``; ``media`` once it is complete."""

    upload_id: str
    size: int
    offset: int
    complete: bool = False
    media: MediaInfo | None = None
    # The server has this file: answer the challenge (``UploadRequest.proof``) instead of sending
    # it; ``upload_id`` is empty then.
    challenge: PossessionChallenge | None = None


class MediaLinkRequest(Base):
    """A short-lived link to a file of a message I can see (for players that cannot send a
    token): ``variant`` is ``""`` (the file), ``small`` or ``large`` (image thumbnails)."""

    conversation_id: b.ConversationId
    message_id: b.MessageId
    variant: b.Label = ""


class MediaLink(Base):
    url: str  # path and query, relative to the server
    expires_at: int
