"""My settings of a conversation: pin, remind, hide, clear, mark unread, drafts.

Each reaches my other device as a ``state`` change.
"""

from __future__ import annotations

import pytest

from messenger.protocol import errors, frames
from messenger.protocol.models import ConversationState, ConversationSummary
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice, changes_in, messages_of


async def summary(device: RawDevice, conversation_id: str) -> ConversationSummary:
    listed = await device.call("conversations")
    found: list[ConversationSummary] = [
        s for s in listed.conversations if s.state.conversation_id == conversation_id
    ]
    return found[0]


async def pushed_state(device: RawDevice, answered: ConversationState) -> ConversationState:
    """The state change the other device receives; it must be the one the request answered."""
    (change,) = await device.changes(1)
    assert isinstance(change, frames.StateChange)
    assert change.v == answered.version and change.state == answered
    return change.state


async def test_pin_and_unpin(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice, connect=True)
    a2 = await make(alice, connect=True)
    await make(bob)
    await a1.send("C2C" + bob, "hi")
    await a2.changes(1)
    pinned = await a1.call("update_state", body={"pinned": True}, conversation_id="C2C" + bob)
    assert pinned.pinned and pinned.pin_time > 0
    await pushed_state(a2, pinned)
    assert changes_in(await a1.barrier()) == [], "the asking device has the answer already"
    assert (await summary(a1, "C2C" + bob)).state.pin_time == pinned.pin_time
    unpinned = await a1.call("update_state", body={"pinned": False}, conversation_id="C2C" + bob)
    assert (unpinned.pinned, unpinned.pin_time) == (False, 0)
    await pushed_state(a2, unpinned)
    with pytest.raises(errors.InvalidParameter):
        await a1.call("update_state", body={"pinned": "yes"}, conversation_id="C2C" + bob)


async def test_remind_block_stops_pushes_sync_and_unread(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice)
    b1 = await make(bob)
    b2 = await make(bob, connect=True)
    c = await make(carol)
    await a.send("C2C" + bob, "before")
    await b2.changes(1)
    state = await b1.call("update_state", body={"remind": "block"}, conversation_id="C2C" + alice)
    assert (state.remind, state.unread_count) == ("block", 0)
    await pushed_state(b2, state)
    since = (await b1.call("conversations")).version

    blocked = await a.send("C2C" + bob, "you will not hear this")
    await a.send("C2C" + bob, "nor this", online_only=True)
    await a.call("typing", body={"typing": True}, conversation_id="C2C" + bob)
    await c.send("C2C" + bob, "but this")  # pushes leave in commit order: a marker
    got_frames = await b2.barrier()
    assert [type(f) for f in got_frames] == [frames.Changes]
    (got,) = changes_in(got_frames)
    assert isinstance(got, frames.MessageChange)
    assert got.message.body == {"text": "but this"}
    assert [m.message_id for m in messages_of((await b1.sync_all(since))[0])] == [
        got.message.message_id
    ]
    listed = await summary(b1, "C2C" + alice)
    assert listed.state.unread_count == 0
    assert (await b1.call("conversations")).total_unread == 1  # carol's only
    # the history stays readable on request
    assert (await b1.history("C2C" + alice)).messages[-1].message_id == blocked.message_id

    back = await b1.call("update_state", body={"remind": "notify"}, conversation_id="C2C" + alice)
    assert back.unread_count == 2
    await pushed_state(b2, back)
    again = await a.send("C2C" + bob, "heard again")
    (got,) = await b2.changes(1)
    assert got.message.message_id == again.message_id


async def test_remind_silent_is_left_out_of_the_total(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice)
    b = await make(bob, connect=True)
    c = await make(carol)
    await a.send("C2C" + bob, "one")
    await a.send("C2C" + bob, "two")
    await c.send("C2C" + bob, "three")
    await b.changes(3)
    assert (await b.call("conversations")).total_unread == 3
    silent = await b.call("update_state", body={"remind": "silent"}, conversation_id="C2C" + alice)
    assert (silent.remind, silent.unread_count) == ("silent", 2)
    assert (await b.call("conversations")).total_unread == 1
    later = await a.send("C2C" + bob, "still delivered")
    assert [c.message.message_id for c in await b.changes(1)] == [later.message_id]
    assert (await summary(b, "C2C" + alice)).state.unread_count == 3
    with pytest.raises(errors.InvalidParameter):
        await b.call("update_state", body={"remind": "loud"}, conversation_id="C2C" + alice)


async def test_hide_until_the_next_message(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice)
    a2 = await make(alice, connect=True)
    b = await make(bob)
    await a1.send("C2C" + bob, "one")
    await b.send("C2C" + alice, "two")
    await a1.call("update_state", body={"pinned": True}, conversation_id="C2C" + bob)
    await a2.barrier()
    hidden = await a1.call("hide", conversation_id="C2C" + bob)
    assert (hidden.hidden_seq, hidden.pinned) == (2, False)
    await pushed_state(a2, hidden)
    listed = await summary(a1, "C2C" + bob)
    assert listed.last_seq <= listed.state.hidden_seq  # hidden
    assert (await a1.call("conversations")).total_unread == 0
    assert len((await a1.history("C2C" + bob)).messages) == 2, "history is kept"
    await b.send("C2C" + alice, "three")
    listed = await summary(a1, "C2C" + bob)
    assert listed.last_seq > listed.state.hidden_seq  # back
    assert (await a1.call("conversations")).total_unread == 2


async def test_clear_empties_my_history_only(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice)
    a2 = await make(alice, connect=True)
    b = await make(bob)
    for i in range(3):
        await b.send("C2C" + alice, f"old {i}")
    await a2.changes(3)
    cleared = await a1.call("clear", conversation_id="C2C" + bob)
    assert (cleared.cleared_seq, cleared.unread_count, cleared.read_seq) == (3, 0, 3)
    await pushed_state(a2, cleared)
    assert (await a1.history("C2C" + bob)).messages == []
    assert (await a1.history("C2C" + bob, after_seq=0)).messages == []
    assert (await summary(a1, "C2C" + bob)).last_message is None
    assert len((await b.history("C2C" + alice)).messages) == 3, "the peer keeps theirs"
    fresh = await make(alice)
    assert messages_of(await fresh.connect(since=0)) == []
    new = await b.send("C2C" + alice, "new")
    assert [m.seq for m in (await a1.history("C2C" + bob)).messages] == [new.seq]
    assert (await summary(a1, "C2C" + bob)).state.unread_count == 1


async def test_mark_unread_until_read(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice)
    a2 = await make(alice, connect=True)
    b = await make(bob)
    await b.send("C2C" + alice, "hi")
    await a1.call("read", body={}, conversation_id="C2C" + bob)
    await a2.changes(2)
    assert (await a1.call("conversations")).total_unread == 0
    marked = await a1.call(
        "update_state", body={"marked_unread": True}, conversation_id="C2C" + bob
    )
    assert marked.marked_unread and marked.unread_count == 0
    await pushed_state(a2, marked)
    assert (await a1.call("conversations")).total_unread == 1, "counts as one"
    read = await a1.call("read", body={}, conversation_id="C2C" + bob)
    assert not read.marked_unread
    await pushed_state(a2, read)
    assert (await a1.call("conversations")).total_unread == 0


async def test_my_draft_to_someone_is_not_listed_on_their_devices(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    await make(bob)
    await a.call("set_draft", body={"text": "hi b", "edit_time": 1000}, conversation_id="C2C" + bob)
    b_new_device = await make(bob)
    listed = await b_new_device.call("conversations")
    assert [s.state.conversation_id for s in listed.conversations] == [], "bob learns nothing"
    mine = await summary(a, "C2C" + bob)
    assert mine.state.draft_text == "hi b", "alice's own list keeps her draft"
    await a.send("C2C" + bob, "hello")
    listed = await b_new_device.call("conversations")
    assert [s.state.conversation_id for s in listed.conversations] == ["C2C" + alice]
    assert listed.conversations[0].state.draft_text == ""


async def test_drafts_newest_edit_wins(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice)
    a2 = await make(alice, connect=True)
    await make(bob)
    conv = "C2C" + bob
    first = await a1.call(
        "set_draft", body={"text": "hello wor", "edit_time": 1000}, conversation_id=conv
    )
    assert (first.draft_text, first.draft_time) == ("hello wor", 1000)
    await pushed_state(a2, first)
    newer = await a1.call(
        "set_draft", body={"text": "hello world", "edit_time": 2000}, conversation_id=conv
    )
    await pushed_state(a2, newer)
    stale = await a1.call(
        "set_draft", body={"text": "stale", "edit_time": 1500}, conversation_id=conv
    )
    assert (stale.draft_text, stale.draft_time, stale.version) == (
        "hello world",
        2000,
        newer.version,
    )
    assert changes_in(await a2.barrier()) == [], "an ignored edit changes nothing"
    assert (await summary(a1, conv)).state.draft_text == "hello world"
    gone = await a1.call("set_draft", body={"text": "", "edit_time": 3000}, conversation_id=conv)
    assert (gone.draft_text, gone.draft_time) == ("", 3000)
    await pushed_state(a2, gone)
    # 32 KB at most
    limit = 32 * 1024
    big = await a1.call(
        "set_draft", body={"text": "d" * limit, "edit_time": 4000}, conversation_id=conv
    )
    assert len(big.draft_text) == limit
    with pytest.raises(errors.InvalidParameter):
        await a1.call(
            "set_draft", body={"text": "d" * (limit + 1), "edit_time": 5000}, conversation_id=conv
        )
    with pytest.raises(errors.InvalidParameter):
        await a1.call("set_draft", body={"text": "x", "edit_time": -1}, conversation_id=conv)
    assert (await summary(a1, conv)).state.draft_time == 4000


async def test_settings_of_someone_elses_group_are_refused(make: Make) -> None:
    alice, eve = uid("alice"), uid("eve")
    a = await make(alice)
    e = await make(eve)
    group = await a.call("create_group", body={"name": "g"})
    gid = "GROUP" + group.group_id
    for name, body in (
        ("update_state", {"pinned": True}),
        ("hide", None),
        ("clear", None),
        ("set_draft", {"text": "x", "edit_time": 1}),
    ):
        with pytest.raises(errors.NotMember):
            await e.call(name, body=body, conversation_id=gid)
    with pytest.raises(errors.UserNotFound):
        await e.call("update_state", body={"pinned": True}, conversation_id="C2C" + uid("ghost"))
    assert (await e.call("conversations")).conversations == []
