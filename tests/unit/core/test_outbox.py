"""The outbox state machine: echo, ack, refusal, retries, resend, restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from messenger.core.backoff import Backoff
from messenger.core.events import EventBus, MessagesAdded, MessageUpdated
from messenger.core.models import Accepted, MessageState
from messenger.core.outbox import Outbox
from messenger.core.store import Store
from messenger.protocol import errors
from messenger.protocol.models import Limits, Message, SendRequest

from .conftest import Recorder
from .helpers import eventually

Respond = Callable[[str, SendRequest], Awaitable[Message]]


class FakeServer:
    """Stands in for the realtime connection; idempotent on client_msg_id like the server."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.sent: list[str] = []  # client_msg_ids in the order they were sent
        self.stored: dict[str, Message] = {}
        self.failures: list[errors.MessengerError] = []  # raised by the next sends, in order
        self.gate: asyncio.Event | None = None  # when set, answers wait for it

    async def wait_connected(self) -> None:
        await self.connected.wait()

    async def send_message(self, conversation_id: str, request: SendRequest) -> Accepted:
        if not self.connected.is_set():
            raise errors.NetworkError("not connected")
        self.sent.append(request.client_msg_id)
        if self.gate is not None:
            await self.gate.wait()
        if self.failures:
            raise self.failures.pop(0)
        if request.client_msg_id not in self.stored:
            seq = len(self.stored) + 1
            self.stored[request.client_msg_id] = Message(
                message_id=f"srv-{seq}",
                conv_type="c2c",
                target=conversation_id.removeprefix("C2C"),
                sender="alice",
                seq=seq,
                client_msg_id=request.client_msg_id,
                time=2_000_000 + seq,
                kind=request.kind,
                body=request.body,
                version=100 + seq,
            )
        return Accepted(self.stored[request.client_msg_id])


def no_wait() -> Backoff:
    return Backoff(base=0.0, cap=0.0)


def make_outbox(store: Store, server: FakeServer, bus: EventBus, limits: Limits) -> Outbox:
    return Outbox(
        "alice", store, server, bus, limits=limits, backoff=no_wait(), clock=lambda: 1_000
    )


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
async def outbox(store: Store, server: FakeServer, bus: EventBus) -> AsyncIterator[Outbox]:
    box = make_outbox(store, server, bus, Limits())
    box.start()
    yield box
    await box.aclose()


def text(client_msg_id: str, value: str = "hello") -> SendRequest:
    return SendRequest(client_msg_id=client_msg_id, body={"text": value})


async def states(store: Store) -> dict[str, MessageState]:
    messages = await store.messages_between("C2Cbob", 0, 1000)
    messages += await store.unsent_messages("C2Cbob")
    return {m.client_msg_id: m.state for m in messages}


async def test_a_message_shows_at_once_and_turns_sent_on_the_ack(
    outbox: Outbox, server: FakeServer, store: Store, recorder: Recorder
) -> None:
    echo = await outbox.send("C2Cbob", text("c1"))

    assert echo.state is MessageState.SENDING
    [added] = recorder.of(MessagesAdded)
    assert added.messages == (echo,)
    assert server.sent == []  # offline: queued

    server.connected.set()
    await eventually(lambda: len(recorder.of(MessageUpdated)) == 1)
    [updated] = recorder.of(MessageUpdated)
    assert (updated.message.state, updated.message.seq) == (MessageState.SENT, 1)
    assert updated.message.client_msg_id == "c1"
    assert await store.outbox() == []


async def test_a_conversations_messages_go_one_at_a_time_conversations_in_parallel(
    outbox: Outbox, server: FakeServer, store: Store
) -> None:
    for name in ("first", "second", "third"):
        await outbox.send("C2Cbob", text(name))
    await outbox.send("C2Ccarol", text("other"))
    server.gate = asyncio.Event()
    server.connected.set()

    # The oldest of each conversation goes out; the next waits for its answer.
    await eventually(lambda: sorted(server.sent) == ["first", "other"])
    await asyncio.sleep(0.05)
    assert sorted(server.sent) == ["first", "other"]
    server.gate.set()
    await eventually(lambda: _all_sent(store, ["first", "second", "third"]))
    assert [s for s in server.sent if s != "other"] == ["first", "second", "third"]
    stored = await store.messages_between("C2Cbob", 1, 10)
    assert [m.client_msg_id for m in stored] == ["first", "second", "third"]


async def test_a_message_refused_for_now_is_never_overtaken_by_the_next(
    outbox: Outbox, server: FakeServer, store: Store
) -> None:
    server.failures.append(errors.RateLimited("slow down", retry_after_ms=20))
    for name in ("first", "second", "third"):
        await outbox.send("C2Cbob", text(name))
    server.connected.set()

    await eventually(lambda: _all_sent(store, ["first", "second", "third"]))
    assert server.sent == ["first", "first", "second", "third"]
    stored = await store.messages_between("C2Cbob", 1, 3)
    assert [m.client_msg_id for m in stored] == ["first", "second", "third"]


async def _all_sent(store: Store, ids: list[str]) -> bool:
    current = await states(store)
    return all(current.get(i) is MessageState.SENT for i in ids)


async def test_a_refused_message_fails_and_resend_delivers_it(
    outbox: Outbox, server: FakeServer, store: Store, recorder: Recorder
) -> None:
    server.failures.append(errors.PermissionDenied("you are blocked"))
    server.connected.set()
    await outbox.send("C2Cbob", text("c1"))

    await eventually(lambda: len(recorder.of(MessageUpdated)) == 1)
    [failed] = recorder.of(MessageUpdated)
    assert failed.message.state is MessageState.FAILED
    assert failed.message.error is not None and failed.message.error.name == "permission_denied"
    assert await store.outbox() == []
    await asyncio.sleep(0.05)
    assert server.sent == ["c1"]  # not retried on its own

    again = await outbox.resend("c1")
    assert again.state is MessageState.SENDING and again.client_msg_id == "c1"
    await eventually(lambda: _all_sent(store, ["c1"]))
    assert server.sent == ["c1", "c1"]


@pytest.mark.parametrize(
    "failure",
    [
        errors.RateLimited("slow down", retry_after_ms=30),
        errors.ServerError("database busy"),
        errors.RequestTimeout("no answer"),
    ],
)
async def test_transient_failures_are_retried_while_the_message_stays_sending(
    outbox: Outbox,
    server: FakeServer,
    store: Store,
    recorder: Recorder,
    failure: errors.MessengerError,
) -> None:
    server.failures.extend([failure, failure])
    server.connected.set()
    await outbox.send("C2Cbob", text("c1"))

    await eventually(lambda: _all_sent(store, ["c1"]))
    assert server.sent == ["c1", "c1", "c1"]
    assert [e.message.state for e in recorder.of(MessageUpdated)] == [MessageState.SENT]


async def test_a_rate_limited_message_waits_as_long_as_the_server_asks(
    outbox: Outbox, server: FakeServer, store: Store
) -> None:
    server.failures.append(errors.RateLimited("slow down", retry_after_ms=800))
    server.connected.set()
    await outbox.send("C2Cbob", text("c1"))

    await eventually(lambda: server.sent == ["c1"])
    await asyncio.sleep(0.2)
    assert server.sent == ["c1"]
    await eventually(lambda: _all_sent(store, ["c1"]))


async def test_after_a_restart_the_outbox_delivers_exactly_once(
    store: Store, server: FakeServer, bus: EventBus
) -> None:
    # The first run sent the message, the server stored it, and the ack was lost in a crash.
    first = make_outbox(store, server, bus, Limits())
    await first.send("C2Cbob", text("c1"))
    server.connected.set()
    await server.send_message("C2Cbob", text("c1"))
    await first.aclose()

    second = make_outbox(store, server, bus, Limits())
    second.start()
    try:
        await eventually(lambda: _all_sent(store, ["c1"]))
    finally:
        await second.aclose()
    assert server.sent == ["c1", "c1"]  # sent again after the restart
    assert len(server.stored) == 1
    assert [m.client_msg_id for m in await store.messages_between("C2Cbob", 0, 10)] == ["c1"]


async def test_a_message_over_the_limit_is_refused_before_it_is_queued(
    store: Store, server: FakeServer, bus: EventBus
) -> None:
    box = make_outbox(store, server, bus, Limits(text_bytes=6))
    with pytest.raises(errors.MessageTooLarge):
        await box.send("C2Cbob", text("c1", "七个字节"))  # 12 bytes
    mention_in_c2c = SendRequest(client_msg_id="c2", body={"text": "x"}, mentions=["bob"])
    with pytest.raises(errors.InvalidParameter):
        await box.send("C2Cbob", mention_in_c2c)
    assert await store.outbox() == []
    assert await store.unsent_messages("C2Cbob") == []
