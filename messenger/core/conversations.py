"""My actions on conversations: read cursor, pin, remind type, mark unread, hide, clear, drafts.

Each action goes to the server and the state it answers with is stored, so every device ends up
with the same state. Drafts are the exception: a draft is saved locally first (never lost, even
offline or on a crash) and then pushed with its edit time; the newest edit wins everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from messenger.core.clock import Clock
from messenger.core.events import EventBus
from messenger.core.store import PendingDraft, Store
from messenger.core.transport.rest import RestTransport
from messenger.protocol import errors
from messenger.protocol.models import (
    ConversationState,
    DraftUpdate,
    ReadRequest,
    RemindType,
    StateUpdate,
)

log = logging.getLogger(__name__)


class ReadChannel(Protocol):
    """The realtime connection, as far as reading is concerned."""

    @property
    def connected(self) -> bool: ...

    async def read(self, conversation_id: str, seq: int | None) -> ConversationState: ...


class ConversationActions:
    def __init__(
        self,
        store: Store,
        rest: RestTransport,
        realtime: ReadChannel,
        bus: EventBus,
        *,
        clock: Clock,
        on_unblocked: Callable[[list[str]], None] | None = None,
    ) -> None:
        self._store = store
        self._rest = rest
        self._realtime = realtime
        self._bus = bus
        self._clock = clock
        self._on_unblocked = on_unblocked

    async def _apply(self, state: ConversationState) -> None:
        delta = await self._store.put_state(state)
        delta.publish(self._bus)
        if delta.unblocked and self._on_unblocked is not None:
            self._on_unblocked(delta.unblocked)

    async def mark_read(self, conversation_id: str, seq: int | None = None) -> None:
        """Move my read cursor to ``seq`` (default: everything); over the socket when connected."""
        state: ConversationState | None = None
        if self._realtime.connected:
            try:
                state = await self._realtime.read(conversation_id, seq)
            except errors.NetworkError:
                state = None  # the connection just dropped: fall back on REST
        if state is None:
            path = {"conversation_id": conversation_id}
            state = await self._rest.call("read", path=path, body=ReadRequest(seq=seq))
        await self._apply(state)

    async def update(self, conversation_id: str, update: StateUpdate) -> None:
        path = {"conversation_id": conversation_id}
        await self._apply(await self._rest.call("update_state", path=path, body=update))

    async def pin(self, conversation_id: str, pinned: bool = True) -> None:
        await self.update(conversation_id, StateUpdate(pinned=pinned))

    async def set_remind(self, conversation_id: str, remind: RemindType) -> None:
        await self.update(conversation_id, StateUpdate(remind=remind))

    async def mark_unread(self, conversation_id: str, unread: bool = True) -> None:
        await self.update(conversation_id, StateUpdate(marked_unread=unread))

    async def hide(self, conversation_id: str) -> None:
        path = {"conversation_id": conversation_id}
        await self._apply(await self._rest.call("hide", path=path))

    async def clear_history(self, conversation_id: str) -> None:
        path = {"conversation_id": conversation_id}
        await self._apply(await self._rest.call("clear", path=path))

    # -- drafts ----------------------------------------------------------------------------------
    async def set_draft(self, conversation_id: str, text: str) -> None:
        """Save the draft here at once, then on the server if it can be reached."""
        delta = await self._store.set_local_draft(conversation_id, text, self._clock())
        delta.publish(self._bus)
        if delta.drafts and self._rest.token:
            await self._push(PendingDraft(conversation_id, text, delta.drafts[-1].edit_time))

    async def draft(self, conversation_id: str) -> str:
        conversation = await self._store.conversation(conversation_id)
        return conversation.draft_text if conversation is not None else ""

    async def push_pending_drafts(self) -> None:
        """Save on the server the drafts edited while it could not be reached."""
        for draft in await self._store.pending_drafts():
            await self._push(draft)

    async def _push(self, draft: PendingDraft) -> None:
        path = {"conversation_id": draft.conversation_id}
        body = DraftUpdate(text=draft.text, edit_time=draft.edit_time)
        try:
            state: ConversationState = await self._rest.call("set_draft", path=path, body=body)
        except (errors.ClientError, errors.ServerError, errors.RateLimited, errors.AuthError):
            return  # still pending; pushed again after the next sync
        except errors.MessengerError as exc:
            log.warning("draft of %s not saved on the server: %r", draft.conversation_id, exc)
            await self._store.mark_draft_saved(draft.conversation_id, draft.edit_time)
            return
        await self._apply(state)
