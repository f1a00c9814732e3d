"""The sync engine: keeps the local store equal to the server's view, gap-free.

A new device (no stored version) first takes the ``GET /v1/conversations`` snapshot; every
connection then resumes from the stored version. Each ``changes`` frame is applied in one store
transaction that also advances the stored version, so a crash or a dropped connection neither
loses a change nor applies one twice. The engine is the realtime connection's listener: it also
turns pushes (typing, online messages, receipts) and connection news into events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from messenger.core.events import (
    ConnectionStateChanged,
    EventBus,
    GroupOnlineChanged,
    KickedOut,
    OnlineMessageReceived,
    PresenceChanged,
    ReceiptsChanged,
    SyncCompleted,
    TypingChanged,
)
from messenger.core.models import ConnectionState
from messenger.core.store import Store
from messenger.core.store.people import ids_of as people_ids_of
from messenger.core.transport.realtime import PushFrame
from messenger.core.transport.rest import RestTransport
from messenger.protocol.frames import (
    Changes,
    Expiring,
    GroupOnline,
    OnlineMessage,
    Presence,
    ReceiptsFrame,
    Synced,
    TypingIn,
    Welcome,
)
from messenger.protocol.ids import conversation_id_for
from messenger.protocol.models import ConversationList
from messenger.protocol.social import Contacts


class SyncEngine:
    def __init__(
        self,
        user_id: str,
        store: Store,
        rest: RestTransport,
        bus: EventBus,
        *,
        on_synced: Callable[[], None] | None = None,
        on_expiring: Callable[[int], None] | None = None,
        on_kicked: Callable[[str, str], None] | None = None,
        on_unblocked: Callable[[list[str]], None] | None = None,
        on_people: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.user_id = user_id
        self._store = store
        self._rest = rest
        self._bus = bus
        self._on_synced = on_synced
        self._on_expiring = on_expiring
        self._on_kicked = on_kicked
        self._on_unblocked = on_unblocked
        self._on_people = on_people

    async def bootstrap(self) -> int:
        """A new device's snapshot; returns the version to sync from."""
        snapshot: ConversationList = await self._rest.call("conversations")
        contacts: Contacts = await self._rest.call("contacts")
        (await self._store.apply_snapshot(snapshot)).publish(self._bus)
        (await self._store.apply_contacts(contacts)).publish(self._bus)
        return snapshot.version

    # -- RealtimeListener ------------------------------------------------------------------------
    async def since(self) -> int | None:
        version = await self._store.sync_version()
        return version if version is not None else await self.bootstrap()

    async def on_welcome(self, frame: Welcome) -> None:
        """Nothing to keep: each state says up to which version its unread count holds."""

    async def on_changes(self, frame: Changes) -> None:
        delta = await self._store.apply_changes(frame.changes)
        delta.publish(self._bus)
        if delta.unblocked and self._on_unblocked is not None:
            self._on_unblocked(delta.unblocked)
        if self._on_people is not None:
            wanted = [u for u in people_ids_of(frame.changes) if u != self.user_id]
            if wanted:
                self._on_people(wanted)
        # Then one turn of the event loop before the next page is written: the UI paints this one
        # while the store's thread is idle. Written at once, the store's Python work (its
        # search-index functions) took turns with the paint for the interpreter's lock and a
        # burst's paints took 2-5 times their CPU time.
        await asyncio.sleep(0)

    async def on_synced(self, frame: Synced) -> None:
        await self._store.set_sync_version(frame.version)
        self._bus.publish(SyncCompleted(frame.version))
        if self._on_synced is not None:
            self._on_synced()

    async def on_push(self, frame: PushFrame) -> None:
        if isinstance(frame, TypingIn):
            self._bus.publish(TypingChanged(frame.conversation_id, frame.user_id, frame.typing))
        elif isinstance(frame, OnlineMessage):
            m = frame.message
            conversation_id = conversation_id_for(self.user_id, m.conv_type, m.sender, m.target)
            self._bus.publish(OnlineMessageReceived(conversation_id, m))
        elif isinstance(frame, ReceiptsFrame):
            receipts = frame.receipts
            self._bus.publish(ReceiptsChanged(receipts.conversation_id, tuple(receipts.receipts)))
        elif isinstance(frame, Presence):
            self._bus.publish(PresenceChanged(tuple(frame.statuses)))
        elif isinstance(frame, GroupOnline):
            self._bus.publish(GroupOnlineChanged(frame.group_id, frame.online, frame.members))
        elif isinstance(frame, Expiring) and self._on_expiring is not None:
            self._on_expiring(frame.expires_at)

    def on_state(self, state: ConnectionState) -> None:
        self._bus.publish(ConnectionStateChanged(state))

    def on_kicked(self, reason: str, message: str) -> None:
        if self._on_kicked is not None:
            self._on_kicked(reason, message)
        else:
            self._bus.publish(KickedOut(reason, message))
