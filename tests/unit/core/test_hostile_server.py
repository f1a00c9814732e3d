"""The client survives a hostile server: whatever the server sends, the core's decoders raise typed
errors (never another exception), and changes that make no sense are skipped with a log line
while the rest of the page applies; the store stays whole (``PRAGMA integrity_check``) and keeps
taking good changes afterwards. Fuzzed with hypothesis (derandomized, bounded)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from messenger.core.store import Store
from messenger.core.transport.realtime import _decode as decode_frame
from messenger.core.transport.rest import RestTransport
from messenger.protocol import api, errors, frames
from messenger.protocol.models import ConversationState, Message

from .factories import message, message_change

FUZZ = settings(
    max_examples=150,
    phases=[Phase.explicit, Phase.generate],  # (no shrinking: a failure is reported as found)
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**80)
    | st.floats()
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)

_VALID_FRAMES: list[dict[str, Any]] = [
    msgspec.to_builtins(f)
    for f in (
        frames.Welcome(user_id="alice", device_id="d", head=3, server_time=1, expires_at=2),
        frames.Changes(changes=[message_change(message(seq=1), 1)]),
        frames.Synced(version=3),
        frames.Ack(id=1, message=message(seq=2)),
        frames.Kicked(reason="banned"),
        frames.Pong(id=1, server_time=5),
    )
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    frame = json.loads(json.dumps(draw(st.sampled_from(_VALID_FRAMES))))
    node: Any = frame
    while True:  # walk down a random path, then replace what is there
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys or draw(st.booleans()):
            break
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)):
            node[key] = draw(json_values)
            return json.dumps(frame)
        node = node[key]
    if isinstance(node, dict):
        node[draw(st.text(max_size=5))] = draw(json_values)
    return json.dumps(frame)


hostile_raw = st.one_of(
    mutated(),
    json_values.map(json.dumps),
    st.text(max_size=100),
    st.binary(max_size=100),
    st.integers(min_value=30, max_value=5000).map(lambda n: "[" * n + "]" * n),
)


@FUZZ
@given(raw=hostile_raw)
def test_a_frame_decodes_or_raises_a_typed_error(raw: str | bytes) -> None:
    try:
        frame = decode_frame(raw)
    except errors.ServerError:
        return
    assert isinstance(frame, frames.ServerFrame)


@FUZZ
@given(
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 404, 409, 413, 429, 500, 502, 503]),
    body=st.one_of(hostile_raw, mutated().map(str.encode)),
    name=st.sampled_from(["conversations", "history", "login", "sync", "me"]),
)
async def test_a_rest_answer_decodes_or_raises_a_typed_error(
    status: int, body: str | bytes, name: str
) -> None:
    content = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    rest = RestTransport(
        "http://im.test",
        transport=httpx.MockTransport(lambda _: httpx.Response(status, content=content)),
    )
    rest.token = "t"
    endpoint = api.BY_NAME[name]
    path = {p: "C2Cbob" for p in endpoint.path_params}
    body_arg = None
    if endpoint.body is not None:
        body_arg = msgspec.convert(
            {"user_id": "a", "user_sig": "s", "device_id": "d"}, endpoint.body
        )
    try:
        answer = await rest.call(name, path=path, body=body_arg)
    except errors.MessengerError:
        pass
    else:
        assert status < 400
        assert isinstance(answer, endpoint.response)
    finally:
        await rest.aclose()


# -- changes that decode but make no sense -------------------------------------------------------------
ints = st.one_of(
    st.integers(min_value=-5, max_value=50), st.integers(min_value=2**62, max_value=2**80)
)
texts = st.one_of(
    st.sampled_from(["", "alice", "bob", "C2Cbob", "GROUPg", "@TIM#SYSTEM"]), st.text()
)

messages = st.builds(
    Message,
    message_id=texts,
    conv_type=st.sampled_from(["c2c", "group", "system", "bogus", ""]),
    target=texts,
    sender=texts,
    seq=ints,
    client_msg_id=texts,
    time=ints,
    kind=st.sampled_from(["text", "custom", "tip", "notice", "weird"]),
    body=st.dictionaries(st.text(max_size=6), json_values, max_size=3),
    mentions=st.lists(texts, max_size=3),
    recalled=st.booleans(),
    version=ints,
)
states = st.builds(
    ConversationState,
    conversation_id=texts,
    conv_type=st.sampled_from(["c2c", "group", "system", "bogus"]),
    read_seq=ints,
    unread_count=ints,
    unread_at_seq=ints,
    hidden_seq=ints,
    cleared_seq=ints,
    mention_seqs=st.lists(ints, max_size=3),
    version=ints,
)
changes = st.one_of(
    st.builds(frames.MessageChange, v=ints, message=messages),
    st.builds(frames.StateChange, v=ints, state=states),
    st.builds(frames.PeerReadChange, v=ints, conversation_id=texts, read_seq=ints),
)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.mark.expected_log("messenger.core.store.store", r"^skipping")
@pytest.mark.expected_log("messenger.core.store.writer", r"^replacing a stored message")
@settings(FUZZ, max_examples=60)
@given(page=st.lists(changes, min_size=1, max_size=6))
async def test_nonsense_changes_are_skipped_and_the_store_stays_whole(
    store_dir: Path, page: list[frames.AnyChange]
) -> None:
    path = store_dir / f"s{abs(hash(repr(page)))}" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    try:
        try:
            await store.apply_changes(page)
        except errors.MessengerError:
            pass
        good = message(seq=1, text="still works")
        await store.apply_changes([message_change(good, 10**6)])
        shown = await store.messages_between("C2Cbob", 1, 1)
        assert [m.text for m in shown] == ["still works"] or any(
            isinstance(c, frames.MessageChange) and c.message.message_id == good.message_id
            for c in page
        )
        await store.conversations()
        await store.total_unread()
    finally:
        await store.aclose()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
