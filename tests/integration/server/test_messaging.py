"""Messaging rules of the real server: delivery, seqs, idempotency, paging, bad input, limits."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice, messages_of
from tests.helpers.server import ServerProcess


async def head(device: RawDevice) -> int:
    """The server's head version as the snapshot reports it."""
    return int((await device.call("conversations")).version)


def text_of(message: Any) -> str:
    return str(message.body.get("text"))


# -- delivery -----------------------------------------------------------------------------------------
async def test_ws_send_is_acked_to_the_sender_and_pushed_to_every_other_device(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice, connect=True)
    a2 = await make(alice, connect=True)
    b1 = await make(bob, connect=True)
    b2 = await make(bob, connect=True)

    rid = await a1.ws_send("C2C" + bob, "hello bob")
    ack = await a1.reply(rid)
    assert ack.message is not None
    assert (ack.message.seq, ack.message.sender, ack.message.target) == (1, alice, bob)
    for device in (a2, b1, b2):
        (change,) = await device.changes(1)
        assert isinstance(change, frames.MessageChange)
        assert change.message.message_id == ack.message.message_id
        assert change.v == ack.message.version
        assert text_of(change.message) == "hello bob"
    # the sending device has the message from its ack only
    assert messages_of(_changes(await a1.barrier())) == []


async def test_rest_send_answers_the_sender_and_pushes_to_every_other_device(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice, connect=True)
    a2 = await make(alice, connect=True)
    b1 = await make(bob, connect=True)

    sent = await a1.send("C2C" + bob, "over REST")
    assert (sent.seq, sent.sender) == (1, alice)
    for device in (a2, b1):
        (change,) = await device.changes(1)
        assert change.message.message_id == sent.message_id
    assert messages_of(_changes(await a1.barrier())) == []
    # the peer sees the conversation from its side
    page = await b1.history("C2C" + alice)
    assert [m.message_id for m in page.messages] == [sent.message_id]


def _changes(got: list[Any]) -> list[Any]:
    return [c for f in got if isinstance(f, frames.Changes) for c in f.changes]


async def test_seqs_are_gapless_from_one_under_concurrent_senders(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, connect=True)
    b = await make(bob)
    rids = [await a.ws_send("C2C" + bob, f"ws {i}") for i in range(15)]
    rest = await asyncio.gather(*(b.send("C2C" + alice, f"rest {i}") for i in range(15)))
    acks = [await a.reply(rid) for rid in rids]
    ws_seqs = [ack.message.seq for ack in acks if ack.message is not None]
    assert len(ws_seqs) == len(acks)
    assert ws_seqs == sorted(ws_seqs), "one device's messages keep their order"
    assert sorted(ws_seqs + [m.seq for m in rest]) == list(range(1, 31))
    page = await a.history("C2C" + bob, limit=100)
    assert [m.seq for m in page.messages] == list(range(1, 31))
    assert not page.has_more


async def test_note_to_self_has_its_own_seqs(make: Make) -> None:
    alice = uid("alice")
    a1 = await make(alice, connect=True)
    a2 = await make(alice, connect=True)
    first = await a1.send("C2C" + alice, "memo 1")
    second = await a1.send("C2C" + alice, "memo 2")
    assert (first.seq, second.seq) == (1, 2)
    got = await a2.changes(2)
    assert [c.message.seq for c in got] == [1, 2]
    summary = await a1.call("conversation", conversation_id="C2C" + alice)
    assert summary.member_count == 1
    assert summary.state.unread_count == 0


# -- idempotency ------------------------------------------------------------------------------------------
async def test_the_same_client_msg_id_stores_and_delivers_once(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, connect=True)
    b = await make(bob, connect=True)
    cmid = uuid.uuid4().hex
    first = await a.send("C2C" + bob, "only once", client_msg_id=cmid)
    again = await a.send("C2C" + bob, "only once", client_msg_id=cmid)
    over_ws = (await a.reply(await a.ws_send("C2C" + bob, "only once", client_msg_id=cmid))).message
    assert over_ws is not None
    for copy in (again, over_ws):
        assert (copy.message_id, copy.seq, copy.version) == (first.message_id, 1, first.version)
    got = _changes(await b.barrier())
    assert [m.message_id for m in messages_of(got)] == [first.message_id]
    assert [m.seq for m in (await b.history("C2C" + alice)).messages] == [1]
    nxt = await a.send("C2C" + bob, "next")
    assert nxt.seq == 2


async def test_a_client_msg_id_cannot_be_reused_for_another_conversation(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice)
    await make(bob)
    c = await make(carol, connect=True)
    cmid = uuid.uuid4().hex
    await a.send("C2C" + bob, "for bob", client_msg_id=cmid)
    before = await head(a)
    with pytest.raises(errors.AlreadyExists):
        await a.send("C2C" + carol, "for carol", client_msg_id=cmid)
    assert await head(a) == before
    assert (await c.history("C2C" + alice)).messages == []
    assert messages_of(_changes(await c.barrier())) == []


# -- history ---------------------------------------------------------------------------------------------
async def test_history_pages_by_seq_both_ways(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    await make(bob)
    for i in range(25):
        await a.send("C2C" + bob, f"m{i + 1}")
    conv = "C2C" + bob

    async def seqs(**query: Any) -> tuple[list[int], bool]:
        page = await a.history(conv, **query)
        return [m.seq for m in page.messages], page.has_more

    assert await seqs(limit=10) == (list(range(16, 26)), True)
    assert await seqs(before_seq=16, limit=10) == (list(range(6, 16)), True)
    assert await seqs(before_seq=6, limit=10) == ([1, 2, 3, 4, 5], False)
    assert await seqs(before_seq=1, limit=10) == ([], False)
    assert await seqs(after_seq=0, limit=10) == (list(range(1, 11)), True)
    assert await seqs(after_seq=10, limit=10) == (list(range(11, 21)), True)
    assert await seqs(after_seq=20, limit=10) == ([21, 22, 23, 24, 25], False)
    assert await seqs(after_seq=25, limit=10) == ([], False)
    assert await seqs(limit=100) == (list(range(1, 26)), False)
    page = await a.history(conv, after_seq=0, limit=3)
    assert [text_of(m) for m in page.messages] == ["m1", "m2", "m3"]
    for bad in ({"limit": 101}, {"limit": 0}, {"limit": "ten"}, {"before_seq": "x"}):
        with pytest.raises(errors.InvalidParameter):
            await a.history(conv, **bad)


async def test_history_of_a_group_needs_membership(make: Make) -> None:
    alice, eve = uid("alice"), uid("eve")
    a = await make(alice)
    e = await make(eve)
    group = await a.call("create_group", body={"name": "private"})
    with pytest.raises(errors.NotMember):
        await e.history("GROUP" + group.group_id)


# -- bad input --------------------------------------------------------------------------------------------
async def test_oversized_text_is_refused_over_rest_and_ws(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, connect=True)
    b = await make(bob, connect=True)
    limit = a.login.limits.text_bytes if a.login else 0
    big = "字" * (limit // 3 + 1)  # 3 bytes each in UTF-8: just over the limit, not in characters
    assert len(big) < limit
    before = await head(a)

    response = await a.request(
        "send", body={"client_msg_id": "big1", "body": {"text": big}}, conversation_id="C2C" + bob
    )
    assert response.status_code == 413
    assert response.json()["name"] == "message_too_large"
    assert response.json()["details"] == {"size": len(big) * 3, "limit": limit}

    rid = await a.ws_send("C2C" + bob, big)
    with pytest.raises(errors.MessageTooLarge):
        await a.reply(rid)
    # the socket is still usable, and nothing was stored
    assert await head(a) == before
    ok = await a.reply(await a.ws_send("C2C" + bob, "small"))
    assert ok.message is not None and ok.message.seq == 1
    (change,) = await b.changes(1)
    assert text_of(change.message) == "small"
    # exactly at the limit is fine
    assert (await a.send("C2C" + bob, "a" * limit)).seq == 2


async def test_a_body_over_the_request_limit_is_refused_before_parsing(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    await make(bob)
    limit = a.login.limits.request_bytes if a.login else 0
    before = await head(a)
    junk = b"{" + b"x" * limit  # not even JSON: it must not be parsed at all
    response = await a.request("send", content=junk, conversation_id="C2C" + bob)
    assert response.status_code == 413
    assert response.json()["name"] == "payload_too_large"

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length to trust
        for _ in range(limit // 8192 + 2):
            yield b"x" * 8192

    url = f"/v1/conversations/C2C{bob}/messages"
    response = await a.http.post(
        url, content=chunked(), headers={"Authorization": f"Bearer {a.token}"}
    )
    assert response.status_code == 413
    assert response.json()["name"] == "payload_too_large"
    assert await head(a) == before


BAD_BODIES: list[tuple[str, bytes]] = [
    ("not-json", b"{not json"),
    ("empty", b""),
    ("a-list", b"[]"),
    ("no-body", b'{"client_msg_id": "c1"}'),
    ("id-is-a-number", b'{"client_msg_id": 5, "body": {"text": "hi"}}'),
    ("body-is-a-string", b'{"client_msg_id": "c1", "body": "hi"}'),
    ("text-is-a-number", b'{"client_msg_id": "c1", "body": {"text": 5}}'),
    ("unknown-kind", b'{"client_msg_id": "c1", "kind": "sticker", "body": {"text": "hi"}}'),
    ("tip-kind", b'{"client_msg_id": "c1", "kind": "tip", "body": {"tip": "group_created"}}'),
    ("empty-text", b'{"client_msg_id": "c1", "body": {"text": ""}}'),
    ("blank-text", b'{"client_msg_id": "c1", "body": {"text": " \\n\\t "}}'),
    ("empty-client-id", b'{"client_msg_id": "", "body": {"text": "hi"}}'),
    ("long-client-id", b'{"client_msg_id": "' + b"c" * 65 + b'", "body": {"text": "hi"}}'),
    ("bad-priority", b'{"client_msg_id": "c1", "body": {"text": "hi"}, "priority": "urgent"}'),
    ("mention-in-c2c", b'{"client_msg_id": "c1", "body": {"text": "hi"}, "mentions": ["x"]}'),
    (
        "bad-reply-sender",
        b'{"client_msg_id": "c1", "body": {"text": "hi"}, '
        b'"reply_to": {"message_id": "m", "seq": 1, "sender": "../../etc"}}',
    ),
]


@pytest.mark.parametrize(("body"), [b for _, b in BAD_BODIES], ids=[n for n, _ in BAD_BODIES])
async def test_malformed_sends_are_invalid_parameter_and_store_nothing(
    make: Make, body: bytes
) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    b = await make(bob)
    before = await head(a)
    response = await a.request("send", content=body, conversation_id="C2C" + bob)
    assert response.status_code == 400, response.text
    assert response.json()["name"] == "invalid_parameter"
    assert response.json()["code"] == errors.InvalidParameter.code
    assert await head(a) == before
    assert (await b.sync_all(since=before))[0] == []


HOSTILE_CONVERSATIONS = [
    "bob",  # no prefix
    "C2C",
    "GROUP",
    "c2cbob",
    "C2C" + "a" * 33,
    "C2Cbad id",
    "C2C用户",
    "C2Cälice",
    "C2C../../etc/passwd",
    "C2C..",
    "GROUP.",
    "C2Cbob\n",
    "C2Cbob\x00",
    "GROUP%2e%2e",
    "C2C\u202ebob",
]


@pytest.mark.parametrize("conversation_id", HOSTILE_CONVERSATIONS)
async def test_bad_conversation_ids_are_invalid_parameter_over_rest_and_ws(
    make: Make, conversation_id: str
) -> None:
    alice = uid("alice")
    a = await make(alice, connect=True)
    before = await head(a)
    if "/" not in conversation_id:  # (a slash cannot be part of one path segment)
        with pytest.raises(errors.InvalidParameter):
            await a.send(conversation_id, "hi")
        with pytest.raises(errors.InvalidParameter):
            await a.history(conversation_id)
    with pytest.raises(errors.InvalidParameter):
        await a.reply(await a.ws_send(conversation_id, "hi"))
    assert await head(a) == before
    assert (await a.call("conversations")).conversations == []


async def test_an_encoded_slash_in_the_path_reaches_no_resource(make: Make) -> None:
    alice = uid("alice")
    a = await make(alice)
    before = await head(a)
    response = await a.http.post(
        "/v1/conversations/C2C..%2F..%2Fhealth/messages",
        content=b'{"client_msg_id": "c1", "body": {"text": "hi"}}',
        headers={"Authorization": f"Bearer {a.token}"},
    )
    assert response.status_code == 404
    assert response.json()["name"] == "not_found"
    assert await head(a) == before


@pytest.mark.parametrize("user_id", [".", "..", "a" * 33, "ali ce", "用户", "a/b", "", "@" * 33])
async def test_hostile_user_ids_cannot_sign_in_or_register(
    server: ServerProcess, user_id: str
) -> None:
    device = RawDevice(server.url, user_id)
    try:
        with pytest.raises(errors.InvalidParameter):
            await device.sign_in()
        with pytest.raises(errors.InvalidParameter):
            await device.call("register", body={"user_id": user_id, "password": "long enough"})
    finally:
        await device.aclose()


GARBAGE_FRAMES: list[str | bytes] = [
    "not json at all",
    "[1, 2, 3]",
    '{"t": "teleport", "id": 1}',
    '{"no": "tag"}',
    b"\x00\x01\x02binary",
    '{"t": "ping"}',
    '{"t": "read", "id": "one", "conversation_id": "C2Cx"}',
]


async def test_garbage_frames_get_error_frames_and_the_socket_stays_open(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, connect=True)
    await make(bob)
    for garbage in GARBAGE_FRAMES:
        await a.raw_send(garbage)
        frame = await a.next_frame()
        assert isinstance(frame, frames.ErrorFrame), garbage
        assert frame.error.name == "invalid_parameter"
        assert frame.id is None
    # a request with a readable id but an unreadable message is answered under its id
    await a.raw_send(
        '{"t": "send", "id": 77, "conversation_id": "C2C' + bob + '", "msg": {"body": "x"}}'
    )
    with pytest.raises(errors.InvalidParameter):
        await a.reply(77)
    # a second hello is refused, the socket goes on
    await a.raw_send(frames.Hello(token=a.token, since=0))
    frame = await a.next_frame()
    assert isinstance(frame, frames.ErrorFrame)
    ack = await a.reply(await a.ws_send("C2C" + bob, "still here"))
    assert ack.message is not None and ack.message.seq == 1
    assert a.closed is not None and not a.closed.done()


async def test_sending_to_an_unknown_user_is_user_not_found(make: Make) -> None:
    alice = uid("alice")
    a = await make(alice, connect=True)
    nobody = uid("nobody")
    before = await head(a)
    with pytest.raises(errors.UserNotFound):
        await a.send("C2C" + nobody, "anyone there?")
    with pytest.raises(errors.UserNotFound):
        await a.reply(await a.ws_send("C2C" + nobody, "anyone there?"))
    assert await head(a) == before
    assert (await a.history("C2C" + nobody)).messages == []


# -- rate limits --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slow_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    env = {"MESSENGER_USER_MSG_RATE": "1", "MESSENGER_USER_MSG_BURST": "2"}
    proc = ServerProcess(tmp_path_factory.mktemp("slow"), env=env).start()
    yield proc
    proc.stop()


async def test_a_sender_over_the_rate_gets_rate_limited_and_nothing_is_stored(
    make: Make, slow_server: ServerProcess
) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, url=slow_server.url, connect=True)
    b = await make(bob, url=slow_server.url)
    await a.send("C2C" + bob, "one")
    await a.send("C2C" + bob, "two")
    response = await a.request(
        "send",
        body={"client_msg_id": "three", "body": {"text": "three"}},
        conversation_id="C2C" + bob,
    )
    assert response.status_code == 429
    wire = response.json()
    assert wire["name"] == "rate_limited"
    assert 0 < wire["details"]["retry_after_ms"] <= 1000
    assert int(response.headers["retry-after"]) >= 1
    with pytest.raises(errors.RateLimited) as caught:
        await a.reply(await a.ws_send("C2C" + bob, "four"))
    assert 0 < caught.value.retry_after_ms <= 1000
    assert [text_of(m) for m in (await b.history("C2C" + alice)).messages] == ["one", "two"]
    # after the advertised wait the sender may go on
    await asyncio.sleep(caught.value.retry_after_ms / 1000 + 0.05)
    assert (await a.send("C2C" + bob, "five")).seq == 3


# -- online-only messages and typing ------------------------------------------------------------------------
async def test_online_only_messages_reach_connected_devices_and_are_never_stored(
    make: Make,
) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice, connect=True)
    a2 = await make(alice, connect=True)
    b1 = await make(bob, connect=True)
    b_offline = await make(bob)
    before = await head(a1)
    rid = await a1.ws_send("C2C" + bob, "psst", online_only=True)
    ack = await a1.reply(rid)
    assert ack.message is not None and ack.message.seq == 0
    rest = await a1.send("C2C" + bob, "psst again", online_only=True)
    assert rest.seq == 0
    for device in (b1, a2):
        first = await device.next_of(frames.OnlineMessage)
        second = await device.next_of(frames.OnlineMessage)
        assert [text_of(first.message), text_of(second.message)] == ["psst", "psst again"]
        assert first.message.message_id == ack.message.message_id
    assert not any(isinstance(f, frames.OnlineMessage) for f in await a1.barrier())
    assert await head(a1) == before
    assert (await b1.history("C2C" + alice)).messages == []
    assert (await b_offline.sync_all(since=before))[0] == []
    assert await b_offline.connect(since=before) == []
    summary = await b1.call("conversations")
    assert summary.total_unread == 0


async def test_typing_reaches_the_peer_and_group_members_and_is_never_stored(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice, connect=True)
    b = await make(bob, connect=True)
    c = await make(carol, connect=True)
    group = await a.call("create_group", body={"name": "typists", "members": [bob, carol]})
    gid = "GROUP" + group.group_id
    await b.barrier()
    await c.barrier()
    before = await head(a)

    await a.raw_send(frames.TypingOut(conversation_id="C2C" + bob, typing=True))
    got = await b.next_of(frames.TypingIn)
    assert (got.conversation_id, got.user_id, got.typing) == ("C2C" + alice, alice, True)
    await a.call("typing", body={"typing": False}, conversation_id="C2C" + bob)
    got = await b.next_of(frames.TypingIn)
    assert (got.conversation_id, got.typing) == ("C2C" + alice, False)

    await b.raw_send(frames.TypingOut(conversation_id=gid))
    for device in (a, c):
        got = await device.next_of(frames.TypingIn)
        assert (got.conversation_id, got.user_id) == (gid, bob)
    # carol was not typed at in C2C, and the typist does not hear itself
    assert not any(isinstance(f, frames.TypingIn) for f in await c.barrier())
    assert not any(isinstance(f, frames.TypingIn) for f in await b.barrier())
    assert await head(a) == before
    assert (await b.history("C2C" + alice)).messages == []


async def test_typing_in_a_group_needs_membership(make: Make) -> None:
    alice, eve = uid("alice"), uid("eve")
    a = await make(alice, connect=True)
    e = await make(eve)
    group = await a.call("create_group", body={"name": "closed"})
    await a.barrier()
    with pytest.raises(errors.NotMember):
        await e.call("typing", body={"typing": True}, conversation_id="GROUP" + group.group_id)
    assert not any(isinstance(f, frames.TypingIn) for f in await a.barrier())
