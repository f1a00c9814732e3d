"""Message operations: edit, delete for me, reactions, pinned messages of a conversation.

Who may do what: the sender edits their own text messages within ``edit_window_ms``; anyone who
sees a message may react to it and delete it for themselves; in C2C both sides pin (for both),
in groups the group rules say who (``group_rules.Action.PIN``, owner and admins by default).
Every change goes to everyone who sees the message, live and through the feed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from messenger.protocol.bodies import TextBody
from messenger.protocol.errors import ConversationNotFound, InvalidParameter, PermissionDenied
from messenger.protocol.ids import ConversationType
from messenger.protocol.models import Limits, Message, SendRequest
from messenger.protocol.operations import (
    DeleteResult,
    EditRequest,
    PinList,
    ReactionRequest,
    check_emoji,
)
from messenger.protocol.validation import validate_send
from messenger.server.services.directory import ConvRef, Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.mentions import check_group_mentions
from messenger.server.storage.base import Storage
from messenger.server.storage.op_records import (
    EditOp,
    HideOutcome,
    MessageOp,
    OpOutcome,
    PinsOutcome,
    ReactOp,
)

GroupPin = Callable[[str, str, str, bool], Awaitable[list[str]]]
"""(user, group ID, message ID, pin) → the group's pins after the change (the group service)."""


class MessageOperations:
    def __init__(
        self,
        *,
        storage: Storage,
        directory: Directory,
        fanout: Fanout,
        limits: Limits,
        group_pin: GroupPin,
    ) -> None:
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._limits = limits
        self._group_pin = group_pin

    async def _conversation(self, user_id: str, conversation_id: str) -> ConvRef:
        conv = await self._directory.readable(user_id, conversation_id)
        if conv.conv_id is None:
            raise ConversationNotFound("no such conversation")
        if conv.kind == "system":
            raise PermissionDenied("the system conversation is read-only")
        return conv

    def _target(self, conv: ConvRef, message_id: str, user_id: str) -> MessageOp:
        if not message_id:
            raise InvalidParameter("a message ID is needed", field="message_id")
        assert conv.conv_id is not None
        return MessageOp(conv.conv_id, conv.kind, conv.key, message_id, user_id)

    def _push(self, outcome: OpOutcome) -> None:
        if outcome.changed:
            self._fanout.message(outcome.message, outcome.viewers)

    # -- edit -----------------------------------------------------------------------------------------
    async def edit(
        self, user_id: str, conversation_id: str, message_id: str, req: EditRequest
    ) -> Message:
        conv = await self._conversation(user_id, conversation_id)
        conv_type = ConversationType(conv.kind)
        check = SendRequest(
            client_msg_id="edit",
            body={"text": req.text},
            mentions=req.mentions,
            mention_all=req.mention_all,
        )
        body = validate_send(check, self._limits, conv_type)
        assert isinstance(body, TextBody)
        if conv.kind == "group":
            info = await self._directory.require_member(conv, user_id)
            await check_group_mentions(self._directory, conv, info, req.mentions, req.mention_all)
        op = EditOp(
            target=self._target(conv, message_id, user_id),
            body={"text": body.text},
            mentions=list(req.mentions),
            mention_all=req.mention_all,
            window_ms=self._limits.edit_window_ms,
        )
        outcome = await self._storage.edit_message(op, on_commit=self._push)
        return outcome.message

    # -- reactions --------------------------------------------------------------------------------------
    async def react(
        self, user_id: str, conversation_id: str, message_id: str, req: ReactionRequest
    ) -> Message:
        emoji = check_emoji(req.emoji)
        conv = await self._conversation(user_id, conversation_id)
        op = ReactOp(
            target=self._target(conv, message_id, user_id),
            emoji=emoji,
            add=req.add,
            limit=self._limits.reactions_per_message,
        )
        outcome = await self._storage.react(op, on_commit=self._push)
        return outcome.message

    # -- delete for me ----------------------------------------------------------------------------------
    async def delete_for_me(
        self, user_id: str, conversation_id: str, message_ids: list[str]
    ) -> DeleteResult:
        if not message_ids:
            raise InvalidParameter("name at least one message", field="message_ids")
        conv = await self._conversation(user_id, conversation_id)
        assert conv.conv_id is not None

        def deleted(outcome: HideOutcome) -> None:
            self._fanout.messages(outcome.messages, (outcome.user_id,))

        outcome = await self._storage.hide_messages(
            conv.conv_id, conv.kind, conv.key, user_id, list(message_ids), on_commit=deleted
        )
        return DeleteResult(deleted=len(outcome.messages))

    # -- pins -------------------------------------------------------------------------------------------
    async def pins(self, user_id: str, conversation_id: str) -> PinList:
        conv = await self._conversation(user_id, conversation_id)
        assert conv.conv_id is not None
        if conv.kind == "group":
            _, group = await self._storage.group_by_id(conv.key)
            return PinList(conversation_id=conv.conversation_id, pinned=list(group.pinned))
        pinned = await self._storage.c2c_pins(conv.conv_id)
        return PinList(conversation_id=conv.conversation_id, pinned=pinned)

    async def pin(self, user_id: str, conversation_id: str, message_id: str, pin: bool) -> PinList:
        conv = await self._conversation(user_id, conversation_id)
        assert conv.conv_id is not None
        if not message_id:
            raise InvalidParameter("a message ID is needed", field="message_id")
        if conv.kind == "group":
            pinned = await self._group_pin(user_id, conv.key, message_id, pin)
            return PinList(conversation_id=conv.conversation_id, pinned=pinned)

        def changed(outcome: PinsOutcome) -> None:
            if outcome.version:
                for user, seen_as in outcome.participants:
                    self._fanout.pins(user, seen_as, outcome.pinned, outcome.version)

        outcome = await self._storage.set_c2c_pin(
            conv.conv_id,
            conv.kind,
            conv.key,
            message_id,
            pin,
            self._limits.pinned_messages,
            on_commit=changed,
        )
        return PinList(conversation_id=conv.conversation_id, pinned=outcome.pinned)
