"""A refusal in the user's language: each typed error of the protocol, or failing that the
nearest family it belongs to, has a sentence of its own. The server's English message is shown
only for an error no sentence covers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from messenger.protocol import errors
from messenger.protocol.errors import MessengerError


def _tr(text: str) -> str:
    return QCoreApplication.translate("Refusal", text)


# The error's own class is looked up first, then its ancestors (each sentence is translated
# when it is shown, in the language of that moment).
_SENTENCES: dict[type[MessengerError], Callable[[], str]] = {
    errors.BlockedByPeer: lambda: _tr("This user does not accept messages or requests from you."),
    errors.FriendAddForbidden: lambda: _tr("This user does not accept friend requests."),
    errors.DuplicateFriendRequest: lambda: _tr("Your request is still waiting for an answer."),
    errors.AlreadyFriends: lambda: _tr("Already in your friend list."),
    errors.PeerBlockedByMe: lambda: _tr("You have blocked this user. Unblock them first."),
    errors.UserNotFound: lambda: _tr("There is no such user."),
    errors.GroupNotFound: lambda: _tr("There is no such group."),
    errors.NotMember: lambda: _tr("You are not a member of this group."),
    errors.Muted: lambda: _tr("You are muted here."),
    errors.GroupActionForbidden: lambda: _tr("This kind of group does not allow that."),
    errors.OwnerCannotQuit: lambda: _tr(
        "Hand the group to someone else (or dismiss it) before leaving."
    ),
    errors.GroupFull: lambda: _tr("The group is full."),
    errors.ApplicationHandled: lambda: _tr("Another admin has already answered this request."),
    errors.LimitReached: lambda: _tr("You have reached the limit for this."),
    errors.RecallWindowExpired: lambda: _tr("It is too late to recall this message."),
    errors.TooManyPinned: lambda: _tr("Too many pinned messages; unpin one first."),
    errors.FileTooLarge: lambda: _tr("The file is too large."),
    errors.UnsupportedMedia: lambda: _tr("This file cannot be sent as that kind of message."),
    errors.PermissionDenied: lambda: _tr("You are not allowed to do that."),
    errors.NotFound: lambda: _tr("It no longer exists."),
    errors.RateLimited: lambda: _tr("Too many requests at once; try again in a moment."),
    errors.NetworkError: lambda: _tr("No connection to the server; try again when it is back."),
    errors.RequestTimeout: lambda: _tr("The server did not answer in time; try again."),
    errors.AuthError: lambda: _tr("Your session has ended; sign in again."),
    errors.ServerError: lambda: _tr("The server failed to do that; try again later."),
}


def refusal_text(exc: MessengerError) -> str:
    """What to tell the user about ``exc``."""
    for kind in type(exc).__mro__:
        sentence = _SENTENCES.get(kind)
        if sentence is not None:
            return sentence()
    return _tr("That did not work: {reason}").format(reason=exc.message)
