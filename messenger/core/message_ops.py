"""The client's message operations: forward (one by one or merged), edit, delete for me,
reactions, pinned messages and "Re-edit" of a recalled text.

Forwards go through the outbox like any message (shown at once, sent when connected, exactly
once); the server copies the original's kind and body, so files are not uploaded again. The
other operations are REST calls whose answer is stored at once; the same change reaches my other
devices and the other side through the feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from messenger.core.models import LocalMessage
from messenger.core.outbox import new_client_msg_id
from messenger.core.store import RecalledDraft, Store, StoreDelta
from messenger.protocol import errors
from messenger.protocol.bodies import MergedBody, TextBody
from messenger.protocol.kinds import body_fields
from messenger.protocol.models import ForwardRef, Message, PinRequest, SendRequest
from messenger.protocol.operations import (
    Bundle,
    BundleInfo,
    BundleQuery,
    BundleRequest,
    DeleteRequest,
    DeleteResult,
    EditRequest,
    MessageRef,
    PinList,
    ReactionRequest,
)


class MessageOps:
    """Mixed into ``Client``, which provides the signed-in account's pieces below."""

    async def _op_call(self, name: str, body: Any = None, query: Any = None, **path: str) -> Any:
        raise NotImplementedError

    def _op_store(self) -> Store:
        raise NotImplementedError

    async def _op_send(self, conversation_id: str, request: SendRequest) -> LocalMessage:
        raise NotImplementedError

    def _op_publish(self, delta: StoreDelta) -> None:
        raise NotImplementedError

    async def _op_store_messages(self, messages: Sequence[Message]) -> None:
        self._op_publish(await self._op_store().put_messages(messages))

    async def stored_message(self, message_id: str) -> LocalMessage | None:
        """A message this device has stored, by its server ID (None if not here)."""
        return await self._op_store().message(message_id)

    # -- forward --------------------------------------------------------------------------------------
    async def forward(
        self,
        messages: Sequence[LocalMessage],
        targets: Sequence[str],
        *,
        comment: str = "",
    ) -> list[LocalMessage]:
        """Forward each message, in order, to each target conversation (after the comment, if
        any); each copy keeps its kind. Returns the local echoes."""
        sendable = [m for m in messages if _forwardable(m)]
        if not sendable:
            raise errors.InvalidParameter("nothing here can be forwarded", field="messages")
        echoes: list[LocalMessage] = []
        for target in targets:
            if comment.strip():
                echoes.append(await self._op_send(target, _text_request(comment)))
            for message in sendable:
                kind, fields = message.kind, dict(message.body)
                request = SendRequest(
                    client_msg_id=new_client_msg_id(),
                    kind=kind,
                    body=fields,
                    forward=ForwardRef(
                        conversation_id=message.conversation_id, message_id=message.message_id
                    ),
                )
                echoes.append(await self._op_send(target, request))
        return echoes

    async def forward_merged(
        self,
        messages: Sequence[LocalMessage],
        targets: Sequence[str],
        *,
        title: str,
        comment: str = "",
    ) -> list[LocalMessage]:
        """Forward the messages as one "chat history" card to each target: their content is
        stored once on the server and opened on demand (``open_merged``)."""
        sendable = [m for m in messages if _forwardable(m)]
        if not sendable:
            raise errors.InvalidParameter("nothing here can be forwarded", field="messages")
        refs = [
            MessageRef(conversation_id=m.conversation_id, message_id=m.message_id)
            for m in sorted(sendable, key=lambda m: (m.seq, m.time))
        ]
        info: BundleInfo = await self._op_call("create_bundle", body=BundleRequest(messages=refs))
        card = MergedBody(
            title=title, bundle_id=info.bundle_id, count=info.count, preview=info.preview
        )
        kind, fields = body_fields(card)
        echoes: list[LocalMessage] = []
        for target in targets:
            if comment.strip():
                echoes.append(await self._op_send(target, _text_request(comment)))
            request = SendRequest(client_msg_id=new_client_msg_id(), kind=kind, body=fields)
            echoes.append(await self._op_send(target, request))
        return echoes

    async def open_merged(self, message: LocalMessage, bundle_id: str = "") -> list[LocalMessage]:
        """The messages of a merged forward (or of one nested in it: ``bundle_id`` of the inner
        card), fetched from the server, as read-only messages of the card's conversation."""
        if not isinstance(message.content, MergedBody) or not message.message_id:
            raise errors.InvalidParameter("not a merged forward", field="message")
        bundle: Bundle = await self._op_call(
            "get_bundle",
            query=BundleQuery(bundle_id=bundle_id),
            conversation_id=message.conversation_id,
            message_id=message.message_id,
        )
        return [
            LocalMessage(
                conversation_id=message.conversation_id,
                message_id=item.message_id,
                conv_type=message.conv_type,
                target=message.target,
                sender=item.sender,
                seq=0,
                client_msg_id=item.message_id,
                time=item.time,
                kind=item.kind,
                body=item.body,
                mentions=tuple(item.mentions),
                reply_to=item.reply_to,
                edit_time=item.edit_time,
                is_self=False,
                via=message.message_id,
            )
            for item in bundle.messages
        ]

    # -- edit -----------------------------------------------------------------------------------------
    async def edit_message(
        self,
        message: LocalMessage,
        text: str,
        *,
        mentions: Sequence[str] = (),
        mention_all: bool = False,
    ) -> LocalMessage:
        """Replace the text of one of my sent text messages; everyone who sees it sees the new
        text, marked edited. Only those newly @-mentioned are told."""
        if not message.is_self or message.kind != "text" or not message.message_id:
            raise errors.NotEditable("only your own sent text messages can be edited")
        request = EditRequest(text=text, mentions=list(mentions), mention_all=mention_all)
        edited: Message = await self._op_call(
            "edit_message",
            body=request,
            conversation_id=message.conversation_id,
            message_id=message.message_id,
        )
        await self._op_store_messages([edited])
        stored = await self._op_store().message(edited.message_id)
        assert stored is not None
        return stored

    # -- delete for me --------------------------------------------------------------------------------
    async def delete_for_me(self, conversation_id: str, message_ids: Sequence[str]) -> int:
        """Delete messages from my devices only; returns how many were deleted now."""
        ids = [i for i in dict.fromkeys(message_ids) if i]
        if not ids:
            return 0
        deleted = 0
        for start in range(0, len(ids), 100):
            answer: DeleteResult = await self._op_call(
                "delete_for_me",
                body=DeleteRequest(message_ids=ids[start : start + 100]),
                conversation_id=conversation_id,
            )
            deleted += answer.deleted
        # My other devices learn it from the feed; this one from the feed too, or right now:
        placeholders = [
            m for m in [await self._op_store().message(i) for i in ids] if m is not None
        ]
        await self._op_store_messages([_deleted_copy(m) for m in placeholders if m.seq])
        return deleted

    # -- reactions ------------------------------------------------------------------------------------
    async def react(self, message: LocalMessage, emoji: str, *, add: bool = True) -> LocalMessage:
        """Add (or take back) my reaction; everyone who sees the message sees it live."""
        if not message.message_id:
            raise errors.InvalidParameter("the message is not sent yet", field="message")
        changed: Message = await self._op_call(
            "react",
            body=ReactionRequest(emoji=emoji, add=add),
            conversation_id=message.conversation_id,
            message_id=message.message_id,
        )
        await self._op_store_messages([changed])
        stored = await self._op_store().message(changed.message_id)
        assert stored is not None
        return stored

    # -- pins -----------------------------------------------------------------------------------------
    async def pinned_messages(self, conversation_id: str, *, refresh: bool = False) -> list[str]:
        """IDs of the conversation's pinned messages, oldest pin first: as synced, or from the
        server when never learnt (or ``refresh``)."""
        store = self._op_store()
        known = await store.pins(conversation_id)
        if known is not None and not refresh:
            return known
        answer: PinList = await self._op_call("conversation_pins", conversation_id=conversation_id)
        self._op_publish(await store.put_pins(conversation_id, answer.pinned))
        return list(answer.pinned)

    async def pin_message_in(
        self, conversation_id: str, message_id: str, pinned: bool = True
    ) -> list[str]:
        """Pin or unpin a message (C2C: for both sides; groups: owner and admins)."""
        if pinned:
            answer: PinList = await self._op_call(
                "pin_in_conversation",
                body=PinRequest(message_id=message_id),
                conversation_id=conversation_id,
            )
        else:
            answer = await self._op_call(
                "unpin_in_conversation", conversation_id=conversation_id, message_id=message_id
            )
        self._op_publish(await self._op_store().put_pins(conversation_id, answer.pinned))
        return list(answer.pinned)

    # -- re-edit ----------------------------------------------------------------------------------------
    async def recalled_draft(self, message_id: str) -> RecalledDraft | None:
        """My recalled text with its mentions and quote, if this device sent it (kept here
        only, across restarts; the server forgets it)."""
        return await self._op_store().recalled_draft(message_id)


def _forwardable(message: LocalMessage) -> bool:
    return bool(message.message_id) and not message.recalled and not message.deleted


def _text_request(text: str) -> SendRequest:
    kind, fields = body_fields(TextBody(text=text))
    return SendRequest(client_msg_id=new_client_msg_id(), kind=kind, body=fields)


def _deleted_copy(message: LocalMessage) -> Message:
    return Message(
        message_id=message.message_id,
        conv_type=message.conv_type,
        target=message.target,
        sender=message.sender,
        seq=message.seq,
        client_msg_id=message.client_msg_id,
        time=message.time,
        kind=message.kind,
        version=message.version,
        deleted=True,
    )
