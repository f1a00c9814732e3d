"""Merged forwards: their content (a bundle) is stored once and read on demand.

A bundle is made from messages its creator can see, as they are at that moment (a later recall
or edit of an original does not change it), so nobody can put words in another user's mouth.
A ``merged`` message names its bundle; whoever sees the message may open the bundle and any
bundle nested in it, and nobody else. Only the creator may send a card of a new bundle; sending
on a card somebody else made is a forward of that message.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing

import msgspec

from messenger.protocol.bodies import Body, MergedBody
from messenger.protocol.errors import BundleNotFound, InvalidParameter, MessageNotFound
from messenger.protocol.kinds import SENDABLE_KINDS, decode_body, spec_of
from messenger.protocol.models import Limits, Message
from messenger.protocol.operations import Bundle, BundleInfo, BundleItem, MessageRef
from messenger.server.media.service import media_ids_of
from messenger.server.storage.base import Storage

Visible = Callable[[str, str, str], Awaitable[Message]]
"""(user, conversation ID, message ID) → the message as that user sees it, or MessageNotFound."""

MAX_DEPTH = 16  # how deep merged forwards may nest when one is opened
PREVIEW_LINES = 4
PREVIEW_CHARS = 60

_items = msgspec.json.Decoder(list[BundleItem])


def preview_line(item: BundleItem) -> str:
    """ "alice: hello" — the sender and the first words (or the kind's label)."""
    body = decode_body(item.kind, item.body)
    words = body.search_text() if body is not None and item.kind == "text" else ""
    if not words:
        spec = spec_of(item.kind)
        words = spec.label if spec is not None and spec.label else ""
        if item.kind == "merged" and isinstance(body, MergedBody):
            words = f"{words} {body.title}".strip()
    words = " ".join(words.split())
    if len(words) > PREVIEW_CHARS:
        words = words[: PREVIEW_CHARS - 1] + "…"
    return f"{item.sender}: {words}"


class Bundles:
    def __init__(self, *, storage: Storage, limits: Limits) -> None:
        self._storage = storage
        self._limits = limits
        self.visible: Visible | None = None  # set once the messaging service exists

    async def create(self, user_id: str, refs: list[MessageRef]) -> BundleInfo:
        if not refs:
            raise InvalidParameter("name at least one message", field="messages")
        if len(refs) > self._limits.bundle_messages:
            raise InvalidParameter(
                f"at most {self._limits.bundle_messages} messages", field="messages"
            )
        assert self.visible is not None
        items: list[BundleItem] = []
        for ref in refs:
            message = await self.visible(user_id, ref.conversation_id, ref.message_id)
            if message.recalled or message.deleted or message.kind not in SENDABLE_KINDS:
                raise MessageNotFound(
                    "a recalled, deleted or event message cannot be forwarded",
                    message_id=ref.message_id,
                )
            items.append(
                BundleItem(
                    message_id=message.message_id,
                    sender=message.sender,
                    time=message.time,
                    kind=message.kind,
                    body=message.body,
                    mentions=message.mentions,
                    reply_to=message.reply_to,
                    edit_time=message.edit_time,
                )
            )
        bundle_id = secrets.token_hex(16)
        await self._storage.put_bundle(bundle_id, user_id, msgspec.json.encode(items))
        preview = [preview_line(item) for item in items[:PREVIEW_LINES]]
        return BundleInfo(bundle_id=bundle_id, count=len(items), preview=preview)

    async def card(self, sender: str, body: MergedBody) -> MergedBody:
        """A new card about to be sent: its bundle must be the sender's own; its count and
        preview are the bundle's (whatever the client put there)."""
        found = await self._storage.get_bundle(body.bundle_id)
        if found is None or found[0] != sender:
            raise BundleNotFound("no such bundle of yours", field="body.bundle_id")
        items = _items.decode(found[1])
        return msgspec.structs.replace(
            body,
            count=len(items),
            preview=[preview_line(item) for item in items[:PREVIEW_LINES]],
        )

    async def open(
        self, user_id: str, conversation_id: str, message_id: str, bundle_id: str
    ) -> Bundle:
        """The messages of the card ``message_id`` (which the user must see), or of a bundle
        nested in it."""
        assert self.visible is not None
        try:
            message = await self.visible(user_id, conversation_id, message_id)
        except MessageNotFound:
            raise BundleNotFound("no such merged forward") from None
        body = decode_body(message.kind, message.body) if not message.recalled else None
        if not isinstance(body, MergedBody):
            raise BundleNotFound("this message is not a merged forward")
        wanted = bundle_id or body.bundle_id
        async with aclosing(self._nested(body.bundle_id)) as walk:
            async for current, items in walk:
                if current == wanted:
                    return Bundle(bundle_id=current, messages=items)
        raise BundleNotFound("no such merged forward in this message")

    async def _nested(self, bundle_id: str) -> AsyncGenerator[tuple[str, list[BundleItem]]]:
        """The bundle and those of the cards in it, level by level (each once, ``MAX_DEPTH``
        levels at most): ``(bundle ID, its messages)``."""
        frontier, seen = [bundle_id], set[str]()
        for _ in range(MAX_DEPTH):
            nested: list[str] = []
            for current in frontier:
                if current in seen:
                    continue
                seen.add(current)
                found = await self._storage.get_bundle(current)
                if found is None:
                    continue
                items = _items.decode(found[1])
                yield current, items
                for item in items:
                    inner = decode_body(item.kind, item.body)
                    if isinstance(inner, MergedBody):
                        nested.append(inner.bundle_id)
            if not nested:
                return
            frontier = nested

    async def body_with(self, card: MergedBody, media_id: str) -> Body | None:
        """The body of a message inside the card's bundle (or one nested in it) that holds the
        file ``media_id``: whoever sees the card may download the files forwarded in it."""
        async with aclosing(self._nested(card.bundle_id)) as walk:
            async for _, items in walk:
                for item in items:
                    inner = decode_body(item.kind, item.body)
                    if inner is None or isinstance(inner, MergedBody):
                        continue  # a nested card's own files come with its bundle
                    if media_id in media_ids_of(inner):
                        return inner
        return None
