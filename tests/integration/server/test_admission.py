"""Per-IP and per-user limits on sign-ins, requests and sockets, and deadlines on slow requests:
typed refusals with ``retry_after_ms``, and what was accepted before still works.

Each test runs its own server with small limits and no exempt addresses (loopback is exempt from
the per-IP limits by default)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice, usersig
from tests.helpers.server import ServerProcess


@pytest.fixture
def limited(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    env = {"MESSENGER_IP_LIMITS_EXEMPT": "", **request.param}
    proc = ServerProcess(tmp_path / "server", env=env)
    proc.start()
    yield proc
    proc.stop()


def _login(server: ServerProcess, user: str) -> httpx.Response:
    return httpx.post(
        server.url + "/v1/auth/login",
        json={"user_id": user, "user_sig": usersig(user), "device_id": uid("d")},
    )


@pytest.mark.parametrize(
    "limited",
    [{"MESSENGER_IP_SIGN_IN_BURST": "3", "MESSENGER_IP_SIGN_IN_RATE": "0.01"}],
    indirect=True,
)
def test_sign_ins_per_address_are_limited(limited: ServerProcess) -> None:
    user = uid("signin")
    answers = [_login(limited, user) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    refused = _login(limited, user)
    assert refused.status_code == 429
    body = refused.json()
    assert body["name"] == "rate_limited"
    assert body["details"]["scope"] == "sign_in"
    assert body["details"]["retry_after_ms"] > 1000
    assert int(refused.headers["Retry-After"]) >= 1
    token = answers[-1].json()["session_token"]
    me = httpx.get(limited.url + "/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200  # signed-in sessions keep working


@pytest.mark.parametrize(
    "limited",
    [{"MESSENGER_USER_REQUEST_BURST": "5", "MESSENGER_USER_REQUEST_RATE": "0.1"}],
    indirect=True,
)
async def test_requests_per_user_are_limited_on_rest_and_websocket(
    limited: ServerProcess,
) -> None:
    a = await RawDevice(limited.url, uid("busy")).sign_in()
    other = await RawDevice(limited.url, uid("calm")).sign_in()
    try:
        for _ in range(5):
            await a.call("me")
        with pytest.raises(errors.RateLimited) as refused:
            await a.call("me")
        assert refused.value.retry_after_ms > 1000
        assert (await other.call("me")).user_id == other.user_id  # other users are not held up
        await other.connect()
        for _ in range(4):  # the fifth frame of this user is over the limit
            await other.barrier()
        rid = other.next_id()
        await other.raw_send(frames.Ping(id=rid))
        error = await other.wait_for(lambda f: getattr(f, "id", None) == rid)
        assert isinstance(error, frames.ErrorFrame)
        assert error.error.name == "rate_limited"
        admin = await RawDevice(limited.url, "administrator").sign_in()
        try:
            for _ in range(8):  # the operator's backend is not limited per user
                assert (await admin.call("me")).user_id == "administrator"
        finally:
            await admin.aclose()
    finally:
        await a.aclose()
        await other.aclose()


@pytest.mark.parametrize(
    "limited",
    [{"MESSENGER_IP_SOCKET_LIMIT": "2", "MESSENGER_USER_SOCKET_LIMIT": "2"}],
    indirect=True,
)
async def test_open_sockets_per_address_and_per_user_are_limited(limited: ServerProcess) -> None:
    users = [await RawDevice(limited.url, uid("sock")).sign_in() for _ in range(2)]
    try:
        for device in users:
            await device.connect()
        ws_url = limited.url.replace("http://", "ws://") + "/v1/ws"
        async with connect(ws_url) as ws:
            error = frames.decode_server_frame(await ws.recv())
            assert isinstance(error, frames.ErrorFrame)
            assert error.error.details["scope"] == "ip_sockets"
            with pytest.raises(Exception):  # noqa: B017, PT011 - closed by the server
                await ws.recv()
            assert ws.close_code == frames.CLOSE_RATE_LIMITED
        await users[0].barrier()  # the open ones stay
        await users[1].disconnect()
        await asyncio.sleep(0.2)
        await users[1].connect()  # a closed socket frees its place
    finally:
        for device in users:
            await device.aclose()


@pytest.mark.parametrize(
    "limited",
    [{"MESSENGER_USER_SOCKET_LIMIT": "1", "MESSENGER_IP_LIMITS_EXEMPT": "127.0.0.1"}],
    indirect=True,
)
async def test_open_sockets_per_user_are_limited(limited: ServerProcess) -> None:
    user = uid("many")
    first = await RawDevice(limited.url, user).sign_in()
    second = await RawDevice(limited.url, user).sign_in()
    try:
        await first.connect()
        with pytest.raises(errors.RateLimited):
            await second.connect()
        assert second.closed is not None
        assert await asyncio.wait_for(second.closed, 5) == frames.CLOSE_RATE_LIMITED
        await first.barrier()
    finally:
        await first.aclose()
        await second.aclose()


@pytest.mark.parametrize("limited", [{"MESSENGER_REQUEST_TIMEOUT_MS": "500"}], indirect=True)
async def test_a_stalled_request_head_or_hello_times_out(limited: ServerProcess) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", limited.port)
    writer.write(b"GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never finished
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)  # the server closes: read() ends
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"request_too_slow" in answer
    writer.close()

    idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", limited.port)
    answer = await asyncio.wait_for(idle_reader.read(), 5)  # sends nothing at all: closed too
    assert answer.startswith(b"HTTP/1.1 408")
    idle_writer.close()

    ws_url = limited.url.replace("http://", "ws://") + "/v1/ws"
    async with connect(ws_url) as ws:  # no hello
        error = frames.decode_server_frame(await asyncio.wait_for(ws.recv(), 5))
        assert isinstance(error, frames.ErrorFrame)
        with pytest.raises(Exception):  # noqa: B017, PT011 - closed by the server
            await ws.recv()
        assert ws.close_code == frames.CLOSE_PROTOCOL_ERROR


async def _http_answer(server: ServerProcess) -> bytes:
    """What a fresh connection gets for ``GET /health``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return answer


@pytest.mark.parametrize("limited", [{"MESSENGER_IP_CONNECTION_LIMIT": "3"}], indirect=True)
async def test_open_connections_per_address_are_capped_and_freed_when_closed(
    limited: ServerProcess,
) -> None:
    idle = [await asyncio.open_connection("127.0.0.1", limited.port) for _ in range(2)]
    ws_url = limited.url.replace("http://", "ws://") + "/v1/ws"
    async with connect(ws_url):  # a WebSocket is one connection, counted once
        await asyncio.sleep(0.1)
        refused = await _http_answer(limited)
        head, _, body = refused.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 429")
        error = errors.error_from_wire(json.loads(body))
        assert isinstance(error, errors.RateLimited)
        assert error.details["scope"] == "ip_connections" and error.retry_after_ms > 0
    await asyncio.sleep(0.2)  # the WebSocket closed: its place is free again
    assert (await _http_answer(limited)).startswith(b"HTTP/1.1 200")
    for _, writer in idle:
        writer.close()
    await asyncio.sleep(0.2)
    answers = await asyncio.gather(*(_http_answer(limited) for _ in range(3)))
    assert all(a.startswith(b"HTTP/1.1 200") for a in answers)
