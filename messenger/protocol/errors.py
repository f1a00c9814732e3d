"""The typed error tree shared by server and client.

Every failure has a stable numeric ``code`` (TIM's where one exists), a snake_case ``name`` and a
human message. On the wire an error is ``{"code", "name", "message", "details"}``; the server
raises these classes in its services and the client raises the very same classes when it reads an
error back, so a caller catches ``MessageTooLarge`` whichever side noticed the problem.

    MessengerError
     ├── InvalidRequest ─┬── InvalidParameter
     │                   ├── PayloadTooLarge
     │                   ├── MessageTooLarge
     │                   ├── TooManyMentions
     │                   ├── FileTooLarge
     │                   ├── UnsupportedMedia
     │                   ├── ContentMismatch
     │                   ├── UploadIncomplete
     │                   └── RequestTooSlow
     ├── AuthError ──────┬── UserSigInvalid ── UserSigForged
     │                   ├── UserSigExpired
     │                   ├── UserSigWrongApp
     │                   ├── UserSigWrongUser
     │                   ├── BadCredentials
     │                   ├── SessionInvalid ── SessionRevoked
     │                   └── AccountBanned
     ├── PermissionDenied ─┬── NotMember
     │                     ├── TooManyDevices
     │                     ├── Muted
     │                     ├── BlockedByPeer
     │                     ├── PeerBlockedByMe
     │                     ├── FriendAddForbidden
     │                     ├── GroupActionForbidden
     │                     ├── OwnerCannotQuit
     │                     └── RefusedByCallback
     ├── NotFound ───────┬── UserNotFound
     │                   ├── GroupNotFound
     │                   ├── ConversationNotFound
     │                   ├── MessageNotFound
     │                   ├── FriendRequestNotFound
     │                   ├── NotFriend
     │                   ├── FriendGroupNotFound
     │                   ├── AvatarNotFound
     │                   ├── MediaNotFound
     │                   └── BundleNotFound
     ├── Conflict ───────┬── AlreadyExists
     │                   ├── GroupFull
     │                   ├── AlreadyFriends
     │                   ├── DuplicateFriendRequest
     │                   ├── LimitReached
     │                   ├── RecallWindowExpired
     │                   ├── NotRecallable
     │                   ├── ApplicationHandled
     │                   ├── TooManyPinned
     │                   ├── UploadOffsetMismatch
     │                   ├── NotEditable
     │                   ├── EditWindowExpired
     │                   └── TooManyReactions
     ├── RateLimited
     ├── ServerError ─┬── SchemaTooNew
     │                └── CallbackUnavailable
     └── ClientError ────┬── NetworkError
                         ├── RequestTimeout
                         ├── NotLoggedIn
                         └── ClientClosed
"""

from __future__ import annotations

from typing import Any, ClassVar


class MessengerError(Exception):
    """Root of every error the project raises on purpose."""

    code: ClassVar[int] = 10002
    name: ClassVar[str] = "error"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.name.replace("_", " ")
        self.details: dict[str, Any] = details
        super().__init__(self.message)

    def to_wire(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "details": self.details,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code})"


# -- bad input ------------------------------------------------------------------------------------
class InvalidRequest(MessengerError):
    code = 10004
    name = "invalid_request"
    http_status = 400


class InvalidParameter(InvalidRequest):
    code = 10004
    name = "invalid_parameter"


class PayloadTooLarge(InvalidRequest):
    code = 10020
    name = "payload_too_large"
    http_status = 413


class MessageTooLarge(InvalidRequest):
    code = 80002
    name = "message_too_large"
    http_status = 413


class TooManyMentions(InvalidRequest):
    code = 80004
    name = "too_many_mentions"


class FileTooLarge(InvalidRequest):
    """An upload over its kind's limit (``details``: ``size``, ``limit``)."""

    code = 80003
    name = "file_too_large"
    http_status = 413


class UnsupportedMedia(InvalidRequest):
    """The content is not what its kind needs (a "PNG" that is a program, an image too large to
    decode safely); ``details["reason"]`` says which."""

    code = 80005
    name = "unsupported_media"
    http_status = 415


class ContentMismatch(InvalidRequest):
    """The uploaded bytes do not have the SHA-256 announced for them."""

    code = 80006
    name = "content_mismatch"


class UploadIncomplete(InvalidRequest):
    """The upload has not received all its bytes (``details``: ``offset``, ``size``)."""

    code = 80007
    name = "upload_incomplete"


class RequestTooSlow(InvalidRequest):
    """The request body did not arrive in time (``details["timeout_ms"]``)."""

    code = 10024
    name = "request_too_slow"
    http_status = 408


# -- authentication ---------------------------------------------------------------------------------
class AuthError(MessengerError):
    code = 70000
    name = "auth_error"
    http_status = 401


class UserSigInvalid(AuthError):
    """Malformed: not TIM base64, not zlib, not the expected JSON document."""

    code = 70003
    name = "usersig_invalid"


class UserSigForged(UserSigInvalid):
    """Well formed, but the HMAC does not match the server's secret key."""

    code = 70009
    name = "usersig_forged"


class UserSigExpired(AuthError):
    code = 70001
    name = "usersig_expired"


class UserSigWrongApp(AuthError):
    code = 70014
    name = "usersig_wrong_app"


class UserSigWrongUser(AuthError):
    code = 70013
    name = "usersig_wrong_user"


class BadCredentials(AuthError):
    code = 70103
    name = "bad_credentials"


class SessionInvalid(AuthError):
    code = 70101
    name = "session_invalid"


class SessionRevoked(SessionInvalid):
    """The session was ended by a kick (another device, expiry, ban) or a logout."""

    code = 70102
    name = "session_revoked"


class AccountBanned(AuthError):
    code = 70106
    name = "account_banned"
    http_status = 403


# -- authorisation -----------------------------------------------------------------------------------
class PermissionDenied(MessengerError):
    code = 10007
    name = "permission_denied"
    http_status = 403


class NotMember(PermissionDenied):
    code = 10060
    name = "not_member"


class TooManyDevices(PermissionDenied):
    code = 70105
    name = "too_many_devices"


class Muted(PermissionDenied):
    code = 10017
    name = "muted"


class BlockedByPeer(PermissionDenied):
    """The other user has blocked me: no message, no friend request reaches them."""

    code = 20007
    name = "blocked_by_peer"


class PeerBlockedByMe(PermissionDenied):
    """I have blocked this user: unblock them first."""

    code = 30515
    name = "peer_blocked_by_me"


class FriendAddForbidden(PermissionDenied):
    """The user accepts no friend requests ("nobody")."""

    code = 30516
    name = "friend_add_forbidden"


class GroupActionForbidden(PermissionDenied):
    """The group's type allows the action to nobody (e.g. inviting into a live room)."""

    code = 10063
    name = "group_action_forbidden"


class OwnerCannotQuit(PermissionDenied):
    """The owner must transfer ownership (or dismiss the group) before leaving it."""

    code = 10009
    name = "owner_cannot_quit"


class RefusedByCallback(PermissionDenied):
    """The operator's callback service refused the action (a message, a join); the message is
    its reason (also ``details["reason"]``), ``details["event"]`` which callback refused."""

    code = 10016
    name = "refused_by_callback"


# -- missing things ------------------------------------------------------------------------------------
class NotFound(MessengerError):
    code = 10015
    name = "not_found"
    http_status = 404


class UserNotFound(NotFound):
    code = 10019
    name = "user_not_found"


class GroupNotFound(NotFound):
    code = 10010
    name = "group_not_found"


class ConversationNotFound(NotFound):
    code = 10061
    name = "conversation_not_found"


class MessageNotFound(NotFound):
    code = 10030
    name = "message_not_found"


class FriendRequestNotFound(NotFound):
    code = 30614
    name = "friend_request_not_found"


class NotFriend(NotFound):
    code = 31704
    name = "not_friend"


class FriendGroupNotFound(NotFound):
    code = 30020
    name = "friend_group_not_found"


class AvatarNotFound(NotFound):
    code = 30021
    name = "avatar_not_found"


class MediaNotFound(NotFound):
    """No such upload or file, or none this user may see."""

    code = 10033
    name = "media_not_found"


class BundleNotFound(NotFound):
    """No such merged-forward content, or none this user may open."""

    code = 10035
    name = "bundle_not_found"


# -- state conflicts -----------------------------------------------------------------------------------
class Conflict(MessengerError):
    code = 10062
    name = "conflict"
    http_status = 409


class AlreadyExists(Conflict):
    code = 10021
    name = "already_exists"


class GroupFull(Conflict):
    code = 10014
    name = "group_full"


class AlreadyFriends(Conflict):
    code = 30015
    name = "already_friends"


class DuplicateFriendRequest(Conflict):
    """A request to this user is already waiting for their answer."""

    code = 30539
    name = "duplicate_friend_request"


class LimitReached(Conflict):
    """Too many friends, friend groups, pending requests or blocked users."""

    code = 30010
    name = "limit_reached"


class RecallWindowExpired(Conflict):
    code = 10031
    name = "recall_window_expired"


class NotRecallable(Conflict):
    code = 10032
    name = "not_recallable"


class ApplicationHandled(Conflict):
    """Another owner or admin already approved or refused this join application."""

    code = 10024
    name = "application_handled"


class TooManyPinned(Conflict):
    code = 10064
    name = "too_many_pinned"


class NotEditable(Conflict):
    """Only the sender's own text messages can be edited, and not once recalled."""

    code = 10065
    name = "not_editable"


class EditWindowExpired(Conflict):
    """Too long after sending to edit (``details``: ``window_ms``)."""

    code = 10066
    name = "edit_window_expired"


class TooManyReactions(Conflict):
    """A message has the most distinct emoji it may carry (``details``: ``limit``)."""

    code = 10067
    name = "too_many_reactions"


class UploadOffsetMismatch(Conflict):
    """Bytes sent for another offset than the one the server has; ``details["offset"]`` is where
    to continue."""

    code = 10034
    name = "upload_offset_mismatch"


# -- load -----------------------------------------------------------------------------------------------
class RateLimited(MessengerError):
    """Too many requests; ``details["retry_after_ms"]`` says when to try again."""

    code = 10006
    name = "rate_limited"
    http_status = 429

    @property
    def retry_after_ms(self) -> int:
        return int(self.details.get("retry_after_ms", 1000))


class ServerError(MessengerError):
    code = 10002
    name = "server_error"
    http_status = 500


class SchemaTooNew(ServerError):
    """The server's database was written by a newer server version (``details["database"]``, the
    highest schema this one knows in ``details["known"]``): the server refuses to start."""

    code = 10002
    name = "schema_too_new"


class CallbackUnavailable(ServerError):
    """The operator's callback service did not answer and the server is set to refuse then
    (``callback_on_failure = "refuse"``); trying again later may succeed."""

    code = 10035
    name = "callback_unavailable"
    http_status = 503


# -- raised by the client alone ------------------------------------------------------------------------
class ClientError(MessengerError):
    code = 6000
    name = "client_error"


class NetworkError(ClientError):
    code = 6010
    name = "network_error"


class RequestTimeout(ClientError):
    code = 6012
    name = "request_timeout"


class NotLoggedIn(ClientError):
    code = 6014
    name = "not_logged_in"


class ClientClosed(ClientError):
    code = 6015
    name = "client_closed"


def _all_subclasses(cls: type[MessengerError]) -> list[type[MessengerError]]:
    found: list[type[MessengerError]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


_ALL_ERRORS: list[type[MessengerError]] = [MessengerError, *_all_subclasses(MessengerError)]
ERRORS_BY_NAME: dict[str, type[MessengerError]] = {cls.name: cls for cls in _ALL_ERRORS}


def error_from_wire(payload: object) -> MessengerError:
    """Rebuild the typed error from its wire form; unknown names fall back on the code's family,
    and anything unreadable (a proxy's error page, a malformed body) on ``ServerError``."""
    if not isinstance(payload, dict):
        return ServerError("the server answered with an unreadable error")
    name = payload.get("name")
    raw_message = payload.get("message")
    message = raw_message if isinstance(raw_message, str) and raw_message else None
    details = payload.get("details") or {}
    if not isinstance(details, dict):
        details = {}
    cls = ERRORS_BY_NAME.get(name) if isinstance(name, str) else None
    if cls is None:
        code = payload.get("code")
        cls = next(
            (
                c
                for c in ERRORS_BY_NAME.values()
                if c.code == code and c is not MessengerError and not isinstance(code, bool)
            ),
            ServerError,
        )
    error = cls(message)
    error.details = {str(k): v for k, v in details.items()}  # (any key, even "message")
    return error
