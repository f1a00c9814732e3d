"""The REST contract: every endpoint once, used by the server's router and OpenAPI document and by
the client's REST transport to build requests.

Requests and responses are JSON. Authenticated endpoints take ``Authorization: Bearer <token>``
(the session token from ``login``). Errors come back with the HTTP status of their class and an
``ErrorBody``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from messenger.protocol import frames, models
from messenger.protocol.models import Base


class HistoryQuery(Base):
    """Page of messages by ``seq``: older than ``before_seq`` or newer than ``after_seq``."""

    before_seq: int | None = None
    after_seq: int | None = None
    limit: int = 50


class SyncQuery(Base):
    since: int = 0
    limit: int = 500


class MembersQuery(Base):
    offset: int = 0
    limit: int = 100


class ReceiptsQuery(Base):
    seqs: str  # comma-separated sequence numbers


class TypingRequest(Base):
    typing: bool = True


_PARAM_RE = re.compile(r"{(\w+)}")


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
)

BY_NAME: dict[str, Endpoint] = {e.name: e for e in ENDPOINTS}
