"""Reading history: the cache first, the server only for holes, the cache alone offline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

from messenger.core.events import EventBus, MessagesAdded
from messenger.core.history import MessageHistory
from messenger.core.models import LocalMessage, MessageState
from messenger.core.store import Store
from messenger.core.transport.rest import RestTransport
from messenger.protocol.models import Message, MessagePage, SendRequest

from .conftest import Recorder
from .factories import group_message, message, message_change, state, state_change


class HistoryServer:
    """Answers ``GET …/messages`` from a list of C2Cbob messages, like the server pages them."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages
        self.queries: list[dict[str, str]] = []
        self.online = True

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if not self.online:
            raise httpx.ConnectError("offline", request=request)
        query = dict(request.url.params)
        self.queries.append(query)
        limit = int(query.get("limit", 50))
        if "after_seq" in query:
            page = [m for m in self.messages if m.seq > int(query["after_seq"])][:limit]
        else:
            before = int(query.get("before_seq", 10**9))
            page = [m for m in self.messages if m.seq < before][-limit:]
        body = MessagePage(messages=page, has_more=bool(page) and page[0].seq > 1)
        return httpx.Response(200, content=msgspec.json.encode(body))


@pytest.fixture
def server() -> HistoryServer:
    return HistoryServer([message(seq=s, version=s) for s in range(1, 31)])


@pytest.fixture
async def history(
    store: Store, server: HistoryServer, bus: EventBus
) -> AsyncIterator[MessageHistory]:
    rest = RestTransport("http://im.test", transport=httpx.MockTransport(server))
    rest.token = "tok"
    yield MessageHistory(store, rest, bus, page=10)
    await rest.aclose()


def seqs(messages: list[LocalMessage]) -> list[int]:
    return [m.seq for m in messages]


async def test_a_complete_cached_range_needs_no_request(
    history: MessageHistory, store: Store, server: HistoryServer
) -> None:
    await store.apply_changes([message_change(m, m.seq) for m in server.messages[20:]])

    assert seqs(await history.messages("C2Cbob", limit=5)) == [26, 27, 28, 29, 30]
    assert seqs(await history.messages("C2Cbob", before_seq=26, limit=5)) == [21, 22, 23, 24, 25]
    assert server.queries == []


async def test_a_hole_is_filled_from_the_server_page_by_page(
    history: MessageHistory, store: Store, server: HistoryServer, recorder: Recorder
) -> None:
    # A new device knows only the last message.
    await store.apply_changes([message_change(server.messages[-1], 30)])
    recorder.clear()

    found = await history.messages("C2Cbob", limit=25)

    assert seqs(found) == list(range(6, 31))
    assert len(server.queries) == 3  # pages of at most 10
    assert recorder.of(MessagesAdded) == []  # old messages are not news
    server.queries.clear()
    assert seqs(await history.messages("C2Cbob", limit=25)) == list(range(6, 31))
    assert server.queries == []  # now cached


async def test_offline_the_cache_is_returned_as_it_is(
    history: MessageHistory, store: Store, server: HistoryServer
) -> None:
    await store.apply_changes([message_change(m, m.seq) for m in server.messages[27:]])
    server.online = False
    assert seqs(await history.messages("C2Cbob", limit=10)) == [28, 29, 30]


async def test_newer_messages_page_forward(
    history: MessageHistory, store: Store, server: HistoryServer
) -> None:
    await store.apply_changes([message_change(server.messages[-1], 30)])
    assert seqs(await history.newer_messages("C2Cbob", 10, limit=5)) == [11, 12, 13, 14, 15]
    assert server.queries[0]["after_seq"] == "10"


async def unsent(store: Store) -> None:
    """One message of mine still sending (in the outbox, no seq yet)."""
    echo = LocalMessage(
        conversation_id="C2Cbob",
        message_id="",
        conv_type="c2c",
        target="bob",
        sender="alice",
        seq=0,
        client_msg_id="pending",
        time=1,
        kind="text",
        body={"text": "still sending"},
        state=MessageState.SENDING,
        is_self=True,
    )
    await store.add_outgoing(echo, SendRequest(client_msg_id="pending", body=echo.body))


async def test_my_unsent_messages_come_last_in_the_latest_page(
    history: MessageHistory, store: Store, server: HistoryServer
) -> None:
    await store.apply_changes([message_change(m, m.seq) for m in server.messages[25:]])
    await unsent(store)

    latest = await history.messages("C2Cbob", limit=3)
    older = await history.messages("C2Cbob", before_seq=29, limit=3)

    assert [(m.seq, m.state) for m in latest] == [
        (28, MessageState.SENT),
        (29, MessageState.SENT),
        (30, MessageState.SENT),
        (0, MessageState.SENDING),
    ]
    assert seqs(older) == [26, 27, 28]


async def test_a_chat_opens_with_one_store_read_when_its_window_is_cached(
    history: MessageHistory, store: Store, server: HistoryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The latest page, or a page around a message (the first unread, a search result), with
    my unsent ones after it when it reaches the latest: one read of the store, no request."""
    await store.apply_changes([message_change(m, m.seq) for m in server.messages])
    await unsent(store)
    reads: list[object] = []
    run = store._run

    async def counted(fn: Any) -> Any:
        reads.append(fn)
        return await run(fn)

    monkeypatch.setattr(store, "_run", counted)

    latest, at_latest = await history.window("C2Cbob", below=5)
    assert (seqs(latest), at_latest) == ([26, 27, 28, 29, 30, 0], True)
    middle, at_latest = await history.window("C2Cbob", 12, above=3, below=5)
    assert (seqs(middle), at_latest) == ([9, 10, 11, 12, 13, 14, 15, 16], False)
    end, at_latest = await history.window("C2Cbob", 28, above=3, below=5)
    assert (seqs(end), at_latest) == ([25, 26, 27, 28, 29, 30, 0], True)
    assert len(reads) == 3 and server.queries == []


async def test_a_window_with_a_hole_is_filled_from_the_server(
    history: MessageHistory, store: Store, server: HistoryServer
) -> None:
    await store.apply_changes([message_change(server.messages[-1], 30)])

    found, at_latest = await history.window("C2Cbob", 20, above=2, below=5)

    assert (seqs(found), at_latest) == ([18, 19, 20, 21, 22, 23, 24], False)
    assert server.queries != []


async def test_history_of_a_group_joined_late_starts_after_joined_seq(
    store: Store, bus: EventBus
) -> None:
    server = HistoryServer([group_message("g1", seq=s, version=s) for s in range(1, 31)])
    rest = RestTransport("http://im.test", transport=httpx.MockTransport(server))
    rest.token = "tok"
    history = MessageHistory(store, rest, bus, page=10)
    joined = state("GROUPg1", version=40, joined_seq=20, read_seq=20)
    await store.apply_changes([state_change(joined), message_change(server.messages[-1], 30)])

    assert seqs(await history.messages("GROUPg1", limit=50)) == list(range(21, 31))
    assert [q["before_seq"] for q in server.queries] == ["31"]  # nothing before 21 asked for
    assert await history.messages("GROUPg1", before_seq=21) == []
    assert seqs(await history.newer_messages("GROUPg1", 0, limit=3)) == [21, 22, 23]
    assert len(server.queries) == 1
    await rest.aclose()


async def test_fill_latest_announces_only_what_is_newer_than_the_cache(
    history: MessageHistory, store: Store, server: HistoryServer, recorder: Recorder
) -> None:
    await store.apply_changes([message_change(m, m.seq) for m in server.messages[24:27]])
    recorder.clear()

    await history.fill_latest("C2Cbob")

    [added] = recorder.of(MessagesAdded)
    assert seqs(list(added.messages)) == [28, 29, 30]
    assert seqs(await history.messages("C2Cbob", limit=10)) == list(range(21, 31))
