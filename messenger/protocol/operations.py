"""Requests and answers of the message operations: edit, delete for me, reactions, merged
forwards (bundles) and pinned messages of a conversation.

Forwarding one message is a plain send with ``SendRequest.forward``; a merged forward is a
``merged`` message whose ``bundle_id`` names content made by ``POST /v1/bundles``.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from messenger.protocol import bounds as b
from messenger.protocol.bodies import utf8_len
from messenger.protocol.errors import InvalidParameter
from messenger.protocol.models import Base, ReplyRef

MAX_EMOJI_BYTES = 32
MAX_BULK = 100  # messages named in one delete or bundle request

Emoji = Annotated[str, Meta(max_length=MAX_EMOJI_BYTES)]
MessageIdList = Annotated[list[b.MessageId], Meta(max_length=MAX_BULK)]


class EditRequest(Base):
    """The new text of one of my text messages, with its mentions (they replace the old)."""

    text: b.Text
    mentions: b.IdList = msgspec.field(default_factory=list)
    mention_all: bool = False


class DeleteRequest(Base):
    """Messages to delete for me only (my other devices follow; nobody else is affected)."""

    message_ids: MessageIdList


class DeleteResult(Base):
    deleted: int  # how many were not deleted already


class ReactionRequest(Base):
    emoji: Emoji
    add: bool = True  # False takes my reaction back


class MessageRef(Base):
    conversation_id: b.ConversationId
    message_id: b.MessageId


class BundleRequest(Base):
    """Messages (each one I can see, in the order given) to store as one merged forward."""

    messages: Annotated[list[MessageRef], Meta(max_length=MAX_BULK)]


class BundleItem(Base):
    """One message inside a merged forward, as it was when forwarded."""

    message_id: str
    sender: str
    time: int
    kind: str
    body: dict[str, Any] = msgspec.field(default_factory=dict)
    mentions: list[str] = msgspec.field(default_factory=list)
    reply_to: ReplyRef | None = None
    edit_time: int = 0


class BundleInfo(Base):
    """What a new bundle holds: the card's facts (``MergedBody`` takes them)."""

    bundle_id: str
    count: int
    preview: list[str] = msgspec.field(default_factory=list)


class Bundle(Base):
    bundle_id: str
    messages: list[BundleItem]


class BundleQuery(Base):
    """A bundle inside the one the message carries (merged forwards nest); "" for its own."""

    bundle_id: Annotated[str, Meta(max_length=32)] = ""


class PinList(Base):
    """A conversation's pinned messages, oldest pin first."""

    conversation_id: str
    pinned: list[str] = msgspec.field(default_factory=list)


def check_emoji(emoji: str) -> str:
    """An emoji is one short symbol sequence: no letters, digits, spaces or control characters
    (a flag, a skin tone or a ZWJ family is still one emoji)."""
    if not emoji or utf8_len(emoji) > MAX_EMOJI_BYTES:
        raise InvalidParameter(f"an emoji is 1–{MAX_EMOJI_BYTES} bytes", field="emoji")
    keycap = "\u20e3" in emoji  # 1️⃣ #️⃣
    for ch in emoji:
        category = unicodedata.category(ch)
        allowed = (
            ch in "\u200d\ufe0f"
            or 0xE0020 <= ord(ch) <= 0xE007F
            or (keycap and ch in "#*0123456789")
        )
        if category[0] in "LNZC" and not allowed:
            raise InvalidParameter("reactions are emoji only", field="emoji")
    return emoji
