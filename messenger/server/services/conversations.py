"""A user's conversations: the list, read cursors, settings, hide and clear, drafts."""

from __future__ import annotations

from collections.abc import Callable

from messenger.protocol.errors import InvalidParameter
from messenger.protocol.models import (
    ConversationList,
    ConversationState,
    ConversationSummary,
    DraftUpdate,
    StateUpdate,
)
from messenger.protocol.validation import utf8_len
from messenger.server.hub import Connection
from messenger.server.services.directory import ConvRef, Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.receipts import ReadReceipts
from messenger.server.storage.base import Storage
from messenger.server.storage.records import StateOutcome

MAX_DRAFT_BYTES = 32 * 1024


class ConversationService:
    def __init__(
        self, *, storage: Storage, directory: Directory, fanout: Fanout, receipts: ReadReceipts
    ) -> None:
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._receipts = receipts

    async def _existing(self, user_id: str, conversation_id: str) -> ConvRef:
        """The conversation, created if it is a C2C chat nobody has written in yet."""
        conv = await self._directory.readable(user_id, conversation_id)
        if conv.conv_id is None and conv.kind == "system":
            conv_id = await self._storage.ensure_system(user_id)
            self._directory.remember_system(user_id, conv_id)
            conv = ConvRef(conv_id, conv.kind, conv.key, conv.conversation_id, conv.target)
        elif conv.conv_id is None:
            await self._directory.require_user(conv.target)
            conv_id = await self._storage.ensure_c2c(conv.key)
            self._directory.remember_pair(conv.key, conv_id)
            conv = ConvRef(conv_id, conv.kind, conv.key, conv.conversation_id, conv.target)
        return conv

    async def list(self, user_id: str) -> ConversationList:
        return await self._storage.conversation_list(user_id)

    async def get(self, user_id: str, conversation_id: str) -> ConversationSummary:
        conv = await self._existing(user_id, conversation_id)
        assert conv.conv_id is not None
        return await self._storage.conversation_summary(conv.conv_id, user_id)

    async def read(
        self, user_id: str, conversation_id: str, seq: int | None, origin: Connection | None = None
    ) -> ConversationState:
        if seq is not None and seq < 0:
            raise InvalidParameter("seq must not be negative", field="seq")
        conv = await self._existing(user_id, conversation_id)
        assert conv.conv_id is not None
        outcome = await self._storage.mark_read(
            conv.conv_id,
            conv.key,
            user_id,
            seq,
            on_commit=lambda o: self._receipts.read_done(o, user_id, origin) if o.changed else None,
        )
        return outcome.state

    def _changed(self, origin: Connection | None) -> Callable[[StateOutcome], None]:
        def push(outcome: StateOutcome) -> None:
            self._fanout.state(outcome.user_id, outcome.state, exclude=origin)

        return push

    async def update_state(
        self,
        user_id: str,
        conversation_id: str,
        update: StateUpdate,
        origin: Connection | None = None,
    ) -> ConversationState:
        conv = await self._existing(user_id, conversation_id)
        assert conv.conv_id is not None
        conv_id = conv.conv_id

        push = self._changed(origin)

        def changed(outcome: StateOutcome) -> None:
            if update.remind is not None:
                self._directory.remind_changed(conv_id, user_id, outcome.state.remind)
            push(outcome)

        outcome = await self._storage.update_state(conv_id, user_id, update, on_commit=changed)
        return outcome.state

    async def hide(
        self, user_id: str, conversation_id: str, origin: Connection | None = None
    ) -> ConversationState:
        conv = await self._existing(user_id, conversation_id)
        assert conv.conv_id is not None
        outcome = await self._storage.hide(conv.conv_id, user_id, on_commit=self._changed(origin))
        return outcome.state

    async def clear(
        self, user_id: str, conversation_id: str, origin: Connection | None = None
    ) -> ConversationState:
        conv = await self._existing(user_id, conversation_id)
        assert conv.conv_id is not None
        outcome = await self._storage.clear(conv.conv_id, user_id, on_commit=self._changed(origin))
        return outcome.state

    async def set_draft(
        self,
        user_id: str,
        conversation_id: str,
        draft: DraftUpdate,
        origin: Connection | None = None,
    ) -> ConversationState:
        if utf8_len(draft.text) > MAX_DRAFT_BYTES:
            raise InvalidParameter(f"a draft holds at most {MAX_DRAFT_BYTES} bytes", field="text")
        if draft.edit_time < 0:
            raise InvalidParameter("edit_time must not be negative", field="edit_time")
        conv = await self._existing(user_id, conversation_id)
        assert conv.conv_id is not None

        push = self._changed(origin)

        def changed(result: tuple[StateOutcome, bool]) -> None:
            if result[1]:
                push(result[0])

        outcome, _ = await self._storage.set_draft(
            conv.conv_id, user_id, draft.text, draft.edit_time, on_commit=changed
        )
        return outcome.state
