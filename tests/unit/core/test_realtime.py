"""The realtime connection against a scripted WebSocket server on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from messenger.core.backoff import Backoff
from messenger.core.models import ConnectionState
from messenger.core.transport.realtime import PushFrame, RealtimeTransport, websocket_url
from messenger.protocol import errors
from messenger.protocol.frames import (
    CLOSE_KICKED,
    Ack,
    Changes,
    ErrorFrame,
    Kicked,
    Ping,
    Pong,
    Send,
    Synced,
    TypingIn,
    Welcome,
    decode_client_frame,
    encode,
)
from messenger.protocol.models import ErrorBody, SendRequest

from .factories import message, message_change
from .fake_ws import FakeWsServer, Peer
from .helpers import eventually


class Listener:
    """Records what the connection reports; resumes from the last version it applied."""

    def __init__(self, since: int | None = 0) -> None:
        self.version = since
        self.log: list[str] = []
        self.states: list[ConnectionState] = []
        self.kicks: list[tuple[str, str]] = []
        self.pushes: list[PushFrame] = []

    async def since(self) -> int | None:
        return self.version

    async def on_welcome(self, frame: Welcome) -> None:
        self.log.append("welcome")

    async def on_changes(self, frame: Changes) -> None:
        self.log.append(f"changes:{[c.v for c in frame.changes]}")
        self.version = max(c.v for c in frame.changes)

    async def on_synced(self, frame: Synced) -> None:
        self.log.append(f"synced:{frame.version}")

    async def on_push(self, frame: PushFrame) -> None:
        self.pushes.append(frame)

    def on_state(self, state: ConnectionState) -> None:
        self.states.append(state)

    def on_kicked(self, reason: str, message: str) -> None:
        self.kicks.append((reason, message))


def welcome(head: int = 0) -> Welcome:
    return Welcome(user_id="alice", device_id="d1", head=head, server_time=1, expires_at=2)


async def greet(peer: Peer, head: int = 0) -> None:
    await peer.send(welcome(head))
    await peer.send(Synced(version=head))


async def serve_forever(peer: Peer, pings: list[int] | None = None) -> None:
    """Greet, then answer sends and pings until the client goes away."""
    await greet(peer)
    seq = 0
    async for raw in peer.conn:
        frame = decode_client_frame(raw)
        if isinstance(frame, Send):
            seq += 1
            answer = message(
                sender="alice", target="bob", seq=seq, client_msg_id=frame.msg.client_msg_id
            )
            await peer.send(Ack(id=frame.id, message=answer))
        elif isinstance(frame, Ping):
            if pings is not None:
                pings.append(frame.id)
            await peer.send(Pong(id=frame.id, server_time=0))


@asynccontextmanager
async def connection(
    server: FakeWsServer, listener: Listener, **options: Any
) -> AsyncIterator[RealtimeTransport]:
    realtime = RealtimeTransport(
        server.url, "tok", listener, backoff=Backoff(base=0.01, cap=0.05), **options
    )
    realtime.start()
    try:
        yield realtime
    finally:
        await realtime.aclose()


def request(client_msg_id: str) -> SendRequest:
    return SendRequest(client_msg_id=client_msg_id, body={"text": "hi"})


def test_the_websocket_url_follows_the_server_url() -> None:
    assert websocket_url("http://127.0.0.1:8080/") == "ws://127.0.0.1:8080/v1/ws"
    assert websocket_url("https://im.example.com") == "wss://im.example.com/v1/ws"


async def test_hello_catch_up_then_connected() -> None:
    async def script(peer: Peer) -> None:
        await peer.send(welcome(head=12))
        await peer.send(Changes(changes=[message_change(message(seq=1), v=11)], catchup=True))
        await peer.send(Changes(changes=[message_change(message(seq=2), v=12)], catchup=True))
        await peer.send(Synced(version=12))
        await peer.conn.wait_closed()

    listener = Listener(since=10)
    async with FakeWsServer(script) as server, connection(server, listener) as realtime:
        await realtime.wait_synced()
        assert realtime.state is ConnectionState.CONNECTED
        [peer] = server.peers
        assert (peer.hello.token, peer.hello.since) == ("tok", 10)
        # the two frames may be applied together (see the next test): same versions, in order
        assert listener.log[0] == "welcome" and listener.log[-1] == "synced:12"
        assert listener.log[1:-1] in (["changes:[11]", "changes:[12]"], ["changes:[11, 12]"])
        assert listener.states == [ConnectionState.CONNECTING, ConnectionState.CONNECTED]
    assert listener.states[-1] is ConnectionState.OFFLINE


async def test_answers_are_matched_to_their_requests_by_id() -> None:
    async def script(peer: Peer) -> None:
        await greet(peer)
        first, second = await peer.recv(), await peer.recv()
        assert isinstance(first, Send) and isinstance(second, Send)
        # Answer out of order; the second request is refused.
        error = ErrorBody(code=80002, name="message_too_large", message="too big")
        await peer.send(ErrorFrame(id=second.id, error=error))
        stored = message(sender="alice", target="bob", seq=1, client_msg_id="one")
        await peer.send(Ack(id=first.id, message=stored))
        await peer.conn.wait_closed()

    async with FakeWsServer(script) as server, connection(server, Listener()) as realtime:
        await realtime.wait_synced()
        one = asyncio.create_task(realtime.send_message("C2Cbob", request("one")))
        two = asyncio.create_task(realtime.send_message("C2Cbob", request("two")))
        assert (await one).message.client_msg_id == "one"
        with pytest.raises(errors.MessageTooLarge):
            await two


async def test_a_request_without_an_answer_times_out() -> None:
    async def script(peer: Peer) -> None:
        await greet(peer)
        await peer.conn.wait_closed()

    async with (
        FakeWsServer(script) as server,
        connection(server, Listener(), request_timeout=0.1) as realtime,
    ):
        await realtime.wait_synced()
        with pytest.raises(errors.RequestTimeout):
            await realtime.send_message("C2Cbob", request("lost"))


async def test_requests_fail_at_once_while_disconnected() -> None:
    async with FakeWsServer(serve_forever) as server:
        realtime = RealtimeTransport(server.url, "tok", Listener(), backoff=Backoff())
        with pytest.raises(errors.NetworkError):
            await realtime.send_message("C2Cbob", request("offline"))
        await realtime.aclose()


async def test_a_dropped_connection_reconnects_from_the_last_applied_version() -> None:
    async def script(peer: Peer) -> None:
        if len(server.peers) == 1:
            await peer.send(welcome(head=5))
            await peer.send(Synced(version=5))
            await peer.send(Changes(changes=[message_change(message(seq=1), v=6)]))
            await peer.close(1011, "server restarting")
        else:
            await serve_forever(peer)

    listener = Listener(since=5)
    async with FakeWsServer(script) as server, connection(server, listener) as realtime:
        await server.wait_for_peers(2)
        await eventually(lambda: realtime.connected)
        assert [p.hello.since for p in server.peers] == [5, 6]
        sent = await realtime.send_message("C2Cbob", request("after"))
        assert sent.message.client_msg_id == "after"
    assert listener.states[:5] == [
        ConnectionState.CONNECTING,
        ConnectionState.CONNECTED,
        ConnectionState.OFFLINE,
        ConnectionState.CONNECTING,
        ConnectionState.CONNECTED,
    ]


async def test_a_request_in_flight_fails_when_the_connection_drops() -> None:
    async def script(peer: Peer) -> None:
        await greet(peer)
        await peer.recv()
        await peer.close(1011, "gone")

    async with FakeWsServer(script) as server, connection(server, Listener()) as realtime:
        await realtime.wait_synced()
        with pytest.raises(errors.NetworkError):
            await realtime.send_message("C2Cbob", request("dropped"))


@pytest.mark.parametrize(
    "end",
    [
        lambda peer: peer.send(Kicked(reason="other_device", message="signed in elsewhere")),
        lambda peer: peer.close(CLOSE_KICKED, "kicked"),
    ],
    ids=["kicked-frame", "close-4001"],
)
async def test_a_kick_ends_the_session_without_reconnecting(
    end: Callable[[Peer], object],
) -> None:
    async def script(peer: Peer) -> None:
        await greet(peer)
        await end(peer)  # type: ignore[misc]
        await peer.conn.wait_closed()

    listener = Listener()
    async with FakeWsServer(script) as server, connection(server, listener) as realtime:
        await eventually(lambda: bool(listener.kicks))
        await asyncio.sleep(0.2)  # several backoff periods
        assert len(server.peers) == 1
        assert realtime.state is ConnectionState.OFFLINE
    reason, _ = listener.kicks[0]
    assert reason in {"other_device", "kicked"}


async def test_a_refused_session_fails_the_first_sync_with_the_typed_error() -> None:
    async def script(peer: Peer) -> None:
        body = ErrorBody(code=70102, name="session_revoked", message="signed out")
        await peer.send(ErrorFrame(error=body))
        await peer.close(4003, "auth")

    listener = Listener()
    async with FakeWsServer(script) as server, connection(server, listener) as realtime:
        with pytest.raises(errors.SessionRevoked):
            await realtime.wait_synced()
        await asyncio.sleep(0.1)
        assert len(server.peers) == 1
    assert listener.kicks == [("session_revoked", "signed out")]


async def test_pings_keep_the_connection_and_a_silent_server_is_left() -> None:
    answered: list[int] = []

    async def script(peer: Peer) -> None:
        if len(server.peers) == 1:  # never answers pings
            await greet(peer)
            await peer.conn.wait_closed()
        else:
            await serve_forever(peer, answered)

    options = {"ping_interval": 0.05, "ping_timeout": 0.5}
    async with FakeWsServer(script) as server, connection(server, Listener(), **options):
        await server.wait_for_peers(2)
        await asyncio.sleep(0.3)
        assert len(server.peers) == 2  # pings are answered now: the connection stays
        assert len(answered) >= 3


async def test_pushes_reach_the_listener() -> None:
    async def script(peer: Peer) -> None:
        await greet(peer)
        await peer.send(TypingIn(conversation_id="C2Cbob", user_id="bob"))
        await peer.conn.wait_closed()

    listener = Listener()
    async with FakeWsServer(script) as server, connection(server, listener):
        await eventually(lambda: bool(listener.pushes))
    assert listener.pushes == [TypingIn(conversation_id="C2Cbob", user_id="bob")]


class SlowListener(Listener):
    """Its first ``on_changes`` waits until told to go on (a slow store, a busy machine)."""

    def __init__(self) -> None:
        super().__init__()
        self.busy = asyncio.Event()
        self.go_on = asyncio.Event()

    async def on_changes(self, frame: Changes) -> None:
        if not self.busy.is_set():
            self.busy.set()
            await self.go_on.wait()
        await super().on_changes(frame)

    async def on_push(self, frame: PushFrame) -> None:
        self.log.append("push")
        await super().on_push(frame)


async def test_changes_that_pile_up_while_one_is_applied_are_applied_together() -> None:
    frames_sent = asyncio.Event()
    listener = SlowListener()

    async def script(peer: Peer) -> None:
        await greet(peer)
        await peer.send(Changes(changes=[message_change(message(seq=1), v=1)]))
        await listener.busy.wait()
        for v in (2, 3):
            await peer.send(Changes(changes=[message_change(message(seq=v), v=v)]))
        await peer.send(TypingIn(conversation_id="C2Cbob", user_id="bob"))
        await peer.send(Changes(changes=[message_change(message(seq=4), v=4)]))
        frames_sent.set()
        await peer.conn.wait_closed()

    async with FakeWsServer(script) as server, connection(server, listener):
        await listener.busy.wait()
        await frames_sent.wait()
        await asyncio.sleep(0.05)  # the frames have crossed loopback and been read ahead
        listener.go_on.set()
        await eventually(lambda: listener.version == 4)
    # one store trip for what piled up; nothing reordered across the typing push
    assert listener.log == [
        "welcome",
        "synced:0",
        "changes:[1]",
        "changes:[2, 3]",
        "push",
        "changes:[4]",
    ]


class StubbornListener(Listener):
    """Swallows the first cancellation, as ``asyncio.wait_for`` can on Python 3.11."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = asyncio.Event()

    async def on_changes(self, frame: Changes) -> None:
        self.inside.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            pass
        await super().on_changes(frame)


async def test_closing_ends_the_connection_even_if_a_cancellation_is_swallowed() -> None:
    async def script(peer: Peer) -> None:
        await greet(peer)
        await peer.send(Changes(changes=[message_change(message(seq=1), v=1)]))
        await peer.conn.wait_closed()

    listener = StubbornListener()
    async with FakeWsServer(script) as server:
        realtime = RealtimeTransport(
            server.url, "tok", listener, backoff=Backoff(base=0.01), ping_interval=300
        )
        realtime.start()
        await listener.inside.wait()
        closing = asyncio.create_task(realtime.aclose())
        await asyncio.wait({closing}, timeout=5)  # (no cancellation of its own on timeout)
        closed = closing.done()
        closing.cancel()  # a second cancellation ends it either way
        assert closed, "aclose() waits forever (the app hung at quit)"
        [peer] = server.peers
        await eventually(lambda: peer.conn.close_code is not None)  # the connection ended
    assert realtime.state is ConnectionState.OFFLINE


async def test_a_burst_is_read_without_stopping_the_socket_over_and_over() -> None:
    """Each stop and start of reading makes the GUI's loop (qasync) a socket notifier anew;
    with the library's read-ahead of 16 frames a burst did that for every chunk it read."""
    count = 2000

    async def script(peer: Peer) -> None:
        await greet(peer)
        for v in range(1, count + 1):  # written in one go, as a server's burst arrives
            frame = Changes(changes=[message_change(message(seq=v), v=v)])
            peer.conn.protocol.send_text(encode(frame))
        peer.conn.send_data()
        await peer.conn.wait_closed()

    loop: Any = asyncio.get_running_loop()
    stops: list[int] = []
    remove_reader = loop._remove_reader

    def counted(fd: int) -> bool:
        stops.append(fd)
        return bool(remove_reader(fd))

    listener = Listener()
    # (uncompressed, as the server sends small frames: some 60 in each chunk read)
    async with FakeWsServer(script, compressed=False) as server, connection(server, listener):
        loop._remove_reader = counted
        try:
            await eventually(lambda: listener.version == count, within=30)
        finally:
            loop._remove_reader = remove_reader
    assert len(stops) <= 2, len(stops)
