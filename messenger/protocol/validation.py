"""Checks of outgoing messages against the limits, run by the client before it queues a message
and by the server before it stores one."""

from __future__ import annotations

import msgspec

from messenger.protocol.errors import InvalidParameter, MessageTooLarge, TooManyMentions
from messenger.protocol.ids import ConversationType, check_user_id
from messenger.protocol.models import (
    BODY_TYPES,
    CustomBody,
    Limits,
    MessageKind,
    SendRequest,
    TextBody,
)

MAX_CLIENT_MSG_ID = 64
SENDABLE_KINDS = frozenset({MessageKind.TEXT, MessageKind.CUSTOM})


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def validate_send(req: SendRequest, limits: Limits, conv_type: ConversationType) -> None:
    """Raise a typed error if ``req`` may not be sent to a conversation of ``conv_type``."""
    if not req.client_msg_id or len(req.client_msg_id) > MAX_CLIENT_MSG_ID:
        raise InvalidParameter("client_msg_id must be 1–64 characters", field="client_msg_id")
    if req.kind not in SENDABLE_KINDS:
        raise InvalidParameter(f"message kind {req.kind!r} cannot be sent", field="kind")
    try:
        body = msgspec.convert(req.body, BODY_TYPES[req.kind])
    except msgspec.ValidationError as exc:
        raise InvalidParameter(f"invalid {req.kind} body: {exc}", field="body") from None
    if isinstance(body, TextBody):
        size = utf8_len(body.text)
        if not body.text.strip():
            raise InvalidParameter("text message is empty", field="body.text")
        if size > limits.text_bytes:
            raise MessageTooLarge(
                f"text is {size} bytes; the limit is {limits.text_bytes}",
                size=size,
                limit=limits.text_bytes,
            )
    elif isinstance(body, CustomBody):
        size = utf8_len(body.data) + utf8_len(body.description) + utf8_len(body.extension)
        if size > limits.custom_bytes:
            raise MessageTooLarge(
                f"custom message is {size} bytes; the limit is {limits.custom_bytes}",
                size=size,
                limit=limits.custom_bytes,
            )
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
