"""Read cursors, receipts and unread counts."""

from __future__ import annotations

import pytest

from messenger.protocol import errors, frames
from messenger.protocol.models import ConversationSummary
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice, changes_in


async def summary(device: RawDevice, conversation_id: str) -> ConversationSummary:
    listed = await device.call("conversations")
    found: list[ConversationSummary] = [
        s for s in listed.conversations if s.state.conversation_id == conversation_id
    ]
    return found[0]


async def test_a_c2c_read_tells_the_peer_and_my_other_devices(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, connect=True)
    b1 = await make(bob, connect=True)
    b2 = await make(bob, connect=True)
    for i in range(3):
        await a.send("C2C" + bob, f"m{i}")
    for device in (b1, b2):
        await device.changes(3)
    assert (await summary(b1, "C2C" + alice)).state.unread_count == 3

    ack = await b1.reply(await b1.ws_read("C2C" + alice, 2))
    assert ack.state is not None
    assert (ack.state.read_seq, ack.state.unread_count) == (2, 1)
    (peer,) = await a.changes(1)
    assert isinstance(peer, frames.PeerReadChange)
    assert (peer.conversation_id, peer.read_seq) == ("C2C" + bob, 2)
    (mine,) = await b2.changes(1)
    assert isinstance(mine, frames.StateChange)
    assert (mine.state.read_seq, mine.state.unread_count, mine.v) == (2, 1, ack.state.version)
    assert changes_in(await b1.barrier()) == [], "the reading device has its ack"

    # over REST, to the end (seq omitted); the peer's snapshot shows the cursor too
    state = await b1.call("read", body={}, conversation_id="C2C" + alice)
    assert (state.read_seq, state.unread_count) == (3, 0)
    assert [c.read_seq for c in await a.changes(1)] == [3]
    assert [c.state.unread_count for c in await b2.changes(1)] == [0]
    assert changes_in(await b1.barrier()) == []
    assert (await summary(a, "C2C" + bob)).peer_read_seq == 3
    assert (await b1.call("conversations")).total_unread == 0


async def test_the_read_cursor_never_moves_backwards(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice, connect=True)
    b1 = await make(bob)
    b2 = await make(bob, connect=True)
    for i in range(4):
        await a.send("C2C" + bob, f"m{i}")
    await b2.barrier()
    assert (await b1.call("read", body={"seq": 3}, conversation_id="C2C" + alice)).read_seq == 3
    await a.changes(1)
    await b2.changes(1)
    before = (await b1.call("conversations")).version
    for seq in (1, 3, 0):
        state = await b1.call("read", body={"seq": seq}, conversation_id="C2C" + alice)
        assert (state.read_seq, state.unread_count) == (3, 1)
    assert (await b1.call("conversations")).version == before, "nothing changed, nothing written"
    assert changes_in(await a.barrier()) == []
    assert changes_in(await b2.barrier()) == []
    # beyond the end is the end
    assert (await b1.call("read", body={"seq": 99}, conversation_id="C2C" + alice)).read_seq == 4
    with pytest.raises(errors.InvalidParameter):
        await b1.call("read", body={"seq": -1}, conversation_id="C2C" + alice)
    with pytest.raises(errors.InvalidParameter):
        await b1.call("read", body={"seq": "two"}, conversation_id="C2C" + alice)


async def test_group_senders_get_live_read_counts(make: Make) -> None:
    owner, bob, carol = uid("owner"), uid("bob"), uid("carol")
    o = await make(owner, connect=True)
    b = await make(bob)
    c = await make(carol)
    group = await o.call("create_group", body={"name": "receipts", "members": [bob, carol]})
    gid = "GROUP" + group.group_id
    first = await o.send(gid, "one")
    second = await o.send(gid, "two")
    await b.call("read", body={"seq": first.seq}, conversation_id=gid)
    got = await o.next_of(frames.ReceiptsFrame)
    assert got.receipts.conversation_id == gid
    assert [(r.seq, r.read_count, r.unread_count) for r in got.receipts.receipts] == [
        (first.seq, 1, 1)
    ]
    await c.call("read", body={}, conversation_id=gid)
    got = await o.next_of(frames.ReceiptsFrame)
    assert [(r.seq, r.read_count, r.unread_count) for r in got.receipts.receipts] == [
        (first.seq, 2, 0),
        (second.seq, 1, 1),
    ]

    # the same figures on request, for my own messages only
    asked = await o.call(
        "receipts", conversation_id=gid, query={"seqs": f"1,{first.seq},{second.seq}"}
    )
    assert [(r.seq, r.read_count, r.unread_count) for r in asked.receipts] == [
        (first.seq, 2, 0),
        (second.seq, 1, 1),
    ]
    assert (await b.call("receipts", conversation_id=gid, query={"seqs": "2,3"})).receipts == []
    with pytest.raises(errors.InvalidParameter):
        await o.call("receipts", conversation_id=gid, query={"seqs": "1,x"})
    with pytest.raises(errors.InvalidParameter):
        await o.call("receipts", conversation_id=gid)

    # who read, for the sender alone
    readers = await o.call("readers", conversation_id=gid, seq=second.seq)
    assert (readers.read, readers.unread) == ([carol], [bob])
    with pytest.raises(errors.PermissionDenied):
        await b.call("readers", conversation_id=gid, seq=second.seq)
    with pytest.raises(errors.PermissionDenied):  # a tip has no sender to ask
        await o.call("readers", conversation_id=gid, seq=1)


async def test_c2c_receipts_on_request(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    b = await make(bob)
    one = await a.send("C2C" + bob, "one")
    two = await a.send("C2C" + bob, "two")
    await b.call("read", body={"seq": one.seq}, conversation_id="C2C" + alice)
    got = await a.call("receipts", conversation_id="C2C" + bob, query={"seqs": "1,2"})
    assert [(r.seq, r.read_count, r.unread_count) for r in got.receipts] == [
        (one.seq, 1, 0),
        (two.seq, 0, 1),
    ]


async def test_unread_counts_leave_out_tips_my_own_and_recalled_messages(make: Make) -> None:
    owner, bob, carol = uid("owner"), uid("bob"), uid("carol")
    o = await make(owner)
    b = await make(bob)
    c = await make(carol)
    group = await o.call("create_group", body={"name": "counts", "members": [bob, carol]})
    gid = "GROUP" + group.group_id
    kept = await o.send(gid, "kept")
    gone = await o.send(gid, "gone")
    await o.call("recall", conversation_id=gid, message_id=gone.message_id)
    await b.send(gid, "bob's")
    listed_c = await summary(c, gid)
    assert listed_c.last_seq == 4  # tip, kept, gone, bob's
    assert listed_c.state.unread_count == 2  # kept and bob's
    assert (await summary(b, gid)).state.unread_count == 0  # sending read what came before
    assert (await summary(o, gid)).state.unread_count == 1  # only bob's
    assert kept.seq == 2
    # C2C: my own messages never count
    await c.send("C2C" + owner, "hello")
    await c.send("C2C" + owner, "again")
    assert (await summary(c, "C2C" + owner)).state.unread_count == 0
    assert (await summary(o, "C2C" + carol)).state.unread_count == 2
    assert (await o.call("conversations")).total_unread == 3


async def test_mentions_stay_until_read(make: Make) -> None:
    owner, bob, carol = uid("owner"), uid("bob"), uid("carol")
    o = await make(owner)
    b = await make(bob)
    c = await make(carol)
    group = await o.call("create_group", body={"name": "mentions", "members": [bob, carol]})
    gid = "GROUP" + group.group_id
    to_carol = await b.send(gid, "@carol", mentions=[carol])
    await b.send(gid, "@owner", mentions=[owner])
    to_all = await o.send(gid, "@all", mention_all=True)
    state = (await summary(c, gid)).state
    assert state.mention_seqs == [to_carol.seq, to_all.seq]
    assert (await summary(b, gid)).state.mention_seqs == [to_all.seq]
    await c.call("read", body={"seq": to_carol.seq}, conversation_id=gid)
    assert (await summary(c, gid)).state.mention_seqs == [to_all.seq]
    await o.call("recall", conversation_id=gid, message_id=to_all.message_id)
    assert (await summary(c, gid)).state.mention_seqs == []
    assert (await summary(b, gid)).state.mention_seqs == []


async def test_mention_rules(make: Make) -> None:
    owner, bob, stranger = uid("owner"), uid("bob"), uid("stranger")
    o = await make(owner)
    b = await make(bob)
    await make(stranger)
    members = [uid("m") for _ in range(31)]
    for user in members:
        await make(user)
    group = await o.call("create_group", body={"name": "many", "members": [bob, *members]})
    gid = "GROUP" + group.group_id
    before = (await o.call("conversations")).version
    with pytest.raises(errors.PermissionDenied):
        await b.send(gid, "@all by a member", mention_all=True)
    with pytest.raises(errors.InvalidParameter):
        await b.send(gid, "@stranger", mentions=[stranger])
    with pytest.raises(errors.TooManyMentions):
        await o.send(gid, "@31", mentions=members)
    with pytest.raises(errors.TooManyMentions):
        await o.send(gid, "@30 and @all", mentions=members[:30], mention_all=True)
    with pytest.raises(errors.InvalidParameter):
        await b.send("C2C" + owner, "mentions are for groups", mentions=[owner])
    assert (await o.call("conversations")).version == before
    assert (await o.send(gid, "@30", mentions=members[:30])).mentions == sorted(members[:30])
    assert (await o.send(gid, "@29 and @all", mentions=members[:29], mention_all=True)).mention_all
