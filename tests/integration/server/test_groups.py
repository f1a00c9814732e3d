"""Groups: creation, members, tips, paging, and what non-members may not do."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice, messages_of, states_of


async def head(device: RawDevice) -> int:
    return int((await device.call("conversations")).version)


async def test_create_with_a_generated_id_tells_every_member(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice, connect=True)
    b = await make(bob, connect=True)
    await make(carol)
    group = await a.call(
        "create_group", body={"name": "Team 团队", "members": [bob, carol, bob, alice]}
    )
    assert group.group_id.startswith("grp_")
    assert (group.name, group.owner, group.member_count, group.type) == (
        "Team 团队",
        alice,
        3,
        "Work",
    )
    gid = "GROUP" + group.group_id
    for device in (a, b):
        got = await device.changes(3)
        kinds = [type(c) for c in got]
        assert kinds == [frames.StateChange, frames.GroupChange, frames.MessageChange]
        assert got[0].state.conversation_id == gid
        assert got[1].group.group_id == group.group_id and got[1].member
        tip = got[2].message
        assert (tip.kind, tip.seq, tip.sender) == ("tip", 1, alice)
        assert tip.body["tip"] == "group_created"
        assert sorted(tip.body["targets"]) == sorted([bob, carol])
    listed = await b.call("conversations")
    (summary,) = [s for s in listed.conversations if s.state.conversation_id == gid]
    assert (summary.group_name, summary.member_count, summary.last_seq) == ("Team 团队", 3, 1)
    assert summary.state.unread_count == 0, "tips do not count as unread"


async def test_create_with_a_custom_id_and_refuse_a_taken_one(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    b = await make(bob)
    custom = uid("team-")
    group = await a.call("create_group", body={"name": "mine", "group_id": custom})
    assert group.group_id == custom
    before = await head(a)
    with pytest.raises(errors.AlreadyExists):
        await b.call("create_group", body={"name": "theirs", "group_id": custom})
    assert await head(a) == before
    assert (await a.call("get_group", group_id=custom)).name == "mine"
    assert (await b.call("my_groups")).groups == []


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x" * 31},
        {"name": "名" * 11},  # 33 bytes
        {"name": ""},
        {"name": "   "},
        {"name": "ok", "group_id": "bad id"},
        {"name": "ok", "group_id": "g" * 33},
        {"name": "ok", "group_id": ".."},
        {"name": "ok", "group_id": "组"},
        {"name": "ok", "members": ["not valid!"]},
        {"name": "ok", "introduction": "i" * 241},
        {"name": "ok", "type": "Secret"},
        {"name": 5},
        {"members": []},
    ],
)
async def test_bad_group_profiles_are_invalid_parameter(make: Make, body: dict[str, Any]) -> None:
    a = await make(uid("alice"))
    before = await head(a)
    with pytest.raises(errors.InvalidParameter):
        await a.call("create_group", body=body)
    assert await head(a) == before
    assert (await a.call("my_groups")).groups == []


async def test_a_name_of_exactly_thirty_bytes_is_fine(make: Make) -> None:
    a = await make(uid("alice"))
    group = await a.call("create_group", body={"name": "名" * 10})
    assert group.name == "名" * 10


async def test_unknown_members_are_user_not_found_and_nothing_is_created(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    await make(bob)
    ghost = uid("ghost")
    custom = uid("g")
    before = await head(a)
    with pytest.raises(errors.UserNotFound) as caught:
        await a.call(
            "create_group", body={"name": "x", "group_id": custom, "members": [bob, ghost]}
        )
    assert caught.value.details["user_ids"] == [ghost]
    assert await head(a) == before
    with pytest.raises(errors.GroupNotFound):
        await a.call("get_group", group_id=custom)
    group = await a.call("create_group", body={"name": "x", "members": [bob]})
    with pytest.raises(errors.UserNotFound):
        await a.call("add_members", body={"user_ids": [ghost]}, group_id=group.group_id)
    assert (await a.call("get_group", group_id=group.group_id)).member_count == 2


async def test_added_members_get_a_tip_and_see_only_what_follows(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice, connect=True)
    b = await make(bob, connect=True)
    c = await make(carol, connect=True)
    group = await a.call("create_group", body={"name": "late", "members": [bob]})
    gid = "GROUP" + group.group_id
    for i in range(3):
        await a.send(gid, f"before {i}")
    await b.barrier()

    info = await b.call("add_members", body={"user_ids": [carol, alice]}, group_id=group.group_id)
    assert info.member_count == 3  # alice was already in
    after = await a.send(gid, "welcome carol")

    got = await c.changes(5)
    assert [type(x) for x in got] == [
        frames.StateChange,
        frames.GroupChange,
        frames.MessageChange,
        frames.MessageChange,
        frames.MessageChange,
    ]
    state = got[0].state
    assert (state.joined_seq, state.read_seq, state.unread_count) == (4, 4, 0)
    tip = got[2].message
    assert (tip.kind, tip.seq, tip.sender) == ("tip", 5, bob)
    assert (tip.body["tip"], tip.body["targets"]) == ("members_added", [carol])
    notice = got[3].message  # in carol's own system conversation
    assert (notice.conv_type, notice.kind, notice.target) == ("system", "notice", carol)
    assert notice.body["notice"] == "added_to_group" and notice.body["operator"] == bob
    assert got[4].message.message_id == after.message_id
    # the old members get the tip and the new group profile, not a state of carol's
    seen_by_b = await b.changes(3)  # (alice, already in, gets no notice)
    assert [type(x) for x in seen_by_b] == [
        frames.GroupChange,
        frames.MessageChange,
        frames.MessageChange,
    ]
    # carol's history, catch-up and unread start after she joined
    page = await c.history(gid)
    assert [m.seq for m in page.messages] == [5, 6] and not page.has_more
    assert (await c.history(gid, before_seq=5)).messages == []
    assert [m.seq for m in (await c.history(gid, after_seq=0)).messages] == [5, 6]
    fresh = await make(carol)
    caught = await fresh.connect(since=0)
    group_messages = [m for m in messages_of(caught) if m.conv_type == "group"]
    assert [m.seq for m in group_messages] == [5, 6]
    summary = await fresh.call("conversation", conversation_id=gid)
    assert summary.state.unread_count == 1
    assert sorted(s.conversation_id for s in states_of(caught)) == ["@TIM#SYSTEM", gid]


async def test_members_page_with_a_total(make: Make) -> None:
    owner = uid("owner")
    o = await make(owner)
    others = [uid("m") for _ in range(7)]
    for user in others:
        await make(user)
    group = await o.call("create_group", body={"name": "many", "members": others})
    gid = group.group_id
    first = await o.call("list_members", group_id=gid, query={"limit": 3})
    assert (first.total, first.has_more, len(first.members)) == (8, True, 3)
    assert first.members[0].user_id == owner and first.members[0].role == "owner"
    rest = await o.call("list_members", group_id=gid, query={"offset": 3, "limit": 100})
    assert (rest.total, rest.has_more, len(rest.members)) == (8, False, 5)
    everyone = [m.user_id for m in first.members + rest.members]
    assert sorted(everyone) == sorted([owner, *others])
    assert all(m.role == "member" for m in first.members[1:] + rest.members)
    for bad in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "x"}):
        with pytest.raises(errors.InvalidParameter):
            await o.call("list_members", group_id=gid, query=bad)


async def test_my_groups_lists_the_groups_i_am_in(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    b = await make(bob)
    one = await a.call("create_group", body={"name": "one", "members": [bob]})
    two = await a.call("create_group", body={"name": "two"})
    three = await b.call("create_group", body={"name": "three"})
    await b.call("add_members", body={"user_ids": [alice]}, group_id=three.group_id)
    mine = [g.group_id for g in (await a.call("my_groups")).groups]
    assert mine == [one.group_id, two.group_id, three.group_id]
    theirs = [g.group_id for g in (await b.call("my_groups")).groups]
    assert theirs == [one.group_id, three.group_id]


async def test_non_members_can_neither_read_nor_send_nor_list(make: Make) -> None:
    alice, eve = uid("alice"), uid("eve")
    a = await make(alice, connect=True)
    e = await make(eve, connect=True)
    group = await a.call("create_group", body={"name": "private"})
    gid = group.group_id
    await a.send("GROUP" + gid, "secret")
    await a.barrier()
    before = await head(a)
    with pytest.raises(errors.NotMember):
        await e.history("GROUP" + gid)
    with pytest.raises(errors.NotMember):
        await e.send("GROUP" + gid, "let me in")
    with pytest.raises(errors.NotMember):
        await e.reply(await e.ws_send("GROUP" + gid, "let me in"))
    with pytest.raises(errors.NotMember):
        await e.call("list_members", group_id=gid)
    with pytest.raises(errors.NotMember):
        await e.call("get_group", group_id=gid)
    with pytest.raises(errors.NotMember):
        await e.call("add_members", body={"user_ids": [eve]}, group_id=gid)
    with pytest.raises(errors.NotMember):
        await e.call("read", body={}, conversation_id="GROUP" + gid)
    with pytest.raises(errors.NotMember):
        await e.call("receipts", conversation_id="GROUP" + gid, query={"seqs": "1,2"})
    messages = (await a.history("GROUP" + gid)).messages
    with pytest.raises(errors.NotMember):
        await e.call("recall", conversation_id="GROUP" + gid, message_id=messages[-1].message_id)
    assert await head(a) == before
    assert not any(isinstance(f, frames.Changes) for f in await a.barrier())
    assert (await e.sync_all(since=before))[0] == []
    assert (await e.call("my_groups")).groups == []


async def test_a_public_group_profile_is_visible_to_anyone_but_only_admins_add(
    make: Make,
) -> None:
    alice, bob, eve = uid("alice"), uid("bob"), uid("eve")
    a = await make(alice)
    b = await make(bob)
    e = await make(eve)
    group = await a.call("create_group", body={"name": "open", "type": "Public", "members": [bob]})
    assert (await e.call("get_group", group_id=group.group_id)).name == "open"
    with pytest.raises(errors.NotMember):
        await e.history("GROUP" + group.group_id)
    with pytest.raises(errors.PermissionDenied):
        await b.call("add_members", body={"user_ids": [eve]}, group_id=group.group_id)
    added = await a.call("add_members", body={"user_ids": [eve]}, group_id=group.group_id)
    assert added.member_count == 3


async def test_unknown_groups_are_group_not_found(make: Make) -> None:
    a = await make(uid("alice"))
    missing = uid("nogroup")
    with pytest.raises(errors.GroupNotFound):
        await a.call("get_group", group_id=missing)
    with pytest.raises(errors.GroupNotFound):
        await a.send("GROUP" + missing, "hello?")
    with pytest.raises(errors.GroupNotFound):
        await a.call("list_members", group_id=missing)
    with pytest.raises(errors.InvalidParameter):
        await a.call("get_group", group_id="bad id")
