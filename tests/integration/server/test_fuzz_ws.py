"""The WebSocket fuzzed with hypothesis against the real server: after ``hello``, and as the first
frame. Frames are valid ones with fields swapped for arbitrary JSON, arbitrary JSON documents,
text that is not JSON, deep nesting, huge numbers and binary frames.

Whatever arrives, the server answers within ``HANG_SECONDS``: after ``hello`` the socket stays
open and still answers a ``ping`` (an unreadable frame gets an ``error`` frame), unless the frame
breaks the WebSocket protocol itself (then a documented close code); as the first frame, anything
but a valid ``hello`` is an ``error`` frame and close 4002/4003. No traceback in the log.

``make test`` runs a small derandomized sample; ``make fuzz`` raises ``MESSENGER_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from messenger.protocol import frames
from tests.helpers.ids import uid
from tests.helpers.raw import usersig
from tests.helpers.server import ServerProcess

EXAMPLES = int(os.environ.get("MESSENGER_FUZZ_EXAMPLES", "6")) * 10
HANG_SECONDS = 10.0
DOCUMENTED_CLOSES = {1007, 1009, frames.CLOSE_PROTOCOL_ERROR, frames.CLOSE_AUTH_FAILED}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**53 - 2, max_value=2**70)
    | st.floats()
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


def _valid(token: str) -> list[dict[str, Any]]:
    send: dict[str, Any] = {
        "client_msg_id": "m1",
        "body": {"text": "hi"},
        "mentions": [],
        "reply_to": None,
    }
    return [
        {"t": "ping", "id": 1},
        {"t": "read", "id": 2, "conversation_id": "C2Cx", "seq": 1},
        {"t": "typing", "conversation_id": "C2Cx", "typing": True},
        {"t": "send", "id": 3, "conversation_id": "C2Cx", "msg": send},
        {"t": "hello", "token": token, "since": 0},
    ]


@st.composite
def mutated_frames(draw: st.DrawFn, token: str) -> str:
    frame = json.loads(json.dumps(draw(st.sampled_from(_valid(token)))))
    target = frame
    if "msg" in frame and draw(st.booleans()):
        target = frame["msg"]
    key = draw(st.sampled_from([*target, "t", "extra"]))
    target[key] = draw(json_values)
    return json.dumps(frame)


def raw_frames(token: str) -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        mutated_frames(token),
        json_values.map(json.dumps),
        st.text(max_size=200),
        st.binary(max_size=200),
        st.integers(min_value=33, max_value=20_000).map(lambda n: "[" * n + "]" * n),
        st.integers(min_value=33, max_value=5000).map(
            lambda n: '{"t": "ping", "id": 1, "x": ' + '{"a": ' * n + "1" + "}" * n + "}"
        ),
    )


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("wsfuzz"), "--sqlite-synchronous", "NORMAL")
    proc.start()
    yield proc
    proc.stop()


def _token(server: ServerProcess, user: str) -> str:
    answer = httpx.post(
        server.url + "/v1/auth/login",
        json={"user_id": user, "user_sig": usersig(user), "device_id": uid("d")},
    )
    answer.raise_for_status()
    return str(answer.json()["session_token"])


class Socket:
    """One signed-in socket, reopened when the server closes it (with a documented code)."""

    def __init__(self, server: ServerProcess, token: str) -> None:
        self.url = server.url.replace("http://", "ws://") + "/v1/ws"
        self.token = token
        self.ws: ClientConnection = self._open()

    def _open(self) -> ClientConnection:
        ws = connect(self.url, max_size=2**22, open_timeout=HANG_SECONDS).__enter__()  # (kept open)
        ws.send(json.dumps({"t": "hello", "token": self.token, "since": None}))
        while not isinstance(frames.decode_server_frame(ws.recv(HANG_SECONDS)), frames.Synced):
            pass
        return ws

    def alive(self, rid: int) -> None:
        """A ping is answered in time (frames before it are skipped)."""
        self.ws.send(json.dumps({"t": "ping", "id": rid}))
        while True:
            frame = frames.decode_server_frame(self.ws.recv(HANG_SECONDS))
            if isinstance(frame, frames.Pong) and frame.id == rid:
                return

    def reopen(self) -> None:
        self.ws.close()
        self.ws = self._open()


@pytest.mark.timeout(3600)
def test_no_frame_breaks_the_websocket(fuzz_server: ServerProcess) -> None:
    user = uid("wsfuzz")
    token = _token(fuzz_server, user)
    sock = Socket(fuzz_server, token)
    tally: Counter[str] = Counter()
    counter = iter(range(10**6, 10**9))

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(raw=raw_frames(token))
    def after_hello(raw: str | bytes) -> None:
        tally["frames"] += 1
        try:
            sock.ws.send(raw)
            sock.alive(next(counter))
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            assert code in DOCUMENTED_CLOSES, f"closed with {code} after {raw!r:.200}"
            tally[f"closed {code}"] += 1
            sock.reopen()
        except TimeoutError:
            raise AssertionError(f"no answer within {HANG_SECONDS} s after {raw!r:.200}") from None

    after_hello()

    @settings(
        max_examples=max(EXAMPLES // 4, 5),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(raw=raw_frames(token))
    def as_first_frame(raw: str | bytes) -> None:
        tally["first frames"] += 1
        with connect(sock.url, open_timeout=HANG_SECONDS) as ws:
            ws.send(raw)
            try:
                while True:
                    frame = frames.decode_server_frame(ws.recv(HANG_SECONDS))
                    if isinstance(frame, frames.Synced):
                        return  # it was a valid hello after all
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                assert code in DOCUMENTED_CLOSES, f"closed with {code} after {raw!r:.200}"
            except TimeoutError:
                raise AssertionError(f"no answer within {HANG_SECONDS} s: {raw!r:.200}") from None

    as_first_frame()
    sock.ws.close()
    print(f"\nWebSocket fuzz: {dict(tally)}")
    log = fuzz_server.log_path.read_text("utf-8", "replace")
    assert "Traceback" not in log, log[-3000:]
