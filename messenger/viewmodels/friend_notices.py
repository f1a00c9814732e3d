"""Friend-request notices in ``@TIM#SYSTEM``: whose request a notice tells of, so it can be
answered from the notice while it is still waiting (as a group's join request can)."""

from __future__ import annotations

from messenger.core.models import LocalMessage
from messenger.protocol.models import MessageKind


def requester_of(message: LocalMessage | None) -> str | None:
    """The user whose friend request the notice tells of, else None."""
    if message is None or message.kind != MessageKind.NOTICE or message.recalled:
        return None
    body = message.body
    operator = body.get("operator")
    if body.get("notice") != "friend_request" or not isinstance(operator, str) or not operator:
        return None
    return operator
