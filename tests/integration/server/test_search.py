"""Server search: only what the searcher may read, the filters, Chinese, pages, jump to a date."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.protocol import errors
from tests.helpers.authz import nothing_changes, refuses
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice


async def _search(device: RawDevice, q: str, **query: Any) -> list[str]:
    page = await device.call("search_messages", query={"q": q, **query})
    return [hit.message.body["text"] for hit in page.hits]


async def _team(make: Make) -> tuple[RawDevice, RawDevice, RawDevice, str]:
    """owner and member in a group, and an outsider with a chat of his own with the owner."""
    owner = await make(uid("owner"))
    member = await make(uid("member"))
    outsider = await make(uid("outsider"))
    group = await owner.call(
        "create_group", body={"name": "team", "type": "Work", "members": [member.user_id]}
    )
    conv = "GROUP" + group.group_id
    await owner.send(conv, "budget 预算 for the members only")
    await outsider.send("C2C" + owner.user_id, "my own budget question")
    return owner, member, outsider, conv


@refuses("search_messages")
async def test_an_outsider_finds_nothing_of_a_group_and_may_not_name_it(make: Make) -> None:
    owner, member, outsider, conv = await _team(make)
    async with nothing_changes(owner, member, outsider):
        assert await _search(outsider, "budget") == ["my own budget question"]
        assert await _search(outsider, "预算") == []
        with pytest.raises(errors.NotMember):
            await outsider.call("search_messages", query={"q": "budget", "conversation_id": conv})
    # a member finds the group's message; the owner both
    assert await _search(member, "budget") == ["budget 预算 for the members only"]
    assert len(await _search(owner, "budget")) == 2


@refuses("search_messages")
async def test_nobody_searches_another_users_chat(make: Make) -> None:
    alice, bob = await make(uid("alice")), await make(uid("bob"))
    carol = await make(uid("carol"))
    await alice.send("C2C" + bob.user_id, "the secret is 42")
    async with nothing_changes(alice, bob, carol):
        assert await _search(carol, "secret") == []
        # carol's "C2C<bob>" is her own (empty) chat with bob, never alice's
        assert await _search(carol, "secret", conversation_id="C2C" + bob.user_id) == []
    assert await _search(bob, "secret") == ["the secret is 42"]


async def test_a_member_who_left_or_joined_late_sees_only_their_part(make: Make) -> None:
    owner, member, _, conv = await _team(make)
    late = await make(uid("late"))
    await owner.call("add_members", group_id=conv[5:], body={"user_ids": [late.user_id]})
    await owner.send(conv, "budget approved")
    assert await _search(late, "budget") == ["budget approved"]
    await member.call("quit_group", group_id=conv[5:])
    assert await _search(member, "budget") == []


async def test_cleared_history_is_not_found(make: Make) -> None:
    alice, bob = await make(uid("alice")), await make(uid("bob"))
    await alice.send("C2C" + bob.user_id, "old plans")
    await bob.call("clear", conversation_id="C2C" + alice.user_id)
    await alice.send("C2C" + bob.user_id, "new plans")
    assert await _search(bob, "plans") == ["new plans"]
    assert await _search(alice, "plans") == ["new plans", "old plans"]


async def test_filters_chinese_links_and_pages(make: Make) -> None:
    alice, bob = await make(uid("alice")), await make(uid("bob"))
    chat = "C2C" + bob.user_id
    sent = [
        await alice.send(chat, "我们明天开会"),
        await bob.send("C2C" + alice.user_id, "开会的资料 https://example.com/doc"),
        await alice.send(chat, "ftp://example.com/开会 is not a link"),
        await alice.send(chat, "开会 开会 开会"),
    ]
    assert await _search(bob, "开会") == [m.body["text"] for m in reversed(sent)]  # newest first
    assert await _search(bob, "天明") == []  # the characters in that order only
    assert await _search(bob, "开会", sender=bob.user_id) == [sent[1].body["text"]]
    assert await _search(bob, "开会", kind="link") == [sent[1].body["text"]]
    assert await _search(bob, "example", kind="link") == [sent[1].body["text"]]
    assert await _search(bob, "开会", since=sent[1].time, until=sent[3].time) == [
        sent[2].body["text"],
        sent[1].body["text"],
    ]
    assert (await _search(bob, "开会", order="relevance"))[0] == "开会 开会 开会"
    first = await bob.call("search_messages", query={"q": "开会", "limit": 3})
    rest = await bob.call("search_messages", query={"q": "开会", "limit": 3, "offset": 3})
    assert first.has_more and not rest.has_more
    assert [h.message.seq for h in first.hits + rest.hits] == [4, 3, 2, 1]
    assert {h.conversation_id for h in first.hits} == {"C2C" + alice.user_id}  # as bob sees it


async def test_a_recalled_message_is_no_longer_found(make: Make) -> None:
    alice, bob = await make(uid("alice")), await make(uid("bob"))
    message = await alice.send("C2C" + bob.user_id, "oops wrong chat")
    await alice.call("recall", conversation_id="C2C" + bob.user_id, message_id=message.message_id)
    assert await _search(bob, "oops") == []


@pytest.mark.parametrize(
    "query",
    [
        {"q": ""},
        {"q": "  ,, "},
        {"q": "x" * 201},
        {"q": "a", "offset": 1001},
        {"q": "a", "limit": 101},
        {"q": "a", "kind": "video"},
        {"q": "a", "since": 10, "until": 5},
        {"q": "a", "order": "random"},
    ],
)
async def test_bad_searches_are_refused_with_a_typed_error(make: Make, query: Any) -> None:
    alice = await make(uid("alice"))
    with pytest.raises(errors.InvalidParameter):
        await alice.call("search_messages", query=query)


async def test_history_from_a_date(make: Make) -> None:
    alice, bob = await make(uid("alice")), await make(uid("bob"))
    chat = "C2C" + bob.user_id
    sent = [await alice.send(chat, f"day {i}") for i in range(5)]
    page = await alice.history(chat, since_time=sent[2].time, limit=2)
    assert [m.seq for m in page.messages] == [sent[2].seq, sent[3].seq]
    assert page.has_more
    assert (await alice.history(chat, since_time=sent[4].time + 1)).messages == []
    first = await alice.history(chat, since_time=0, limit=1)
    assert [m.seq for m in first.messages] == [1]
