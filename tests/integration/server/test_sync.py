"""The change feed: catch-up, REST sync, live delivery during bursts, crashes, snapshots."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import pytest

from messenger.protocol import frames
from messenger.protocol.ids import conversation_id_for
from messenger.protocol.models import ConversationState, ConversationSummary, Message
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice
from tests.helpers.server import ServerProcess

UNTHROTTLED = {
    "MESSENGER_USER_MSG_RATE": "1000000",
    "MESSENGER_USER_MSG_BURST": "1000000",
    "MESSENGER_GROUP_MSG_RATE": "1000000",
    "MESSENGER_GROUP_MSG_BURST": "1000000",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """This module's server: no rate limits, so bursts are as fast as the server goes."""
    proc = ServerProcess(
        tmp_path_factory.mktemp("sync"), "--sqlite-synchronous", "NORMAL", env=UNTHROTTLED
    )
    proc.start()
    yield proc
    proc.stop()


# -- helpers -----------------------------------------------------------------------------------------------
async def pipelined(
    device: RawDevice, conversation_id: str, count: int, **kw: Any
) -> list[Message]:
    """Send ``count`` messages over the socket without waiting in between; returns them acked."""
    rids = [
        await device.ws_send(conversation_id, f"{conversation_id} #{i}", **kw) for i in range(count)
    ]
    acked: dict[int, Message] = {}
    async with asyncio.timeout(30):
        while len(acked) < count:
            frame = await device.next_frame(within=30)
            if isinstance(frame, frames.ErrorFrame):
                raise AssertionError(f"send refused: {frame.error}")
            if isinstance(frame, frames.Ack) and frame.message is not None:
                acked[frame.id] = frame.message
    return [acked[rid] for rid in rids]


def key_of(change: Any) -> tuple[str, str]:
    """What a change is about: later changes of the same thing supersede earlier ones."""
    if isinstance(change, frames.MessageChange):
        return ("message", change.message.message_id)
    if isinstance(change, frames.StateChange):
        return ("state", change.state.conversation_id)
    if isinstance(change, frames.PeerReadChange):
        return ("peer_read", change.conversation_id)
    if isinstance(change, frames.ProfileChange):
        return ("profile", change.profile.user_id)
    assert isinstance(change, frames.GroupChange)
    return ("group", change.group.group_id)


_COUNTS = ("unread_count", "unread_at_seq", "unread_version", "mention_seqs")


def comparable(change: Any) -> Any:
    """A change without what may legitimately differ between two deliveries of it: the unread
    figures (they depend on when the server computed them) and read cursors, which move quietly
    (without a version) when their owner sends; see ``cursor_of``."""
    wire = msgspec.to_builtins(change)
    if isinstance(change, frames.StateChange):
        for name in (*_COUNTS, "read_seq"):
            wire["state"].pop(name, None)
    if isinstance(change, frames.PeerReadChange):
        wire.pop("read_seq")
    return wire


def cursor_of(change: Any) -> int:
    if isinstance(change, frames.StateChange):
        return change.state.read_seq
    if isinstance(change, frames.PeerReadChange):
        return change.read_seq
    return 0


def assert_strictly_increasing(changes: list[Any]) -> None:
    versions = [c.v for c in changes]
    assert versions == sorted(set(versions)), "versions must strictly increase, without repeats"


async def read_catch_up(device: RawDevice, since: int) -> tuple[list[frames.Changes], int]:
    """Connect and return the catch-up frames as sent, and the ``synced`` version."""
    await device.connect(since=since, wait_synced=False)
    pages: list[frames.Changes] = []
    while True:
        frame = await device.next_frame(within=30)
        if isinstance(frame, frames.Changes):
            assert frame.catchup
            pages.append(frame)
        elif isinstance(frame, frames.Synced):
            return pages, frame.version
        elif not isinstance(frame, frames.Welcome):
            raise AssertionError(f"unexpected frame during catch-up: {frame}")


@dataclass
class Cast:
    """Bob (the observer, one device per test), his own other device, and his contacts."""

    bob: str
    alice: str
    carol: str
    b_actor: RawDevice
    a: RawDevice
    c: RawDevice
    group_id: str


async def cast(make: Make) -> Cast:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice, connect=True)
    c = await make(carol, connect=True)
    b_actor = await make(bob)
    group = await c.call("create_group", body={"name": "burst", "members": [alice, bob]})
    await a.barrier()
    await c.barrier()
    return Cast(bob, alice, carol, b_actor, a, c, group.group_id)


async def burst(
    k: Cast, *, c2c: int, group: int, on_progress: Callable[[int], Any] = lambda _: None
) -> None:
    """Many changes for Bob: messages from two people, recalls, his reads, pins, drafts."""
    gid = "GROUP" + k.group_id

    async def alice_side() -> None:
        sent = await pipelined(k.a, "C2C" + k.bob, c2c // 2)
        on_progress(len(sent))
        for m in sent[:: max(1, len(sent) // 5)]:
            await k.a.call("recall", conversation_id="C2C" + k.bob, message_id=m.message_id)
        await k.a.call("read", body={}, conversation_id="C2C" + k.bob)
        sent += await pipelined(k.a, "C2C" + k.bob, c2c - c2c // 2)
        on_progress(len(sent))

    async def carol_side() -> None:
        sent = await pipelined(k.c, gid, group // 2, mentions=[k.bob])
        for m in sent[:3]:
            await k.c.call("recall", conversation_id=gid, message_id=m.message_id)
        await pipelined(k.c, gid, group - group // 2)

    async def bob_side() -> None:
        b = k.b_actor
        await b.send("C2C" + k.alice, "go ahead")  # Alice's next send reads it: a peer_read
        for i in range(5):
            await b.call("read", body={}, conversation_id="C2C" + k.alice)
            await b.call("update_state", body={"pinned": i % 2 == 0}, conversation_id=gid)
            await b.call(
                "set_draft", body={"text": f"draft {i}", "edit_time": i + 1}, conversation_id=gid
            )
            await b.call("read", body={}, conversation_id=gid)

    await asyncio.gather(alice_side(), carol_side(), bob_side())


# -- catch-up --------------------------------------------------------------------------------------------
async def test_catch_up_is_exactly_the_missed_changes_in_pages_and_rest_agrees(make: Make) -> None:
    k = await cast(make)
    b1 = await make(k.bob)
    await b1.connect(since=0)
    since = b1.synced_version
    await b1.disconnect()

    await burst(k, c2c=400, group=200)

    pages, synced = await read_catch_up(b1, since)
    changes = [c for p in pages for c in p.changes]
    assert len(pages) >= 2 and all(len(p.changes) <= 500 for p in pages)
    assert len(changes) > 500
    assert_strictly_increasing(changes)
    assert changes[0].v > since and synced == changes[-1].v
    keys = [key_of(c) for c in changes]
    assert len(keys) == len(set(keys)), "each thing appears once, in its latest form"

    # exactly the stored messages Bob may see, in their current form (recalls included)
    expected: dict[str, Message] = {}
    for conv in ("C2C" + k.alice, "GROUP" + k.group_id):
        page = await b1.history(conv, after_seq=0, limit=100)
        after = 0
        while True:
            for m in page.messages:
                expected[m.message_id] = m
                after = m.seq
            if not page.has_more:
                break
            page = await b1.history(conv, after_seq=after, limit=100)
    got = {c.message.message_id: c.message for c in changes if isinstance(c, frames.MessageChange)}
    got_new = {i: m for i, m in got.items() if m.version > since}
    want_new = {i: m for i, m in expected.items() if m.version > since}
    assert got_new == want_new
    assert sum(m.recalled for m in got_new.values()) == 5 + 3
    # Bob's states: the C2C read, the group's pin, draft and read cursor, in their latest form
    states = {
        c.state.conversation_id: c.state for c in changes if isinstance(c, frames.StateChange)
    }
    group_state = states["GROUP" + k.group_id]
    assert (group_state.pinned, group_state.draft_text) == (True, "draft 4")
    peer_reads = [c for c in changes if isinstance(c, frames.PeerReadChange)]
    assert [(p.conversation_id, p.read_seq > 0) for p in peer_reads] == [("C2C" + k.alice, True)]

    # REST pages of any size carry the same changes
    for limit in (500, 137, 1000):
        rest, reached = await b1.sync_all(since, limit)
        assert [comparable(c) for c in rest] == [comparable(c) for c in changes], limit
        assert reached == synced
    # and nothing after the end
    page = await b1.call("sync", query={"since": synced})
    assert (page.changes, page.has_more) == ([], False)


async def test_a_device_connecting_mid_burst_gets_every_change_once_in_order(make: Make) -> None:
    k = await cast(make)
    observer = await make(k.bob)
    halfway = asyncio.Event()

    def progress(sent: int) -> None:
        halfway.set()

    running = asyncio.create_task(burst(k, c2c=600, group=300, on_progress=progress))
    await halfway.wait()
    await observer.connect(since=0, wait_synced=False)
    await running
    got = await observer.barrier(within=30)

    stream: list[Any] = []
    seen_synced = False
    for frame in got:
        if isinstance(frame, frames.Synced):
            seen_synced = True
        elif isinstance(frame, frames.Changes):
            assert frame.catchup is not seen_synced
            stream.extend(frame.changes)
    assert seen_synced
    assert_strictly_increasing(stream)

    # compare with what a device catching up from zero now gets
    final, _ = await observer.sync_all(0)
    in_stream = {c.v: c for c in stream}
    for change in final:
        assert change.v in in_stream, f"missed {key_of(change)} v{change.v}"
        assert comparable(in_stream[change.v]) == comparable(change)
        assert cursor_of(in_stream[change.v]) <= cursor_of(change), "a cursor only moves on"
    final_versions = {c.v for c in final}
    latest: dict[tuple[str, str], int] = {}
    for c in stream:
        latest[key_of(c)] = c.v
    for c in stream:  # anything extra was a version of something that changed again later
        if c.v not in final_versions:
            assert latest[key_of(c)] > c.v, f"{key_of(c)} v{c.v} is not in the feed"
    assert {key_of(c) for c in stream} == {key_of(c) for c in final}


# -- crash safety ------------------------------------------------------------------------------------------
async def test_a_hard_kill_mid_burst_loses_no_acked_message(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "crash", env=UNTHROTTLED).start()
    alice, bob = uid("alice"), uid("bob")
    a = await RawDevice(server.url, alice).sign_in()
    b = await RawDevice(server.url, bob).sign_in()
    try:
        await a.connect()
        ids = [uuid.uuid4().hex for _ in range(1000)]
        in_flight = 300  # sent before the crash; the rest only after it, as an outbox would
        for i, cmid in enumerate(ids[:in_flight]):
            await a.ws_send("C2C" + bob, f"n{i}", client_msg_id=cmid)
        acked: dict[str, Message] = {}
        while len(acked) < 100:
            frame = await a.next_frame()
            if isinstance(frame, frames.Ack) and frame.message is not None:
                acked[frame.message.client_msg_id] = frame.message
        server.kill()  # SIGKILL with up to 200 sent messages not acked yet
        server.start()
        for d in (a, b):  # fresh sockets and HTTP connections; the sessions survive
            await d.disconnect()
            await d.http.aclose()
            d.http = type(d.http)(base_url=server.url, timeout=10)

        stored = (await b.history("C2C" + alice, limit=100, after_seq=0)).messages
        after = stored[-1].seq if stored else 0
        while True:
            page = await b.history("C2C" + alice, limit=100, after_seq=after)
            if not page.messages:
                break
            stored += page.messages
            after = page.messages[-1].seq
        assert 100 <= len(stored) <= in_flight
        assert [m.seq for m in stored] == list(range(1, len(stored) + 1)), "seqs stay gapless"
        by_cmid = {m.client_msg_id: m for m in stored}
        assert len(by_cmid) == len(stored)
        for cmid, message in acked.items():
            assert by_cmid[cmid].message_id == message.message_id
            assert by_cmid[cmid].seq == message.seq
        # resending everything (as an outbox would) stores the missing ones exactly once
        await a.connect()
        for i, cmid in enumerate(ids):
            await a.ws_send("C2C" + bob, f"n{i}", client_msg_id=cmid)
        resent: dict[str, Message] = {}
        while len(resent) < len(ids):
            frame = await a.next_frame(within=30)
            if isinstance(frame, frames.Ack) and frame.message is not None:
                resent[frame.message.client_msg_id] = frame.message
        for cmid, message in by_cmid.items():
            assert resent[cmid].message_id == message.message_id
        assert sorted(m.seq for m in resent.values()) == list(range(1, len(ids) + 1))
        # in the order they were first sent
        assert [resent[c].seq for c in ids] == list(range(1, len(ids) + 1))
    finally:
        await a.aclose()
        await b.aclose()
        server.kill()


# -- snapshot ---------------------------------------------------------------------------------------------
@dataclass
class Conv:
    """A client's view of one conversation, kept by the documented rules."""

    state: ConversationState
    last: Message | None = None
    peer_read_seq: int = 0
    unread: int = 0
    mentions: list[int] = field(default_factory=list)
    counted: set[int] = field(default_factory=set)  # seqs counted after the state's figures
    messages: dict[int, Message] = field(default_factory=dict)


class Model:
    """Applies a snapshot and changes the way docs/protocol.md tells a client to."""

    def __init__(self, me: str) -> None:
        self.me = me
        self.convs: dict[str, Conv] = {}
        self.version = 0

    def load(self, summaries: list[ConversationSummary], version: int) -> None:
        for s in summaries:
            conv = Conv(state=s.state, last=s.last_message, peer_read_seq=s.peer_read_seq)
            self._reset_counts(conv)
            if s.last_message is not None:
                conv.messages[s.last_message.seq] = s.last_message
            self.convs[s.state.conversation_id] = conv
        self.version = version

    @staticmethod
    def _reset_counts(conv: Conv) -> None:
        conv.unread = conv.state.unread_count
        conv.mentions = list(conv.state.mention_seqs)
        conv.counted = set()

    def _counts(self, conv: Conv, m: Message) -> bool:
        st = conv.state
        floor = max(st.read_seq, st.cleared_seq, st.joined_seq)
        return m.sender != self.me and m.kind != "tip" and not m.recalled and m.seq > floor

    def _conv_id(self, m: Message) -> str:
        return conversation_id_for(self.me, m.conv_type, m.sender, m.target)

    def apply(self, change: Any) -> None:
        assert change.v > self.version
        self.version = change.v
        if isinstance(change, frames.StateChange):
            conv = self._conv(change.state.conversation_id)
            conv.state = change.state
            self._reset_counts(conv)
        elif isinstance(change, frames.PeerReadChange):
            conv = self._conv(change.conversation_id)
            conv.peer_read_seq = max(conv.peer_read_seq, change.read_seq)
        elif isinstance(change, frames.MessageChange):
            self._message(change.message)

    def _conv(self, conversation_id: str) -> Conv:
        """A conversation, met first through a message or a cursor: default state until its own
        state arrives (the feed sends each state at its latest version only)."""
        conv = self.convs.get(conversation_id)
        if conv is None:
            kind = "group" if conversation_id.startswith("GROUP") else "c2c"
            state = ConversationState(conversation_id=conversation_id, conv_type=kind)
            conv = self.convs[conversation_id] = Conv(state=state)
        return conv

    def _message(self, m: Message) -> None:
        conv = self._conv(self._conv_id(m))
        known = conv.messages.get(m.seq)
        conv.messages[m.seq] = m
        if conv.last is None or m.seq >= conv.last.seq:
            conv.last = m
        st = conv.state
        # sending implies having read what came before, for me and for a C2C peer
        if m.sender == self.me:
            st.read_seq = max(st.read_seq, m.seq)
        elif m.conv_type == "c2c":
            conv.peer_read_seq = max(conv.peer_read_seq, m.seq)
        if m.recalled:
            was_counted = m.seq in conv.counted or (
                m.version > st.unread_version
                and m.seq <= st.unread_at_seq
                and m.sender != self.me
                and m.seq > max(st.read_seq, st.cleared_seq, st.joined_seq)
            )
            if was_counted and (known is None or not known.recalled):
                conv.unread -= 1
                conv.counted.discard(m.seq)
                if m.seq in conv.mentions:
                    conv.mentions.remove(m.seq)
            return
        if m.seq <= st.unread_at_seq or known is not None:
            return  # already in the state's figures, or seen before
        if self._counts(conv, m):
            conv.unread += 1
            conv.counted.add(m.seq)
            if m.mention_all or self.me in m.mentions:
                conv.mentions.append(m.seq)

    def view(self) -> dict[str, Any]:
        """What a user sees per conversation."""
        out: dict[str, Any] = {}
        for cid, conv in self.convs.items():
            st = conv.state
            if conv.last is None and st.version == 0:
                continue  # never talked in, never touched
            out[cid] = {
                "last": None if conv.last is None else msgspec.to_builtins(conv.last),
                "unread": 0 if st.remind == "block" else conv.unread,
                "mentions": [s for s in conv.mentions if s > st.read_seq],
                "read_seq": st.read_seq,
                "peer_read_seq": conv.peer_read_seq,
                "state": {k: v for k, v in msgspec.to_builtins(st).items() if k not in _COUNTS},
            }
        return out


async def test_snapshot_then_sync_equals_catch_up_from_zero(make: Make) -> None:
    k = await cast(make)
    gid = "GROUP" + k.group_id
    dave = uid("dave")
    d = await make(dave)
    b_snapshot = await make(k.bob)
    b_zero = await make(k.bob)

    # history before the snapshot: unread messages, a recall, mentions, settings
    for i in range(4):
        await k.a.send("C2C" + k.bob, f"hi {i}")
    m = await k.a.send("C2C" + k.bob, "oops")
    await k.a.call("recall", conversation_id="C2C" + k.bob, message_id=m.message_id)
    await k.c.send(gid, "@bob look", mentions=[k.bob])
    await k.c.send(gid, "plain")
    await d.send("C2C" + k.bob, "from dave")
    await k.b_actor.call("update_state", body={"remind": "silent"}, conversation_id="C2C" + dave)
    await k.b_actor.call("update_state", body={"pinned": True}, conversation_id=gid)

    snapshot = await b_snapshot.call("conversations")
    model = Model(k.bob)
    model.load(snapshot.conversations, snapshot.version)
    assert model.view() == _snapshot_view(snapshot.conversations)

    # after the snapshot: more of everything, including recalls of counted messages
    await k.b_actor.call(
        "set_draft", body={"text": "half", "edit_time": 5}, conversation_id="C2C" + k.alice
    )
    late = await k.a.send("C2C" + k.bob, "late")
    await k.a.send("C2C" + k.bob, "later")
    await k.a.call("recall", conversation_id="C2C" + k.bob, message_id=late.message_id)
    first = (await k.b_actor.history("C2C" + k.alice)).messages[0]
    await k.a.call("recall", conversation_id="C2C" + k.bob, message_id=first.message_id)
    await k.c.send(gid, "@all meeting", mention_all=True)
    await k.b_actor.send(gid, "on my way")
    await k.c.send(gid, "after bob")
    await k.b_actor.call("read", body={}, conversation_id="C2C" + dave)
    await d.send("C2C" + k.bob, "again")
    await k.a.call("read", body={}, conversation_id="C2C" + k.bob)
    await k.b_actor.send("C2C" + dave, "reply")

    for change in await b_snapshot.connect(since=snapshot.version):
        model.apply(change)
    zero = Model(k.bob)
    for change in await b_zero.connect(since=0):
        zero.apply(change)
    now = await k.b_actor.call("conversations")
    expected = _snapshot_view(now.conversations)
    assert model.view() == expected
    assert zero.view() == expected
    assert now.total_unread == sum(
        v["unread"] for cid, v in expected.items() if v["state"].get("remind", "notify") == "notify"
    )


def _snapshot_view(summaries: list[ConversationSummary]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for s in summaries:
        if s.last_message is None and s.state.version == 0:
            continue
        st = s.state
        out[st.conversation_id] = {
            "last": None if s.last_message is None else msgspec.to_builtins(s.last_message),
            "unread": st.unread_count,
            "mentions": list(st.mention_seqs),
            "read_seq": st.read_seq,
            "peer_read_seq": s.peer_read_seq,
            "state": {k: v for k, v in msgspec.to_builtins(st).items() if k not in _COUNTS},
        }
    return out
