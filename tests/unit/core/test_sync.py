"""The sync engine: snapshot for a new device, ordered batches, the persisted cursor."""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
import msgspec
import pytest

from messenger.core.events import (
    ConversationsChanged,
    EventBus,
    MessagesAdded,
    OnlineMessageReceived,
    ReceiptsChanged,
    SyncCompleted,
    TotalUnreadChanged,
    TypingChanged,
)
from messenger.core.store import Store
from messenger.core.store.writer import Batch
from messenger.core.sync import SyncEngine
from messenger.core.transport.rest import RestTransport
from messenger.protocol.frames import (
    AnyChange,
    Changes,
    Expiring,
    OnlineMessage,
    PeerReadChange,
    ReceiptsFrame,
    Synced,
    TypingIn,
    Welcome,
)
from messenger.protocol.models import (
    ConversationList,
    ConversationSummary,
    Profile,
    ReceiptCount,
    Receipts,
)
from messenger.protocol.social import Contacts

from .conftest import Recorder
from .factories import RemindType, message, message_change, state, state_change


class FakeRealtime:
    """Drives the engine like the realtime transport does on one connection."""

    def __init__(self, engine: SyncEngine) -> None:
        self.engine = engine
        self.hellos: list[int | None] = []

    async def connect(self, *pages: list[AnyChange], head: int) -> None:
        self.hellos.append(await self.engine.since())
        await self.engine.on_welcome(
            Welcome(user_id="alice", device_id="d1", head=head, server_time=0, expires_at=0)
        )
        for page in pages:
            await self.engine.on_changes(Changes(changes=page, catchup=True))
        await self.engine.on_synced(Synced(version=head))


def no_contacts(user_id: str, version: int) -> Contacts:
    return Contacts(
        me=Profile(user_id=user_id),
        friends=[],
        requests=[],
        groups=[],
        blocked=[],
        profiles=[],
        version=version,
    )


def snapshot_server(snapshot: ConversationList) -> tuple[RestTransport, list[str]]:
    calls: list[str] = []

    def respond(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/v1/contacts":
            return httpx.Response(200, content=msgspec.json.encode(no_contacts("alice", 40)))
        return httpx.Response(200, content=msgspec.json.encode(snapshot))

    rest = RestTransport("http://im.test", transport=httpx.MockTransport(respond))
    rest.token = "tok"
    return rest, calls


@pytest.fixture
def snapshot() -> ConversationList:
    return ConversationList(
        version=40,
        conversations=[
            ConversationSummary(
                state=state("C2Cbob", version=30, unread_count=1, unread_at_seq=3, read_seq=2),
                last_seq=3,
                last_message=message(seq=3, text="see you", version=35),
            )
        ],
    )


async def test_a_new_device_starts_from_the_snapshot_then_syncs_from_its_version(
    store: Store, bus: EventBus, recorder: Recorder, snapshot: ConversationList
) -> None:
    rest, calls = snapshot_server(snapshot)
    realtime = FakeRealtime(SyncEngine("alice", store, rest, bus))

    await realtime.connect([message_change(message(seq=4), v=41)], head=41)
    await realtime.connect(head=41)  # a reconnect resumes from the stored version

    assert realtime.hellos == [40, 41]
    assert calls == ["/v1/conversations", "/v1/contacts"]  # the snapshot is taken once
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None
    assert (conversation.unread_count, conversation.last_seq) == (2, 4)
    assert recorder.of(SyncCompleted) == [SyncCompleted(41), SyncCompleted(41)]
    await rest.aclose()


async def test_each_frame_is_one_batch_with_one_event_per_conversation(
    store: Store, bus: EventBus, recorder: Recorder
) -> None:
    await store.set_sync_version(0)
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    page: list[AnyChange] = [message_change(message(sender="bob", seq=s), v=s) for s in (1, 2, 3)]
    page += [message_change(message(sender="carol", seq=s), v=10 + s) for s in (1, 2)]

    await engine.on_changes(Changes(changes=page, catchup=True))

    added = recorder.of(MessagesAdded)
    assert [(e.conversation_id, [m.seq for m in e.messages]) for e in added] == [
        ("C2Cbob", [1, 2, 3]),
        ("C2Ccarol", [1, 2]),
    ]
    [changed] = recorder.of(ConversationsChanged)
    assert {c.conversation_id for c in changed.conversations} == {"C2Cbob", "C2Ccarol"}
    assert recorder.of(TotalUnreadChanged) == [TotalUnreadChanged(5)]
    assert await store.sync_version() == 12


async def test_the_loop_turns_between_a_page_s_events_and_the_next_page_s_write(
    store: Store, bus: EventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view painting a page's messages (work scheduled by its event handlers) does not share
    the interpreter with the store's thread writing the next page."""
    await store.set_sync_version(0)
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    order: list[str] = []
    loop = asyncio.get_running_loop()
    apply_changes = store.apply_changes

    async def applying(changes: list[AnyChange]) -> object:
        order.append(f"write {changes[0].v}")
        return await apply_changes(changes)

    monkeypatch.setattr(store, "apply_changes", applying)

    def painted_later(event: object) -> None:
        if isinstance(event, MessagesAdded):
            seq = event.messages[-1].seq
            loop.call_soon(order.append, f"paint {seq}")

    bus.subscribe(painted_later)
    for seq in (1, 2):
        await engine.on_changes(Changes(changes=[message_change(message(seq=seq), v=seq)]))
    await asyncio.sleep(0)

    assert order == ["write 1", "paint 1", "write 2", "paint 2"]


async def test_a_frame_seen_again_after_a_reconnect_changes_nothing(
    store: Store, bus: EventBus, recorder: Recorder
) -> None:
    await store.set_sync_version(0)
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    frame = Changes(changes=[message_change(message(seq=1), v=1)])

    await engine.on_changes(frame)
    recorder.clear()
    await engine.on_changes(frame)

    assert recorder.events == []
    assert len(await store.messages_between("C2Cbob", 0, 9)) == 1


async def test_a_frame_that_cannot_be_stored_leaves_nothing_half_done(
    store: Store, bus: EventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.set_sync_version(5)
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    frame = Changes(
        changes=[
            message_change(message(seq=1), v=6),
            PeerReadChange(v=7, conversation_id="C2Cbob", read_seq=1),
        ]
    )

    def disk_full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Batch, "put_peer_read", disk_full)
    with pytest.raises(sqlite3.OperationalError):
        await engine.on_changes(frame)

    # Neither the message nor the cursor moved: the next connection brings both again.
    assert await store.messages_between("C2Cbob", 0, 9) == []
    assert await store.sync_version() == 5


@pytest.mark.expected_log("messenger.core.store", r"skipping malformed change")
async def test_a_malformed_change_is_skipped_and_the_rest_applied(
    store: Store, bus: EventBus
) -> None:
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    broken = message(sender="not a valid id!", seq=1)
    frame = Changes(changes=[message_change(broken, v=6), message_change(message(seq=1), v=7)])

    await engine.on_changes(frame)

    assert [m.seq for m in await store.messages_between("C2Cbob", 0, 9)] == [1]
    assert await store.sync_version() == 7


@pytest.mark.expected_log("messenger.core.store", r"skipping change v8: a number is out of range")
async def test_a_change_with_a_number_out_of_range_is_skipped_and_the_rest_applied(
    store: Store, bus: EventBus
) -> None:
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    too_big = message(seq=2, time=2**60)
    # 16 digits inside a text are no number: that message is kept
    digits = message(seq=1, text=":12345678901234567890")
    frame = Changes(
        changes=[
            message_change(digits, v=7),
            message_change(too_big, v=8),
            state_change(state("C2Cbob", version=9, read_seq=1)),
        ]
    )

    await engine.on_changes(frame)

    stored = await store.messages_between("C2Cbob", 0, 9)
    assert [m.text for m in stored] == [":12345678901234567890"]
    assert await store.sync_version() == 9


async def test_pushes_become_events(store: Store, bus: EventBus, recorder: Recorder) -> None:
    expiring: list[int] = []
    engine = SyncEngine(
        "alice", store, RestTransport("http://unused"), bus, on_expiring=expiring.append
    )
    online = message(sender="bob", target="alice", seq=0, text="ringing")
    receipts = Receipts(
        conversation_id="GROUPg1", receipts=[ReceiptCount(seq=3, read_count=2, unread_count=1)]
    )

    await engine.on_push(TypingIn(conversation_id="C2Cbob", user_id="bob", typing=True))
    await engine.on_push(OnlineMessage(message=online))
    await engine.on_push(ReceiptsFrame(receipts=receipts))
    await engine.on_push(Expiring(expires_at=123))

    assert recorder.events == [
        TypingChanged("C2Cbob", "bob", True),
        OnlineMessageReceived("C2Cbob", online),
        ReceiptsChanged("GROUPg1", tuple(receipts.receipts)),
    ]
    assert expiring == [123]
    assert await store.messages_between("C2Cbob", 0, 9) == []  # online messages are not stored


async def test_a_recall_already_counted_out_by_a_catch_up_state_is_not_taken_twice(
    store: Store, bus: EventBus
) -> None:
    await store.set_sync_version(40)
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    # The state changed at v50 but its count was made at v60, after the recall (v55) of seq 2:
    # its count of 1 (seq 3) already leaves seq 2 out.
    page: list[AnyChange] = [
        state_change(
            state(
                "C2Cbob",
                version=50,
                read_seq=1,
                unread_count=1,
                unread_at_seq=3,
                unread_version=60,
            )
        ),
        message_change(message(seq=2, recalled=True), v=55),
    ]
    await engine.on_changes(Changes(changes=page, catchup=True))
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.unread_count == 1

    # Live: seq 3 is recalled after the count; now it is taken back.
    await engine.on_changes(Changes(changes=[message_change(message(seq=3, recalled=True), v=61)]))
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.unread_count == 0


async def test_a_count_made_after_the_welcome_covers_a_recall_in_a_later_page(
    store: Store, bus: EventBus
) -> None:
    await store.set_sync_version(40)
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    await engine.on_welcome(
        Welcome(user_id="alice", device_id="d1", head=60, server_time=0, expires_at=0)
    )
    await store.put_messages([message(seq=s, version=s, message_id=f"m{s}") for s in (1, 2, 3)])
    # Page 1 was computed at v66: seq 2, recalled at v65 (after the welcome), is not counted.
    first: list[AnyChange] = [
        state_change(
            state("C2Cbob", version=50, unread_count=2, unread_at_seq=3, unread_version=66)
        )
    ]
    second: list[AnyChange] = [message_change(message(seq=2, message_id="m2", recalled=True), v=65)]
    await engine.on_changes(Changes(changes=first, catchup=True))
    await engine.on_changes(Changes(changes=second, catchup=True))

    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.unread_count == 2


async def test_a_recall_newer_than_the_count_of_a_stored_message_is_taken_back(
    store: Store, bus: EventBus
) -> None:
    engine = SyncEngine("alice", store, RestTransport("http://unused"), bus)
    await store.put_messages([message(seq=s, version=s, message_id=f"m{s}") for s in (1, 2)])
    state_at = state("C2Cbob", version=30, unread_count=2, unread_at_seq=2, unread_version=30)
    await engine.on_changes(Changes(changes=[state_change(state_at)]))
    recalled = message(seq=1, message_id="m1", recalled=True)
    await engine.on_changes(Changes(changes=[message_change(recalled, v=31)]))

    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.unread_count == 1


async def test_an_unblocked_conversation_is_reported_for_its_held_back_messages(
    store: Store, bus: EventBus
) -> None:
    unblocked: list[list[str]] = []
    engine = SyncEngine(
        "alice", store, RestTransport("http://unused"), bus, on_unblocked=unblocked.append
    )
    blocked = state("C2Cbob", version=5, remind=RemindType.BLOCK)
    await engine.on_changes(Changes(changes=[state_change(blocked)], catchup=True))
    # A state that counts messages the feed has not brought yet is no reason by itself.
    ahead = state("C2Ccarol", version=6, unread_count=2, unread_at_seq=2)
    await engine.on_changes(Changes(changes=[state_change(ahead)]))
    assert unblocked == []

    await engine.on_changes(
        Changes(changes=[state_change(state("C2Cbob", version=7, unread_at_seq=4))])
    )
    assert unblocked == [["C2Cbob"]]
