"""Checks of outgoing messages against the limits, run by the client before it queues a message
and by the server before it stores one. What each kind allows is in ``kinds`` and ``bodies``."""

from __future__ import annotations

from messenger.protocol.bodies import Body
from messenger.protocol.bodies import utf8_len as utf8_len
from messenger.protocol.errors import InvalidParameter, TooManyMentions
from messenger.protocol.ids import ConversationType, check_user_id
from messenger.protocol.kinds import SENDABLE_KINDS as SENDABLE_KINDS
from messenger.protocol.kinds import parse_body
from messenger.protocol.models import Limits, SendRequest

MAX_CLIENT_MSG_ID = 64


def validate_send(req: SendRequest, limits: Limits, conv_type: ConversationType) -> Body:
    """Raise a typed error if ``req`` may not be sent to a conversation of ``conv_type``; return
    its typed body."""
    if not req.client_msg_id or len(req.client_msg_id) > MAX_CLIENT_MSG_ID:
        raise InvalidParameter("client_msg_id must be 1–64 characters", field="client_msg_id")
    body = parse_body(req.kind, req.body)
    body.check(limits)
    if req.mentions or req.mention_all:
        if conv_type is not ConversationType.GROUP:
            raise InvalidParameter("@-mentions are for group messages", field="mentions")
        count = len(set(req.mentions)) + (1 if req.mention_all else 0)
        if count > limits.mentions:
            raise TooManyMentions(
                f"{count} mentions; the limit is {limits.mentions}", limit=limits.mentions
            )
        for user_id in req.mentions:
            check_user_id(user_id)
    return body
