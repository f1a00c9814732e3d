"""The REST contract: every endpoint once, used by the server's router and OpenAPI document and by
the client's REST transport to build requests.

Requests and responses are JSON. Authenticated endpoints take ``Authorization: Bearer <token>``
(the session token from ``login``). Errors come back with the HTTP status of their class and an
``ErrorBody``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from messenger.protocol import bounds, frames, models, operations, social
from messenger.protocol.fulltext import SearchKind
from messenger.protocol.models import Base

HistoryKind = Literal["", "image", "video", "file", "voice"]


class HistoryQuery(Base):
    """Page of messages by ``seq``: older than ``before_seq`` or newer than ``after_seq``, or
    from the first message at or after ``since_time`` (ms; jump to a date) on. With ``kind``,
    only the messages of that kind that are not recalled (the image viewer's previous / next
    picture of a chat)."""

    before_seq: bounds.Count | None = None
    after_seq: bounds.Count | None = None
    since_time: bounds.Count | None = None
    limit: bounds.PageLimit = 50
    kind: HistoryKind = ""


class MessageSearchQuery(Base):
    """A full-text search of the messages I may read (``fulltext`` says how words match).

    Filters: one conversation, one sender, a kind (``text``, ``file`` names, ``link``), and the
    time range ``since`` ≤ time < ``until`` (ms; 0 = open). Newest first, or best match first
    (``order=relevance``); ``offset`` pages on."""

    q: bounds.SearchText
    conversation_id: bounds.ConversationId = ""
    sender: bounds.Id = ""
    kind: SearchKind = ""
    since: bounds.Count = 0
    until: bounds.Count = 0
    order: Literal["time", "relevance"] = "time"
    offset: bounds.SearchOffset = 0
    limit: bounds.SearchLimit = 20


class SyncQuery(Base):
    since: bounds.Count = 0
    limit: bounds.PageLimit = 500


class MembersQuery(Base):
    offset: bounds.Count = 0
    limit: bounds.PageLimit = 100


class OnlineCount(Base):
    online: int


class ReceiptsQuery(Base):
    seqs: bounds.SeqList  # comma-separated sequence numbers


class TypingRequest(Base):
    typing: bool = True


class DeleteFriendQuery(Base):
    both: bool = True  # also take me out of their list


class DownloadQuery(Base):
    """Which message the file is seen through (a bearer token), or a signed link's fields."""

    conversation_id: bounds.ConversationId = ""
    message_id: bounds.MessageId = ""
    variant: bounds.Label = ""  # "", "small", "large"
    expires: bounds.Count = 0
    user: bounds.Id = ""
    sig: bounds.Label = ""


_PARAM_RE = re.compile(r"{(\w+)}")

PATH_PARAMS: dict[str, Any] = {
    "conversation_id": bounds.ConversationId,
    "user_id": bounds.Id,
    "group_id": bounds.Id,
    "message_id": bounds.MessageId,
    "seq": bounds.Count,
    "application_id": bounds.Count,
    "avatar_id": bounds.Id,
    "name": bounds.Label,  # a friend group
    "upload_id": bounds.MediaId,
    "media_id": bounds.MediaId,
}
"""The type, with its bounds, of every path parameter (``{name}`` in a path) of every endpoint:
the server converts each before its handler runs, and the OpenAPI document states it. A new
parameter name goes here first (the server refuses to build a route without it)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: str
    path: str
    response: type[Any]
    body: type[Base] | None = None
    query: type[Base] | None = None
    auth: bool = True
    summary: str = ""
    tag: str = ""
    binary: bool = False  # the request body (if any) and the answer are raw bytes, not JSON

    @property
    def path_params(self) -> list[str]:
        return _PARAM_RE.findall(self.path)

    def url(self, **params: object) -> str:
        """The path with its parameters filled in and percent-encoded (``@TIM#SYSTEM`` is safe)."""
        return _PARAM_RE.sub(lambda m: quote(str(params[m.group(1)]), safe=""), self.path)


def _e(name: str, method: str, path: str, response: type[Any], **kw: Any) -> Endpoint:
    return Endpoint(name, method, path, response, **kw)


M = models
CONV = "/v1/conversations/{conversation_id}"
GROUP = "/v1/groups/{group_id}"

ENDPOINTS: tuple[Endpoint, ...] = (
    _e(
        "health",
        "GET",
        "/health",
        M.Health,
        auth=False,
        tag="operations",
        summary="Liveness and basic figures",
    ),
    _e(
        "register",
        "POST",
        "/v1/auth/register",
        M.Profile,
        body=M.RegisterRequest,
        auth=False,
        tag="accounts",
        summary="Create a password account",
    ),
    _e(
        "password_login",
        "POST",
        "/v1/auth/password",
        M.UserSigResponse,
        body=M.PasswordLoginRequest,
        auth=False,
        tag="accounts",
        summary="Exchange user ID and password for a UserSig",
    ),
    _e(
        "login",
        "POST",
        "/v1/auth/login",
        M.LoginResponse,
        body=M.LoginRequest,
        auth=False,
        tag="accounts",
        summary="Sign a device in with a UserSig; returns its session token",
    ),
    _e(
        "refresh",
        "POST",
        "/v1/auth/refresh",
        M.RefreshResponse,
        body=M.RefreshRequest,
        tag="accounts",
        summary="Extend this session with a fresh UserSig",
    ),
    _e(
        "logout",
        "POST",
        "/v1/auth/logout",
        M.Empty,
        tag="accounts",
        summary="End this device's session",
    ),
    _e("me", "GET", "/v1/me", M.Profile, tag="accounts", summary="My profile"),
    _e(
        "get_user",
        "GET",
        "/v1/users/{user_id}",
        M.Profile,
        tag="accounts",
        summary="A user's public profile",
    ),
    _e(
        "conversations",
        "GET",
        "/v1/conversations",
        M.ConversationList,
        tag="conversations",
        summary="Snapshot of all my conversations and the version to sync from",
    ),
    _e(
        "conversation",
        "GET",
        CONV,
        M.ConversationSummary,
        tag="conversations",
        summary="One conversation",
    ),
    _e(
        "history",
        "GET",
        CONV + "/messages",
        M.MessagePage,
        query=HistoryQuery,
        tag="messages",
        summary="Page through a conversation's messages by seq",
    ),
    _e(
        "search_messages",
        "GET",
        "/v1/search/messages",
        M.SearchPage,
        query=MessageSearchQuery,
        tag="messages",
        summary="Full-text search of the messages of every conversation I may read",
    ),
    _e(
        "send",
        "POST",
        CONV + "/messages",
        M.Message,
        body=M.SendRequest,
        tag="messages",
        summary="Send a message (idempotent by client_msg_id)",
    ),
    _e(
        "recall",
        "POST",
        CONV + "/messages/{message_id}/recall",
        M.Message,
        tag="messages",
        summary="Recall a message",
    ),
    _e(
        "read",
        "POST",
        CONV + "/read",
        M.ConversationState,
        body=M.ReadRequest,
        tag="conversations",
        summary="Move my read cursor forward",
    ),
    _e(
        "update_state",
        "PATCH",
        CONV + "/state",
        M.ConversationState,
        body=M.StateUpdate,
        tag="conversations",
        summary="Pin, set remind type, mark unread",
    ),
    _e(
        "hide",
        "POST",
        CONV + "/hide",
        M.ConversationState,
        tag="conversations",
        summary="Hide from the list until the next message; history is kept",
    ),
    _e(
        "clear",
        "POST",
        CONV + "/clear",
        M.ConversationState,
        tag="conversations",
        summary="Clear my history of this conversation on all my devices",
    ),
    _e(
        "set_draft",
        "PUT",
        CONV + "/draft",
        M.ConversationState,
        body=M.DraftUpdate,
        tag="conversations",
        summary="Save my draft (an older edit never wins)",
    ),
    _e(
        "receipts",
        "GET",
        CONV + "/receipts",
        M.Receipts,
        query=ReceiptsQuery,
        tag="messages",
        summary="Read counts of messages",
    ),
    _e(
        "readers",
        "GET",
        CONV + "/messages/{seq}/readers",
        M.ReaderList,
        tag="messages",
        summary="Who has read a group message and who has not",
    ),
    _e(
        "typing",
        "POST",
        CONV + "/typing",
        M.Empty,
        body=TypingRequest,
        tag="messages",
        summary="Tell the other side I am typing (online only)",
    ),
    _e(
        "sync",
        "GET",
        "/v1/sync",
        frames.SyncPage,
        query=SyncQuery,
        tag="sync",
        summary="Changes after a version, in version order",
    ),
    _e(
        "create_group",
        "POST",
        "/v1/groups",
        M.GroupInfo,
        body=M.CreateGroupRequest,
        tag="groups",
        summary="Create a group",
    ),
    _e("my_groups", "GET", "/v1/groups", M.GroupList, tag="groups", summary="My groups"),
    _e(
        "get_group",
        "GET",
        "/v1/groups/{group_id}",
        M.GroupInfo,
        tag="groups",
        summary="A group's profile",
    ),
    _e(
        "add_members",
        "POST",
        "/v1/groups/{group_id}/members",
        M.GroupInfo,
        body=M.AddMembersRequest,
        tag="groups",
        summary="Add members",
    ),
    _e(
        "list_members",
        "GET",
        "/v1/groups/{group_id}/members",
        M.MemberPage,
        query=MembersQuery,
        tag="groups",
        summary="Page through members",
    ),
    _e(
        "update_group",
        "PATCH",
        GROUP,
        M.GroupInfo,
        body=M.UpdateGroupRequest,
        tag="groups",
        summary="Edit the group's profile (a tip tells every member)",
    ),
    _e(
        "join_group",
        "POST",
        GROUP + "/join",
        M.JoinResult,
        body=M.JoinGroupRequest,
        tag="groups",
        summary="Join, or apply with a note when approval is needed",
    ),
    _e(
        "group_applications",
        "GET",
        GROUP + "/applications",
        M.ApplicationList,
        tag="groups",
        summary="Pending join applications (owner and admins)",
    ),
    _e(
        "handle_application",
        "POST",
        GROUP + "/applications/{application_id}",
        M.GroupInfo,
        body=M.HandleApplicationRequest,
        tag="groups",
        summary="Approve or refuse an application (the first to handle it wins)",
    ),
    _e(
        "quit_group",
        "POST",
        GROUP + "/quit",
        M.GroupInfo,
        tag="groups",
        summary="Leave the group (an owner transfers ownership first)",
    ),
    _e(
        "dismiss_group",
        "POST",
        GROUP + "/dismiss",
        M.GroupInfo,
        tag="groups",
        summary="Dismiss the group: every member leaves it",
    ),
    _e(
        "transfer_owner",
        "POST",
        GROUP + "/owner",
        M.GroupInfo,
        body=M.TransferRequest,
        tag="groups",
        summary="Make another member the owner",
    ),
    _e(
        "kick_members",
        "POST",
        GROUP + "/kick",
        M.GroupInfo,
        body=M.KickRequest,
        tag="groups",
        summary="Remove members, with a reason",
    ),
    _e(
        "set_member_role",
        "PUT",
        GROUP + "/members/{user_id}/role",
        M.GroupInfo,
        body=M.RoleRequest,
        tag="groups",
        summary="Set or unset an admin",
    ),
    _e(
        "mute_member",
        "PUT",
        GROUP + "/members/{user_id}/mute",
        M.GroupInfo,
        body=M.MuteRequest,
        tag="groups",
        summary="Mute a member for N seconds (0 lifts it)",
    ),
    _e(
        "update_member",
        "PATCH",
        GROUP + "/members/{user_id}",
        M.GroupInfo,
        body=M.MemberUpdate,
        tag="groups",
        summary="Set a member's name card or custom fields",
    ),
    _e(
        "pin_message",
        "POST",
        GROUP + "/pins",
        M.GroupInfo,
        body=M.PinRequest,
        tag="groups",
        summary="Pin a group message (up to 10)",
    ),
    _e(
        "unpin_message",
        "DELETE",
        GROUP + "/pins/{message_id}",
        M.GroupInfo,
        tag="groups",
        summary="Unpin a group message",
    ),
    _e(
        "create_topic",
        "POST",
        GROUP + "/topics",
        M.GroupInfo,
        body=M.NewTopic,
        tag="groups",
        summary="Create a community topic (its own conversation)",
    ),
    _e(
        "topics",
        "GET",
        GROUP + "/topics",
        M.GroupList,
        tag="groups",
        summary="A community's topics",
    ),
    _e(
        "group_online",
        "GET",
        GROUP + "/online",
        OnlineCount,
        tag="groups",
        summary="How many members are online",
    ),
    _e(
        "begin_upload",
        "POST",
        "/v1/uploads",
        M.UploadStatus,
        body=M.UploadRequest,
        tag="media",
        summary="Start an upload, or find it again (a file the server has is not sent again)",
    ),
    _e(
        "upload_status",
        "GET",
        "/v1/uploads/{upload_id}",
        M.UploadStatus,
        tag="media",
        summary="How far an upload has come",
    ),
    _e(
        "media_link",
        "POST",
        "/v1/media/{media_id}/link",
        M.MediaLink,
        body=M.MediaLinkRequest,
        tag="media",
        summary="A short-lived signed link to a file of a message I can see",
    ),
)

S = social
FRIENDS = "/v1/friends/{user_id}"
REQUESTS = "/v1/friend-requests"

PEOPLE_ENDPOINTS: tuple[Endpoint, ...] = (
    _e(
        "update_me",
        "PATCH",
        "/v1/me",
        M.Profile,
        body=S.ProfileUpdate,
        tag="people",
        summary="Change my profile (only the fields given)",
    ),
    _e(
        "set_status",
        "PUT",
        "/v1/me/status",
        M.Empty,
        body=S.StatusText,
        tag="people",
        summary="Set my custom status text (pushed with my presence)",
    ),
    _e(
        "upload_avatar",
        "POST",
        "/v1/avatars",
        S.AvatarRef,
        binary=True,
        tag="people",
        summary="Upload an image (the body); stored resized as a square, returns its ID",
    ),
    _e(
        "get_avatar",
        "GET",
        "/v1/avatars/{avatar_id}",
        bytes,
        binary=True,
        tag="people",
        summary="An avatar image (PNG) by ID",
    ),
    _e(
        "get_users",
        "POST",
        "/v1/users/profiles",
        S.ProfileList,
        body=S.ProfilesRequest,
        tag="people",
        summary="Public profiles of up to 100 users at once (unknown users left out)",
    ),
    _e(
        "search_users",
        "GET",
        "/v1/users",
        S.UserPage,
        query=S.UserSearchQuery,
        tag="people",
        summary="Find users by exact ID or by nickname (paged)",
    ),
    _e(
        "contacts",
        "GET",
        "/v1/contacts",
        S.Contacts,
        tag="people",
        summary="Snapshot of my friends, requests, friend groups and block list",
    ),
    _e(
        "add_friend",
        "POST",
        "/v1/friends",
        S.AddFriendResult,
        body=S.AddFriendRequest,
        tag="people",
        summary="Add a friend: at once, as a request, or refused, by their policy",
    ),
    _e(
        "update_friend",
        "PATCH",
        FRIENDS,
        S.Friend,
        body=S.FriendUpdate,
        tag="people",
        summary="Set a friend's remark or friend groups",
    ),
    _e(
        "delete_friend",
        "DELETE",
        FRIENDS,
        M.Empty,
        query=DeleteFriendQuery,
        tag="people",
        summary="Delete a friend (one way, or both ways)",
    ),
    _e(
        "relation",
        "GET",
        FRIENDS + "/relation",
        S.RelationAnswer,
        tag="people",
        summary="How we stand: none, mine, theirs or both",
    ),
    _e(
        "accept_request",
        "POST",
        REQUESTS + "/{user_id}/accept",
        S.RelationAnswer,
        body=S.AcceptRequest,
        tag="people",
        summary="Accept a request (one way or both ways)",
    ),
    _e(
        "refuse_request",
        "POST",
        REQUESTS + "/{user_id}/refuse",
        M.Empty,
        tag="people",
        summary="Refuse a request",
    ),
    _e(
        "delete_request",
        "DELETE",
        REQUESTS + "/{user_id}",
        M.Empty,
        tag="people",
        summary="Withdraw my request to a user or dismiss theirs, silently",
    ),
    _e(
        "read_requests",
        "POST",
        REQUESTS + "/read",
        M.Empty,
        tag="people",
        summary="Mark my incoming requests as seen",
    ),
    _e(
        "create_friend_group",
        "POST",
        "/v1/friend-groups",
        S.FriendGroup,
        body=S.NewFriendGroup,
        tag="people",
        summary="Create a friend group",
    ),
    _e(
        "edit_friend_group",
        "PATCH",
        "/v1/friend-groups/{name}",
        S.FriendGroup,
        body=S.FriendGroupEdit,
        tag="people",
        summary="Rename a friend group, add or remove",
    ),
    _e(
        "delete_friend_group",
        "DELETE",
        "/v1/friend-groups/{name}",
        M.Empty,
        tag="people",
        summary="Delete a friend group (the friends stay)",
    ),
    _e("block", "PUT", "/v1/blocks/{user_id}", M.Empty, tag="people", summary="Block a user"),
    _e(
        "unblock", "DELETE", "/v1/blocks/{user_id}", M.Empty, tag="people", summary="Unblock a user"
    ),
    _e(
        "presence",
        "GET",
        "/v1/presence",
        S.StatusList,
        query=S.StatusQuery,
        tag="people",
        summary="Online state, last seen and status text of users I may see",
    ),
)

OPS = operations

OPERATION_ENDPOINTS: tuple[Endpoint, ...] = (
    _e(
        "edit_message",
        "PATCH",
        CONV + "/messages/{message_id}",
        M.Message,
        body=OPS.EditRequest,
        tag="messages",
        summary="Edit one of my text messages within the edit window",
    ),
    _e(
        "delete_for_me",
        "POST",
        CONV + "/deleted",
        OPS.DeleteResult,
        body=OPS.DeleteRequest,
        tag="messages",
        summary="Delete messages for me only (my devices follow; others keep them)",
    ),
    _e(
        "react",
        "POST",
        CONV + "/messages/{message_id}/reactions",
        M.Message,
        body=OPS.ReactionRequest,
        tag="messages",
        summary="Add or take back my reaction (an emoji) on a message",
    ),
    _e(
        "create_bundle",
        "POST",
        "/v1/bundles",
        OPS.BundleInfo,
        body=OPS.BundleRequest,
        tag="messages",
        summary="Store messages I can see as the content of a merged forward",
    ),
    _e(
        "get_bundle",
        "GET",
        CONV + "/messages/{message_id}/bundle",
        OPS.Bundle,
        query=OPS.BundleQuery,
        tag="messages",
        summary="The messages of a merged forward (or of one nested in it)",
    ),
    _e(
        "conversation_pins",
        "GET",
        CONV + "/pins",
        OPS.PinList,
        tag="messages",
        summary="The pinned messages of a conversation",
    ),
    _e(
        "pin_in_conversation",
        "POST",
        CONV + "/pins",
        OPS.PinList,
        body=M.PinRequest,
        tag="messages",
        summary="Pin a message (C2C: for both sides; groups: owner and admins)",
    ),
    _e(
        "unpin_in_conversation",
        "DELETE",
        CONV + "/pins/{message_id}",
        OPS.PinList,
        tag="messages",
        summary="Unpin a message",
    ),
)

ENDPOINTS = ENDPOINTS + PEOPLE_ENDPOINTS + OPERATION_ENDPOINTS

# Streaming endpoints: served outside the JSON router (whose body cap they would break). The
# upload takes raw bytes from ``Upload-Offset`` on; the download answers with the file's bytes,
# honouring ``Range``.
STREAM_ENDPOINTS: tuple[Endpoint, ...] = (
    _e(
        "upload_bytes",
        "PUT",
        "/v1/uploads/{upload_id}",
        M.UploadStatus,
        tag="media",
        summary="Send an upload's bytes from the offset in the Upload-Offset header",
    ),
    _e(
        "download",
        "GET",
        "/v1/media/{media_id}",
        bytes,
        query=DownloadQuery,
        tag="media",
        summary="A file of a message I can see (Range requests honoured), or by a signed link",
    ),
)

BY_NAME: dict[str, Endpoint] = {e.name: e for e in (*ENDPOINTS, *STREAM_ENDPOINTS)}
