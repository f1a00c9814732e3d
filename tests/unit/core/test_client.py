"""The Client façade without a server: lifecycle, device identity, offline start, typed errors."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import msgspec
import pytest
import websockets

from messenger.core import Client, ConnectionState, MessageState
from messenger.core.backoff import Backoff
from messenger.core.events import (
    ConnectionStateChanged,
    Event,
    KickedOut,
    MessagesAdded,
    SyncCompleted,
)
from messenger.protocol import errors
from messenger.protocol.frames import (
    Ack,
    Expiring,
    Kicked,
    Ping,
    Pong,
    Read,
    Synced,
    Welcome,
    decode_client_frame,
)
from messenger.protocol.models import (
    ConversationList,
    ConversationState,
    Empty,
    Limits,
    LoginResponse,
    RefreshResponse,
)
from tests.unit.core.test_sync import no_contacts

from .fake_ws import FakeWsServer, Peer
from .helpers import eventually


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def offline_client(data_dir: Path) -> Client:
    # Port 9 (discard) on loopback: nothing listens, every attempt fails fast.
    return Client(
        "http://127.0.0.1:9",
        data_dir,
        http_transport=httpx.MockTransport(unreachable),
        backoff=lambda: Backoff(base=0.01, cap=0.05),
    )


async def test_the_device_id_is_made_once_per_data_directory(tmp_path: Path) -> None:
    async with offline_client(tmp_path / "a") as first:
        device = first.device_id
    async with offline_client(tmp_path / "a") as again, offline_client(tmp_path / "b") as other:
        assert again.device_id == device
        assert other.device_id != device
    assert len(device) >= 16


async def test_calls_before_sign_in_and_after_close_raise_typed_errors(tmp_path: Path) -> None:
    client = offline_client(tmp_path)
    await client.start()
    with pytest.raises(errors.NotLoggedIn):
        await client.conversations()
    await client.aclose()
    with pytest.raises(errors.ClientClosed):
        await client.send_text("C2Cbob", "hi")
    with pytest.raises(errors.ClientClosed):
        await client.start()


async def test_a_refused_sign_in_raises_the_servers_error_and_stays_signed_out(
    tmp_path: Path,
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        body = {"code": 70001, "name": "usersig_expired", "message": "expired", "details": {}}
        return httpx.Response(401, json=body)

    async with Client(
        "http://im.test", tmp_path, http_transport=httpx.MockTransport(refuse)
    ) as client:
        with pytest.raises(errors.UserSigExpired):
            await client.login("alice", "old-sig")
        assert client.user_id is None and client.session_token is None


async def test_resume_works_offline_and_queues_what_is_sent(tmp_path: Path) -> None:
    async with offline_client(tmp_path) as client:
        events: list[Event] = []
        client.subscribe(events.append)
        await client.resume("alice", "stored-token")

        assert client.user_id == "alice" and client.session_token == "stored-token"
        sent = await client.send_text("C2Cbob", "written on the train")
        assert sent.state is MessageState.SENDING
        [listed] = await client.conversations()
        assert listed.last_message == sent
        assert [m.text for m in await client.messages("C2Cbob")] == ["written on the train"]
        assert any(isinstance(e, MessagesAdded) for e in events)
        await eventually(lambda: client.connection_state is ConnectionState.OFFLINE)

    # Nothing is lost across a restart: the message waits in the outbox.
    async with offline_client(tmp_path) as client:
        await client.resume("alice", "stored-token")
        [pending] = await client.messages("C2Cbob")
        assert (pending.text, pending.state) == ("written on the train", MessageState.SENDING)


async def test_two_accounts_keep_separate_stores(tmp_path: Path) -> None:
    async with offline_client(tmp_path) as client:
        await client.resume("alice", "t1")
        await client.send_text("C2Cbob", "from alice")
        await client.resume("Alice", "t2")  # another account, differing only in case
        assert await client.conversations() == []
        await client.resume("alice", "t1")
        assert len(await client.conversations()) == 1


async def test_a_draft_is_kept_locally_while_offline(tmp_path: Path) -> None:
    async with offline_client(tmp_path) as client:
        await client.resume("alice", "t")
        await client.set_draft("C2Cbob", "half written")
        assert await client.draft("C2Cbob") == "half written"
        [conversation] = await client.conversations()
        assert conversation.draft_text == "half written"


# -- with a scripted server: REST through httpx.MockTransport, the socket on loopback ---------------
class ScriptedServer:
    """Just enough of the server for the Client's session logic."""

    def __init__(self) -> None:
        self.rest_calls: list[str] = []
        self.refreshed_with: list[str] = []
        self.reads: list[tuple[str, int | None]] = []
        self.peer: Peer | None = None

    async def rest(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.rest_calls.append(path)
        if path == "/v1/auth/login":
            body: msgspec.Struct = LoginResponse(
                session_token="tok-1",
                user_id="alice",
                device_id="d",
                expires_at=0,
                server_time=0,
                sdk_app_id=1,
                limits=Limits(text_bytes=100),
            )
        elif path == "/v1/conversations":
            body = ConversationList(conversations=[], version=3)
        elif path == "/v1/contacts":
            body = no_contacts("alice", 3)
        elif path == "/v1/auth/refresh":
            self.refreshed_with.append(json.loads(request.content)["user_sig"])
            body = RefreshResponse(expires_at=99)
        else:
            if path == "/v1/auth/logout" and self.peer is not None:
                # Like the server: the device's socket hears of the end of its session.
                with contextlib.suppress(websockets.ConnectionClosed):
                    await self.peer.send(Kicked(reason="logged_out"))
                await asyncio.sleep(0.05)
            body = Empty()
        return httpx.Response(200, content=msgspec.json.encode(body))

    async def socket(self, peer: Peer) -> None:
        self.peer = peer
        await peer.send(
            Welcome(user_id="alice", device_id="d", head=3, server_time=0, expires_at=0)
        )
        await peer.send(Synced(version=3))
        async for raw in peer.conn:
            frame = decode_client_frame(raw)
            if isinstance(frame, Read):
                self.reads.append((frame.conversation_id, frame.seq))
                state = ConversationState(conversation_id=frame.conversation_id, conv_type="c2c")
                await peer.send(Ack(id=frame.id, state=state))
            elif isinstance(frame, Ping):
                await peer.send(Pong(id=frame.id, server_time=0))


@pytest.fixture
def scripted() -> ScriptedServer:
    return ScriptedServer()


@asynccontextmanager
async def signed_in(
    tmp_path: Path, scripted: ScriptedServer
) -> AsyncIterator[tuple[Client, FakeWsServer, list[Event]]]:
    async with FakeWsServer(scripted.socket) as ws:
        client = Client(
            ws.url.replace("ws://", "http://").removesuffix("/v1/ws"),
            tmp_path,
            http_transport=httpx.MockTransport(scripted.rest),
            backoff=lambda: Backoff(base=0.01, cap=0.05),
        )
        events: list[Event] = []
        client.subscribe(events.append)
        async with client:

            async def provider() -> str:
                return "fresh-sig"

            await client.login("alice", "sig", usersig_provider=provider)
            yield client, ws, events


async def test_login_returns_connected_with_the_servers_limits(
    tmp_path: Path, scripted: ScriptedServer
) -> None:
    async with signed_in(tmp_path, scripted) as (client, ws, events):
        assert client.connection_state is ConnectionState.CONNECTED
        assert client.limits == Limits(text_bytes=100)
        assert ws.peers[0].hello.since == 3  # after the new device's snapshot
        assert SyncCompleted(3) in events
        with pytest.raises(errors.MessageTooLarge):
            await client.send_text("C2Cbob", "x" * 101)


async def test_an_expiring_session_is_renewed_with_a_fresh_usersig(
    tmp_path: Path, scripted: ScriptedServer
) -> None:
    async with signed_in(tmp_path, scripted) as (_, ws, _events):
        await ws.peers[0].send(Expiring(expires_at=12345))
        await eventually(lambda: scripted.refreshed_with == ["fresh-sig"])


async def test_reading_goes_over_the_socket_when_connected(
    tmp_path: Path, scripted: ScriptedServer
) -> None:
    async with signed_in(tmp_path, scripted) as (client, _ws, _events):
        await client.mark_read("C2Cbob", 4)
        assert scripted.reads == [("C2Cbob", 4)]
        assert "/v1/conversations/C2Cbob/read" not in scripted.rest_calls


async def test_a_kick_is_reported_once_and_ends_the_session(
    tmp_path: Path, scripted: ScriptedServer
) -> None:
    async with signed_in(tmp_path, scripted) as (client, ws, events):
        await ws.peers[0].send(Kicked(reason="other_device", message="signed in elsewhere"))
        await eventually(lambda: client.session_token is None)
        await asyncio.sleep(0.1)
        assert [e for e in events if isinstance(e, KickedOut)] == [
            KickedOut("other_device", "signed in elsewhere")
        ]
        assert client.connection_state is ConnectionState.OFFLINE
        assert len(ws.peers) == 1  # no reconnect
        assert await client.conversations() == []  # the store stays readable


async def test_signing_out_is_not_reported_as_a_kick(
    tmp_path: Path, scripted: ScriptedServer
) -> None:
    async with signed_in(tmp_path, scripted) as (client, _ws, events):
        await client.logout()
        assert client.user_id is None
        assert "/v1/auth/logout" in scripted.rest_calls
        assert [e for e in events if isinstance(e, KickedOut)] == []
        assert events[-1] == ConnectionStateChanged(ConnectionState.OFFLINE)


async def test_a_revoked_session_found_at_resume_is_reported_once(tmp_path: Path) -> None:
    calls: list[str] = []

    def revoked(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        body = {"code": 70102, "name": "session_revoked", "message": "signed out", "details": {}}
        return httpx.Response(401, json=body)

    async with Client(
        "http://127.0.0.1:9",
        tmp_path,
        http_transport=httpx.MockTransport(revoked),
        backoff=lambda: Backoff(base=0.01, cap=0.02),
    ) as client:
        events: list[Event] = []
        client.subscribe(events.append)
        await client.resume("alice", "old-token")

        await eventually(lambda: client.session_token is None)
        await asyncio.sleep(0.1)
        assert [e for e in events if isinstance(e, KickedOut)] == [
            KickedOut("session_revoked", "signed out")
        ]
        assert calls == ["/v1/conversations"]  # no retries against a dead session
        assert client.connection_state is ConnectionState.OFFLINE
