"""The server's edge: input that is not valid UTF-8, nested too deeply, out of range, too large or
too slow is a typed 4xx on REST and a typed error frame (or a documented close code) on the
WebSocket; never a 500, a dropped socket, or a traceback in the log; nothing accepted is lost."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from messenger.protocol import decoding, errors, frames
from messenger.protocol.bounds import MAX_INT
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice, raise_if_error
from tests.helpers.server import ServerProcess

DEEP = b'{"client_msg_id": "m", "body": {"text": "x", "n": ' + b"[" * 5000 + b"]" * 5000 + b"}}"
NOT_UTF8 = b'{"client_msg_id": "m", "body": {"text": "\xff\xfe caf\xe9"}}'


def assert_no_tracebacks(server: ServerProcess) -> None:
    log = server.log_path.read_text("utf-8", "replace")
    assert "Traceback" not in log, log[-3000:]


async def test_bodies_that_are_not_utf8_are_typed_400s(server: ServerProcess, make: Make) -> None:
    a = await make(uid("enc"))
    paths: list[tuple[str, dict[str, Any]]] = [
        ("send", {"conversation_id": "C2C" + a.user_id}),
        ("register", {}),
    ]
    for name, path in paths:
        response = await a.request(name, content=NOT_UTF8, **path)
        assert response.status_code == 400, response.text
        assert response.json()["details"]["reason"] == "encoding"
    assert (await a.history("C2C" + a.user_id)).messages == []
    assert_no_tracebacks(server)


async def test_json_nested_too_deeply_is_a_typed_400(server: ServerProcess, make: Make) -> None:
    a = await make(uid("deep"))
    assert a.login is not None
    assert len(DEEP) < a.login.limits.request_bytes
    for name in ("send", "set_draft", "read"):
        response = await a.request(name, content=DEEP, conversation_id="C2C" + a.user_id)
        assert response.status_code == 400, response.text
        assert response.json()["details"] == {"reason": "depth", "limit": decoding.MAX_DEPTH}
    assert_no_tracebacks(server)


@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("read", {"body": {"seq": 2**63}}),
        ("read", {"body": {"seq": -1}}),
        ("set_draft", {"body": {"text": "x", "edit_time": 2**64}}),
        ("history", {"query": {"before_seq": str(10**30)}}),
        ("history", {"query": {"limit": "0"}}),
        ("sync", {"query": {"since": str(2**63)}}),
        ("receipts", {"query": {"seqs": f"1,{2**63}"}}),
        ("readers", {"seq": 2**63}),
        ("list_members", {"group_id": "g", "query": {"offset": str(2**70)}}),
        (
            "send",
            {
                "body": {
                    "client_msg_id": "m",
                    "body": {"text": "x"},
                    "reply_to": {"message_id": "x", "seq": 2**80, "sender": "y"},
                }
            },
        ),
    ],
)
async def test_numbers_out_of_range_are_typed_400s(
    server: ServerProcess, make: Make, name: str, kw: dict[str, object]
) -> None:
    a = await make(uid("range"))
    kw = {"conversation_id": "C2C" + a.user_id, **kw}
    response = await a.request(name, **kw)  # type: ignore[arg-type]
    assert response.status_code == 400, response.text
    assert response.json()["name"] == "invalid_parameter"
    assert_no_tracebacks(server)


async def test_numbers_at_the_bound_are_accepted(make: Make) -> None:
    a = await make(uid("edge"))
    state = await a.call(
        "set_draft", conversation_id="C2C" + a.user_id, body={"text": "x", "edit_time": MAX_INT}
    )
    assert state.draft_time == MAX_INT


async def test_path_parameters_are_bounded(server: ServerProcess, make: Make) -> None:
    a = await make(uid("path"))
    response = await a.request("history", conversation_id="C2C" + "x" * 500)
    assert response.status_code == 400
    response = await a.request("readers", conversation_id="C2C" + a.user_id, seq="abc")
    assert response.status_code == 400
    assert_no_tracebacks(server)


async def test_a_body_over_the_cap_is_refused_before_parsing(make: Make) -> None:
    a = await make(uid("big"))
    assert a.login is not None
    cap = a.login.limits.request_bytes
    response = await a.request("send", conversation_id="C2C" + a.user_id, content=b"[" * (cap + 1))
    assert response.status_code == 413
    assert response.json()["name"] == "payload_too_large"


async def test_a_stalled_body_times_out_with_a_typed_408(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server", env={"MESSENGER_REQUEST_TIMEOUT_MS": "500"})
    server.start()
    try:
        device = await RawDevice(server.url, uid("slow")).sign_in()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            b"PUT /v1/conversations/C2Cx/draft HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + device.token.encode() + b"\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text"'
        )
        await writer.drain()
        head = await asyncio.wait_for(reader.read(4096), 5)
        assert head.startswith(b"HTTP/1.1 408"), head
        assert b"request_too_slow" in head or b"request_too_slow" in await reader.read(4096)
        writer.close()
        await device.aclose()
    finally:
        server.stop()


# -- the WebSocket ----------------------------------------------------------------------------------------
async def test_frames_nested_too_deeply_get_an_error_and_the_socket_stays(
    server: ServerProcess, make: Make
) -> None:
    a = await make(uid("wsdeep"), connect=True)
    await a.raw_send(b'{"t": "ping", "id": 1, "x": ' + b"[" * 10000 + b"]" * 10000 + b"}")
    error = await a.next_of(frames.ErrorFrame)
    assert error.error.details["reason"] == "depth"
    await a.barrier()  # still answered
    assert_no_tracebacks(server)


@pytest.mark.parametrize(
    "frame",
    [
        {"t": "read", "id": 7, "conversation_id": "C2Cx", "seq": 2**63},
        {
            "t": "send",
            "id": 7,
            "conversation_id": "C2Cx",
            "msg": {
                "client_msg_id": "m",
                "body": {"text": "x"},
                "reply_to": {"message_id": "a", "seq": -1, "sender": "b"},
            },
        },
        {"t": "ping", "id": 7, "extra": "x" * 10},
    ],
)
async def test_frames_out_of_range_are_answered_under_their_id(
    server: ServerProcess, make: Make, frame: dict[str, object]
) -> None:
    a = await make(uid("wsrange"), connect=True)
    await a.raw_send(frames.encode(frame).decode())
    answer = await a.wait_for(lambda f: getattr(f, "id", None) == 7)
    if frame["t"] == "ping":
        assert isinstance(answer, frames.Pong)  # unknown keys are ignored
    else:
        with pytest.raises(errors.InvalidParameter):
            raise_if_error(answer)
    await a.barrier()
    assert_no_tracebacks(server)


async def test_a_hello_out_of_range_is_refused_with_4002(make: Make) -> None:
    a = await make(uid("wshello"))
    ws_url = a.url.replace("http://", "ws://") + "/v1/ws"
    async with connect(ws_url) as ws:
        await ws.send(frames.encode({"t": "hello", "token": a.token, "since": 2**64}).decode())
        error = frames.decode_server_frame(await ws.recv())
        assert isinstance(error, frames.ErrorFrame)
        with pytest.raises(Exception):  # noqa: B017, PT011 - closed
            await ws.recv()
        assert ws.close_code == frames.CLOSE_PROTOCOL_ERROR


async def test_a_text_frame_that_is_not_utf8_closes_with_1007(
    server: ServerProcess, make: Make
) -> None:
    """(A client library will not send one: the frame is written by hand.)"""
    a = await make(uid("wsutf"), connect=True)
    sock = socket.create_connection(("127.0.0.1", server.port))
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    sock.sendall(
        f"GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    assert b"101" in sock.recv(4096).split(b"\r\n")[0]
    payload = b"\xff\xfe"
    mask = b"\x01\x02\x03\x04"
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    sock.settimeout(5)
    data = b""
    while len(data) < 4:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    sock.close()
    assert data[0] == 0x88, data  # a close frame
    assert int.from_bytes(data[2:4], "big") == 1007
    await a.barrier()
    assert_no_tracebacks(server)


async def test_logout_kicks_every_socket_of_the_session_as_logged_out(make: Make) -> None:
    a = await make(uid("bye"), connect=True)
    second = RawDevice(a.url, a.user_id, a.device_id)
    second.token = a.token
    await second.connect()
    other = await make(a.user_id, connect=True)
    await a.call("logout")
    for device in (a, second):
        kicked = await device.next_of(frames.Kicked)
        assert kicked.reason == "logged_out"
        assert device.closed is not None
        assert await asyncio.wait_for(device.closed, 5) == frames.CLOSE_KICKED
    await other.barrier()  # another device of the same user stays connected
    await second.aclose()


async def test_the_openapi_document_states_the_bounds(server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        doc = (await http.get("/openapi.json")).json()
    draft = doc["components"]["schemas"]["DraftUpdate"]["properties"]
    assert draft["edit_time"] == {"type": "integer", "minimum": 0, "maximum": MAX_INT}
    params = doc["paths"]["/v1/conversations/{conversation_id}/messages"]["get"]["parameters"]
    by_name = {p["name"]: p["schema"] for p in params}
    assert by_name["conversation_id"]["maxLength"] == 64
    assert by_name["limit"]["maximum"] == 1000
