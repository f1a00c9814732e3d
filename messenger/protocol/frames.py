"""WebSocket frames: one JSON text frame each, tagged by ``"t"``.

A device opens ``/v1/ws``, sends ``hello`` with its session token and the last version it has
applied, and receives ``welcome``, then the changes it missed (``changes`` frames with
``catchup`` set), then ``synced``, then live ``changes`` as they happen. Changes on one
connection always arrive in increasing version order; if the server cannot keep that promise
(a slow reader, a restart) it closes the socket and the device reconnects from its last version.
"""

from __future__ import annotations

from typing import Any

import msgspec

from messenger.protocol import bounds as b
from messenger.protocol.decoding import decode
from messenger.protocol.models import (
    Base,
    ConversationState,
    ErrorBody,
    GroupInfo,
    Message,
    Profile,
    Receipts,
    SendRequest,
)
from messenger.protocol.social import Friend, FriendRequest, UserStatus


# -- changes: the synced feed --------------------------------------------------------------------------
class Change(Base, tag_field="c"):
    v: int  # the server-wide version of this change


class MessageChange(Change, tag="message"):
    """A new message, or a stored one that changed (recalled)."""

    message: Message


class StateChange(Change, tag="state"):
    """My own state of a conversation changed (read cursor, pin, remind, hide, clear, draft)."""

    state: ConversationState


class PeerReadChange(Change, tag="peer_read"):
    """The peer of a C2C conversation read up to ``read_seq``."""

    conversation_id: str
    read_seq: int


class GroupChange(Change, tag="group"):
    """A group I belong to was created or changed, or I joined or left it."""

    group: GroupInfo
    member: bool = True


class ProfileChange(Change, tag="profile"):
    """My profile, or that of someone who can be seen from my friend list, changed."""

    profile: Profile


class FriendChange(Change, tag="friend"):
    """An entry of my friend list was added or changed, or it is gone (``removed``)."""

    friend: Friend
    removed: bool = False


class FriendRequestChange(Change, tag="friend_request"):
    """A request I sent or received is new or changed, or it left both inboxes (``removed``)."""

    request: FriendRequest
    removed: bool = False


class FriendGroupChange(Change, tag="friend_group"):
    """One of my friend groups was created or deleted (a rename is a delete and a create; the
    friends' ``groups`` change with it)."""

    name: str
    removed: bool = False


class BlockChange(Change, tag="block"):
    """I blocked or unblocked ``user_id``."""

    user_id: str
    blocked: bool = True


class PinsChange(Change, tag="pins"):
    """The pinned messages of a C2C conversation changed (a group's are in its profile)."""

    conversation_id: str
    pinned: list[str] = msgspec.field(default_factory=list)


AnyChange = (
    MessageChange
    | StateChange
    | PeerReadChange
    | GroupChange
    | ProfileChange
    | FriendChange
    | FriendRequestChange
    | FriendGroupChange
    | BlockChange
    | PinsChange
)


class SyncPage(Base):
    """REST ``GET /v1/sync`` answer; the WebSocket sends the same changes in ``changes`` frames."""

    changes: list[AnyChange]
    next_version: int
    has_more: bool


# -- client → server -----------------------------------------------------------------------------------
class ClientFrame(Base, tag_field="t"):
    pass


class Hello(ClientFrame, tag="hello"):
    token: b.Token
    since: b.Int | None = None  # None: no catch-up, live changes only


class Send(ClientFrame, tag="send"):
    id: b.Int
    conversation_id: b.ConversationId
    msg: SendRequest


class Read(ClientFrame, tag="read"):
    id: b.Int
    conversation_id: b.ConversationId
    seq: b.Count | None = None


class TypingOut(ClientFrame, tag="typing"):
    conversation_id: b.ConversationId
    typing: bool = True


class Ping(ClientFrame, tag="ping"):
    id: b.Int


AnyClientFrame = Hello | Send | Read | TypingOut | Ping


# -- server → client -----------------------------------------------------------------------------------
class ServerFrame(Base, tag_field="t"):
    pass


class Welcome(ServerFrame, tag="welcome"):
    user_id: str
    device_id: str
    head: int
    server_time: int
    expires_at: int


class Changes(ServerFrame, tag="changes"):
    changes: list[AnyChange]
    catchup: bool = False


class Synced(ServerFrame, tag="synced"):
    version: int


class Ack(ServerFrame, tag="ack"):
    id: int
    message: Message | None = None
    state: ConversationState | None = None


class ErrorFrame(ServerFrame, tag="error"):
    error: ErrorBody
    id: int | None = None


class Pong(ServerFrame, tag="pong"):
    id: int
    server_time: int


class TypingIn(ServerFrame, tag="typing"):
    conversation_id: str
    user_id: str
    typing: bool = True


class OnlineMessage(ServerFrame, tag="online"):
    """An online-only message: delivered to connected devices, never stored or synced."""

    message: Message


class ReceiptsFrame(ServerFrame, tag="receipts"):
    receipts: Receipts


class Presence(ServerFrame, tag="presence"):
    """Users I can see came online, went offline or changed their status text (not stored)."""

    statuses: list[UserStatus]


class GroupOnline(ServerFrame, tag="group_online"):
    """How many members of a live room are online (and how many it has), pushed to them when it
    changes (not stored; at most one a second per room)."""

    group_id: str
    online: int
    members: int


class Kicked(ServerFrame, tag="kicked"):
    reason: str
    message: str = ""


class Expiring(ServerFrame, tag="expiring"):
    """The session's UserSig expires soon: refresh it (``POST /v1/auth/refresh``)."""

    expires_at: int


AnyServerFrame = (
    Welcome
    | Changes
    | Synced
    | Ack
    | ErrorFrame
    | Pong
    | TypingIn
    | OnlineMessage
    | ReceiptsFrame
    | Presence
    | GroupOnline
    | Kicked
    | Expiring
)

# WebSocket close codes (4000–4999 are the application's).
CLOSE_KICKED = 4001
CLOSE_AUTH_FAILED = 4003
CLOSE_PROTOCOL_ERROR = 4002
CLOSE_TOO_SLOW = 4008
CLOSE_SERVER_SHUTDOWN = 4009
CLOSE_RATE_LIMITED = 4029  # too many sockets from this address or of this account (retry later)

_encoder = msgspec.json.Encoder()


def encode(obj: Any) -> bytes:
    return _encoder.encode(obj)


def decode_client_frame(data: bytes | str) -> AnyClientFrame:
    """A frame from a device; ``InvalidParameter`` (with its ``reason``) if it cannot be read."""
    frame: AnyClientFrame = decode(data, AnyClientFrame, what="frame")  # type: ignore[arg-type]
    return frame


def decode_server_frame(data: bytes | str) -> AnyServerFrame:
    """A frame from the server; ``InvalidParameter`` (with its ``reason``) if it cannot be read."""
    frame: AnyServerFrame = decode(data, AnyServerFrame, what="frame")  # type: ignore[arg-type]
    return frame
