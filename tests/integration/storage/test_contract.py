"""The promises of the ``Storage`` interface (``messenger/server/storage/base.py`` and
``people.py``), pinned on every backend (``conftest.py``): what the services rely on, whichever
database holds the data."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import replace
from typing import Any

import msgspec
import pytest

from messenger.protocol import errors, frames
from messenger.protocol.models import AllowType, GroupType, JoinOption, StateUpdate
from messenger.protocol.social import (
    AcceptRequest,
    AddFriendRequest,
    FriendUpdate,
    ProfileUpdate,
    Relation,
)
from messenger.server.storage.base import Storage
from messenger.server.storage.records import (
    GroupOp,
    NewGroup,
    NewMembers,
    RecallRequest,
    SearchFilter,
    SessionRecord,
    StoredMessage,
    c2c_key,
)
from tests.helpers.storage_data import LIMITS, new_message, populate

_n = itertools.count(1)
AB = c2c_key("alice", "bob")


async def users(s: Storage, *names: str) -> None:
    for name in names:
        await s.create_user(name, name.title(), None)


async def talk(s: Storage, count: int = 1) -> tuple[int, list[Any]]:
    """Alice and Bob exchange ``count`` messages; the conversation and the stored messages."""
    await users(s, "alice", "bob")
    stored = [await s.insert_message(new_message("alice", "c2c", AB, None, "first"))]
    conv = stored[0].conv_id
    for i in range(1, count):
        sender = "bob" if i % 2 else "alice"
        stored.append(await s.insert_message(new_message(sender, "c2c", AB, conv, f"m{i}")))
    return conv, stored


def session(user: str, device: str, *, created: int = 1) -> SessionRecord:
    return SessionRecord(f"tok-{next(_n)}", user, device, device, "linux", created, 2**50)


# -- accounts ----------------------------------------------------------------------------------------
async def test_a_user_is_created_once(storage: Storage) -> None:
    made, new = await storage.create_user("alice", "Alice", "hash")
    assert new and made.nickname == "Alice" and made.password_hash == "hash" and not made.banned
    again, new = await storage.create_user("alice", "Other", None, exist_ok=True)
    assert not new and again == made
    with pytest.raises(errors.AlreadyExists):
        await storage.create_user("alice", "Other", None)
    assert await storage.get_user("alice") == made
    assert await storage.get_user("nobody") is None


async def test_passwords_and_bans(storage: Storage) -> None:
    await users(storage, "alice")
    await storage.set_password("alice", "new-hash")
    user = await storage.get_user("alice")
    assert user is not None and user.password_hash == "new-hash"
    with pytest.raises(errors.UserNotFound):
        await storage.set_password("nobody", "x")
    first = session("alice", "d1")
    await storage.open_session(first, device_limit=5, policy="kick_oldest")
    ended = await storage.set_banned("alice", True)
    assert [s.token_hash for s in ended] == [first.token_hash]
    banned = await storage.get_user("alice")
    assert banned is not None and banned.banned
    after = await storage.get_session(first.token_hash)
    assert after is not None and after.revoked_reason == "banned"
    assert await storage.set_banned("alice", False) == []
    with pytest.raises(errors.UserNotFound):
        await storage.set_banned("nobody", True)


async def test_sessions_follow_the_device_policy(storage: Storage) -> None:
    await users(storage, "alice")
    one, two = session("alice", "d1", created=1), session("alice", "d2", created=2)
    await storage.open_session(one, device_limit=2, policy="kick_oldest")
    await storage.open_session(two, device_limit=2, policy="kick_oldest")
    again = session("alice", "d2", created=3)
    replaced = await storage.open_session(again, device_limit=2, policy="kick_oldest")
    assert [s.token_hash for s in replaced.replaced] == [two.token_hash] and not replaced.kicked
    third = await storage.open_session(
        session("alice", "d3", created=4), device_limit=2, policy="kick_oldest"
    )
    assert [s.token_hash for s in third.kicked] == [one.token_hash]
    with pytest.raises(errors.TooManyDevices):
        await storage.open_session(session("alice", "d4"), device_limit=2, policy="reject_new")
    revoked = await storage.revoke_session(again.token_hash, "signed_out")
    assert revoked is not None and revoked.token_hash == again.token_hash
    assert await storage.revoke_session(again.token_hash, "signed_out") is None  # once
    await storage.extend_session(third.session.token_hash, 2**51)
    extended = await storage.get_session(third.session.token_hash)
    assert extended is not None and extended.expires_at == 2**51
    assert await storage.get_session("no-such-token") is None


# -- messages and versions -----------------------------------------------------------------------
async def test_versions_only_grow_and_head_is_the_last_committed(storage: Storage) -> None:
    start = storage.head
    conv, stored = await talk(storage, 5)
    versions = [s.message.version for s in stored]
    assert versions == sorted(set(versions)) and versions[0] > start
    assert storage.head >= versions[-1]  # (a send also moves the sender's read cursor)
    before = storage.head
    outcome = await storage.mark_read(conv, AB, "bob", None)  # bob read up to his own seq 4
    assert outcome.changed and outcome.state.version == before + 1 == storage.head
    feed = await storage.feed("alice", 0, 1000)
    seen = [c.v for c in feed.changes]
    assert seen == sorted(set(seen)) and feed.next_version == storage.head


async def test_many_writes_at_once_get_distinct_growing_versions(storage: Storage) -> None:
    conv, _ = await talk(storage)
    sends = [
        storage.insert_message(new_message("alice", "c2c", AB, conv, f"burst {i}"))
        for i in range(200)
    ]
    stored = await asyncio.gather(*sends)
    assert [s.message.seq for s in stored] == list(range(2, 202))  # in call order, no gaps
    versions = [s.message.version for s in stored]
    assert versions == sorted(set(versions)) and storage.head == versions[-1]


async def test_a_resent_message_is_the_stored_one(storage: Storage) -> None:
    conv, (first,) = await talk(storage)
    head = storage.head
    again = new_message("alice", "c2c", AB, conv, "a different text")
    again = replace(again, client_msg_id=first.message.client_msg_id)
    resent = await storage.insert_message(again)
    assert resent.duplicate and not first.duplicate
    assert resent.message.message_id == first.message.message_id
    assert resent.message.seq == first.message.seq and storage.head == head
    history, _ = await storage.history(
        conv_id=conv, kind="c2c", key=AB, user_id="bob",
        before_seq=None, after_seq=None, limit=10,
    )  # fmt: skip
    assert [m.message_id for m in history] == [first.message.message_id]
    other = replace(again, sender="bob")  # the key is (sender, client message ID)
    assert not (await storage.insert_message(other)).duplicate


async def test_in_a_burst_a_failing_send_is_undone_alone(storage: Storage) -> None:
    conv, (first,) = await talk(storage)
    burst = [new_message("alice", "c2c", AB, conv, f"burst {i}") for i in range(6)]
    burst[2] = replace(burst[2], client_msg_id=first.message.client_msg_id)  # a resend
    burst[4] = replace(burst[4], message_id=burst[1].message_id)  # refused by the database
    outcomes = await asyncio.gather(
        *(storage.insert_message(new) for new in burst), return_exceptions=True
    )
    assert isinstance(outcomes[4], Exception)
    stored = [o for i, o in enumerate(outcomes) if i not in (2, 4)]
    assert [s.message.seq for s in stored if isinstance(s, StoredMessage)] == [2, 3, 4, 5]
    resent = outcomes[2]
    assert not isinstance(resent, BaseException)
    assert resent.duplicate and resent.message.message_id == first.message.message_id
    history, _ = await storage.history(
        conv_id=conv, kind="c2c", key=AB, user_id="bob",
        before_seq=None, after_seq=None, limit=10,
    )  # fmt: skip
    assert [m.body["text"] for m in history] == ["first"] + [f"burst {i}" for i in (0, 1, 3, 5)]
    versions = [m.version for m in history]
    assert versions == sorted(set(versions)) and storage.head >= versions[-1]


async def test_sending_reads_what_came_before(storage: Storage) -> None:
    conv, _ = await talk(storage, 3)  # alice, bob, alice: bob has one unread
    head = storage.head
    reply = await storage.insert_message(new_message("bob", "c2c", AB, conv, "reply"))
    read = reply.sender_read
    assert read is not None and (read.old_read_seq, read.new_read_seq) == (2, 4)
    assert read.peer_read is not None and read.peer_read.peer == "alice"
    assert read.state.unread_count == 0 and storage.head == head + 2  # the message, the read
    again = await storage.insert_message(new_message("bob", "c2c", AB, conv, "more"))
    assert again.sender_read is None  # nothing was unread: the cursor moved quietly
    assert (await storage.read_cursors(conv))["bob"][0] == 5
    assert (await storage.conversation_summary(conv, "bob")).state.unread_count == 0


async def test_history_pages_by_seq(storage: Storage) -> None:
    conv, stored = await talk(storage, 7)

    async def page(before: int | None, after: int | None, limit: int) -> tuple[list[int], bool]:
        got, more = await storage.history(
            conv_id=conv, kind="c2c", key=AB, user_id="alice",
            before_seq=before, after_seq=after, limit=limit,
        )  # fmt: skip
        return [m.seq for m in got], more

    assert await page(None, None, 3) == ([5, 6, 7], True)
    assert await page(5, None, 3) == ([2, 3, 4], True)
    assert await page(2, None, 3) == ([1], False)
    assert await page(None, 4, 2) == ([5, 6], True)
    assert await page(None, 6, 5) == ([7], False)
    one = await storage.message_by_id(conv, stored[2].message.message_id, "c2c", AB)
    assert one.seq == 3 and one.body == stored[2].message.body
    with pytest.raises(errors.MessageNotFound):
        await storage.message_by_id(conv, "no-such-id", "c2c", AB)


async def test_history_of_one_kind_skips_the_others_and_the_recalled(storage: Storage) -> None:
    conv, _ = await talk(storage, 1)  # seq 1: text
    written = {}
    for name, kind in (("p2", "image"), ("t3", "text"), ("p4", "image"), ("p5", "image")):
        message = replace(new_message("alice", "c2c", AB, conv, name), kind=kind)
        written[name] = (await storage.insert_message(message)).message
    recall = RecallRequest(conv, "c2c", AB, written["p4"].message_id, "alice", 60_000, False)
    await storage.recall_message(recall)

    async def page(before: int | None, after: int | None, limit: int) -> tuple[list[int], bool]:
        got, more = await storage.history(
            conv_id=conv, kind="c2c", key=AB, user_id="bob",
            before_seq=before, after_seq=after, limit=limit, only_kind="image",
        )  # fmt: skip
        return [m.seq for m in got], more

    assert await page(None, None, 10) == ([2, 5], False)
    assert await page(5, None, 1) == ([2], False)  # the recalled picture and the text passed over
    assert await page(None, 2, 1) == ([5], False)
    assert await page(None, 5, 1) == ([], False)


async def test_a_recall_is_a_new_version_of_the_message(storage: Storage) -> None:
    conv, stored = await talk(storage, 2)
    target = stored[0].message
    request = RecallRequest(conv, "c2c", AB, target.message_id, "alice", 60_000, False)
    with pytest.raises(errors.PermissionDenied):
        await storage.recall_message(replace(request, by="bob"))  # not bob's message
    done = await storage.recall_message(request)
    assert done.changed and done.message.recalled and done.message.version == storage.head
    assert set(done.viewers) == {"alice", "bob"}
    twice = await storage.recall_message(request)
    assert not twice.changed and twice.message.version == done.message.version
    feed = await storage.feed("bob", stored[-1].message.version, 100)
    recalled = [c for c in feed.changes if isinstance(c, frames.MessageChange)]
    assert [c.message.message_id for c in recalled] == [target.message_id]


# -- the feed: everything after V --------------------------------------------------------------
async def test_the_feed_after_any_version_is_exactly_the_newer_changes(storage: Storage) -> None:
    await populate(storage)
    full = await storage.feed("alice", 0, 100_000)
    versions = [c.v for c in full.changes]
    assert versions == sorted(set(versions)) and full.next_version == storage.head
    assert not full.has_more
    wire = [msgspec.to_builtins(c) for c in full.changes]
    for since in range(0, storage.head + 1, 7):
        after = await storage.feed("alice", since, 100_000)
        assert [msgspec.to_builtins(c) for c in after.changes] == [
            w for w, v in zip(wire, versions, strict=True) if v > since
        ]
    got: list[Any] = []
    since = 0
    while True:  # pages of 4
        page = await storage.feed("alice", since, 4)
        got.extend(msgspec.to_builtins(c) for c in page.changes)
        since = page.next_version
        if not page.has_more:
            break
    assert got == wire


# -- conversations: read marks, states, drafts -----------------------------------------------------
async def test_read_marks_move_forward_only_and_tell_the_peer(storage: Storage) -> None:
    await users(storage, "alice", "bob")
    conv = None
    for i in range(5):
        sent = await storage.insert_message(new_message("alice", "c2c", AB, conv, f"m{i}"))
        conv = sent.conv_id
    assert conv is not None
    summary = await storage.conversation_summary(conv, "bob")
    assert summary.state.unread_count == 5 and summary.last_seq == 5
    read = await storage.mark_read(conv, AB, "bob", 3)
    assert (read.old_read_seq, read.new_read_seq) == (0, 3) and read.changed
    assert read.peer_read is not None and read.peer_read.peer == "alice"
    assert read.peer_read.read_seq == 3 and read.state.unread_count == 2
    back = await storage.mark_read(conv, AB, "bob", 2)
    assert not back.changed and back.new_read_seq == 3
    assert (await storage.read_cursors(conv))["bob"][0] == 3
    everything = await storage.mark_read(conv, AB, "bob", None)
    assert everything.new_read_seq == 5 and everything.state.unread_count == 0
    peer = await storage.feed("alice", read.state.version - 1, 100)
    reads = [c for c in peer.changes if isinstance(c, frames.PeerReadChange)]
    assert [c.read_seq for c in reads] == [5]  # the newest cursor of bob's


async def test_states_hide_clear_and_the_conversation_list(storage: Storage) -> None:
    conv, _ = await talk(storage, 3)
    pinned = await storage.update_state(conv, "alice", StateUpdate(pinned=True))
    assert pinned.state.pinned and pinned.state.pin_time > 0
    unread = await storage.update_state(conv, "alice", StateUpdate(marked_unread=True))
    assert unread.state.marked_unread and unread.state.version > pinned.state.version
    listed = await storage.conversation_list("alice")
    assert [c.state.conversation_id for c in listed.conversations] == ["C2Cbob"]
    assert listed.version == storage.head
    hidden = await storage.hide(conv, "alice")
    assert hidden.state.hidden_seq == 3
    cleared = await storage.clear(conv, "alice")
    assert cleared.state.cleared_seq == 3
    history, _ = await storage.history(
        conv_id=conv, kind="c2c", key=AB, user_id="alice",
        before_seq=None, after_seq=None, limit=10,
    )  # fmt: skip
    assert history == []  # cleared for alice
    with pytest.raises(errors.ConversationNotFound):
        await storage.update_state(conv, "carol", StateUpdate(pinned=True))


async def test_a_draft_keeps_the_newest_edit(storage: Storage) -> None:
    conv, _ = await talk(storage)
    saved, changed = await storage.set_draft(conv, "bob", "hello", 100)
    assert changed and saved.state.draft_text == "hello" and saved.state.draft_time == 100
    older, changed = await storage.set_draft(conv, "bob", "stale", 50)
    assert not changed and older.state.draft_text == "hello"
    cleared, changed = await storage.set_draft(conv, "bob", "", 200)
    assert changed and cleared.state.draft_text == ""
    summary = await storage.conversation_summary(conv, "bob")
    assert summary.state.draft_time == 200


async def test_conversations_are_found_or_made(storage: Storage) -> None:
    await users(storage, "alice", "bob")
    assert await storage.find_c2c("alice", "bob") is None
    made = await storage.ensure_c2c(AB)
    assert await storage.ensure_c2c(AB) == made
    assert await storage.find_c2c("bob", "alice") == made
    members = await storage.members(made)
    assert members.kind == "c2c" and set(members.members) == {"alice", "bob"}
    assert await storage.find_system("alice") is None
    system = await storage.ensure_system("alice")
    assert await storage.ensure_system("alice") == system != made
    assert await storage.find_system("alice") == system


async def test_senders_between(storage: Storage) -> None:
    conv, _ = await talk(storage, 4)
    assert await storage.senders_between(conv, 1, 4) == {2: "bob", 3: "alice", 4: "bob"}


# -- groups ----------------------------------------------------------------------------------------
def team(owner: str = "alice", members: list[str] | None = None, size: int = 100) -> NewGroup:
    return NewGroup(
        "team", "Team", GroupType.PUBLIC, owner, members or [], "intro", "", size, "tip-1"
    )


async def test_groups_and_their_members(storage: Storage) -> None:
    await users(storage, "alice", "bob", "carol", "dave")
    made = await storage.create_group(team(members=["bob"], size=3))
    assert made.group.member_count == 2 and made.added == {"alice": "owner", "bob": "member"}
    assert made.tip is not None and made.tip.seq == 1
    conv, info = await storage.group_by_id("team")
    assert conv == made.conv_id and info.name == "Team" and info.introduction == "intro"
    with pytest.raises(errors.AlreadyExists):
        await storage.create_group(team())
    with pytest.raises(errors.GroupNotFound):
        await storage.group_by_id("nope")
    added = await storage.add_members(NewMembers(conv, "team", "alice", ["carol"], 3, "tip-2"))
    assert added.group.member_count == 3 and set(added.members) == {"alice", "bob", "carol"}
    with pytest.raises(errors.GroupFull):
        await storage.add_members(NewMembers(conv, "team", "alice", ["dave"], 3, "tip-3"))
    page = await storage.list_members(conv, 0, 2)
    assert page.total == 3 and len(page.members) == 2
    assert [g.group_id for g in await storage.groups_of("carol")] == ["team"]
    kicked = await storage.group_op(
        GroupOp("kick", "team", "alice", "tip-4", args={"user_ids": ["carol"]})
    )
    assert kicked.departed == ["carol"] and kicked.group.member_count == 2
    assert await storage.groups_of("carol") == []
    gone = await storage.feed("carol", added.group.version, 100)
    assert any(isinstance(c, frames.GroupChange) for c in gone.changes)
    with pytest.raises(errors.PermissionDenied):
        await storage.group_op(
            GroupOp("kick", "team", "bob", "tip-5", args={"user_ids": ["alice"]})
        )
    quit_ = await storage.group_op(GroupOp("quit", "team", "bob", "tip-6"))
    assert quit_.departed == ["bob"]


async def test_join_applications_are_handled_once(storage: Storage) -> None:
    await users(storage, "alice", "bob")
    made = await storage.create_group(replace(team(), join_option=JoinOption.APPROVAL))
    waiting = await storage.group_op(GroupOp("join", "team", "bob", "tip-2", args={"note": "hi"}))
    app_id = int(waiting.result["application_id"])
    pending = await storage.pending_applications(made.conv_id, "team")
    assert [(a.applicant, a.note) for a in pending] == [("bob", "hi")]
    approve = {"application_id": app_id, "approve": True}
    joined = await storage.group_op(
        GroupOp("handle_application", "team", "alice", "t3", args=approve)
    )
    assert "bob" in joined.joined
    with pytest.raises(errors.ApplicationHandled):
        await storage.group_op(GroupOp("handle_application", "team", "alice", "t4", args=approve))
    assert await storage.pending_applications(made.conv_id, "team") == []


# -- people ------------------------------------------------------------------------------------------
async def test_profiles_friends_and_blocks(storage: Storage) -> None:
    await users(storage, "alice", "bob", "carol")
    people = storage.people
    await people.update_profile("bob", ProfileUpdate(nickname="Bobby", allow_type=AllowType.ANYONE))
    profile = await people.profile("bob")
    assert profile is not None and profile.nickname == "Bobby"
    assert [p.user_id for p in await people.profiles(["bob", "carol", "nobody"])] == [
        "bob",
        "carol",
    ]
    await people.add_friend("alice", AddFriendRequest(user_id="bob"), LIMITS, "n1")
    assert await people.relation("alice", "bob") == Relation.BOTH
    contacts = await people.contacts("alice")
    assert [f.user_id for f in contacts.friends] == ["bob"] and contacts.version == storage.head
    found, more = await people.search_users("bob", 0, 10)
    assert [p.user_id for p in found] == ["bob"] and not more
    await people.set_blocked("alice", "carol", True, LIMITS)
    assert await people.blocked_by("alice") == frozenset({"carol"})
    await people.set_blocked("alice", "carol", False, LIMITS)
    assert await people.blocked_by("alice") == frozenset()
    await people.delete_friend("alice", "bob", True)
    assert await people.relation("alice", "bob") == Relation.NONE
    await people.set_last_seen_many({"alice": 1234})
    assert (await people.last_seen(["alice"]))["alice"][0] == 1234


# -- search and dates ----------------------------------------------------------------------------
async def test_search_finds_what_the_user_may_read(storage: Storage) -> None:
    await users(storage, "alice", "bob", "carol")
    texts = ["meet at the station", "你好世界", "Hello world", "see https://example.com/a", "x"]
    conv: int | None = None
    stored = []
    for text in texts:
        sent = await storage.insert_message(new_message("bob", "c2c", AB, conv, text))
        conv = sent.conv_id
        stored.append(sent.message)
    assert conv is not None
    # "hello carol" is newer than every message above, not a tie in the same millisecond
    await asyncio.sleep(max(0.0, stored[-1].time + 2 - time.time() * 1000) / 1000)
    other = await storage.insert_message(
        new_message("carol", "c2c", c2c_key("bob", "carol"), None, "hello carol")
    )

    async def found(user: str, query: str, **kw: Any) -> list[str]:
        hits, _ = await storage.search_messages(user, SearchFilter(query, **kw))
        return [h.message.body["text"] for h in hits]

    assert await found("alice", "hel") == ["Hello world"]  # prefix, any case
    assert await found("bob", "hello") == ["hello carol", "Hello world"]  # newest first
    assert await found("alice", "你好") == ["你好世界"] == await found("alice", "世界")
    assert await found("alice", "station meet") == ["meet at the station"]  # every term
    assert await found("alice", "world", kind="link") == []
    assert await found("alice", "example", kind="link") == ["see https://example.com/a"]
    assert await found("bob", "hello", conv_id=other.conv_id) == ["hello carol"]
    assert await found("bob", "hello", sender="carol") == ["hello carol"]
    assert await found("alice", "nothing-like-this") == []
    page, more = await storage.search_messages("bob", SearchFilter("hello", limit=1))
    assert len(page) == 1 and more
    assert page[0].conversation_id == "C2Ccarol"
    recall = RecallRequest(conv, "c2c", AB, stored[2].message_id, "bob", 60_000, False)
    await storage.recall_message(recall)
    assert await found("alice", "hello") == []  # a recalled message is not found
    await storage.clear(conv, "alice")
    assert await found("alice", "station") == []  # nor what the user cleared
    assert await found("bob", "station") == ["meet at the station"]


async def test_search_by_relevance_puts_the_best_match_first(storage: Storage) -> None:
    """By relevance, a short message that says the word three times beats a newer long one that
    says it once (as FTS5's BM25 ranks them); newest first, the newer one leads."""
    await users(storage, "alice", "bob")
    texts = [
        "apple apple apple",
        "a long message that happens to mention an apple once among many other words",
        "nothing to do with fruit",
    ]
    conv: int | None = None
    for text in texts:
        sent = await storage.insert_message(new_message("alice", "c2c", AB, conv, text))
        conv = sent.conv_id
        await asyncio.sleep(0.002)  # distinct times: the newest-first order is not a tie

    async def found(by_relevance: bool) -> list[str]:
        hits, _ = await storage.search_messages(
            "bob", SearchFilter("apple", by_relevance=by_relevance)
        )
        return [h.message.body["text"] for h in hits]

    assert await found(False) == [texts[1], texts[0]]
    assert await found(True) == [texts[0], texts[1]]


async def test_the_first_message_since_a_time(storage: Storage) -> None:
    conv, stored = await talk(storage, 4)
    times = [s.message.time for s in stored]
    assert await storage.first_seq_since(conv, "alice", 0) == 1
    for at in times:
        first = await storage.first_seq_since(conv, "alice", at)
        assert first is not None and times[first - 1] >= at  # the first at or after it
        assert first == 1 or times[first - 2] < at
    assert await storage.first_seq_since(conv, "alice", times[-1] + 1) is None
    assert await storage.first_seq_since(conv, "carol", 0) is None


# -- the rest of the people side and of groups -------------------------------------------------
async def test_friend_requests_are_accepted_refused_read_and_deleted(storage: Storage) -> None:
    await users(storage, "alice", "bob", "carol", "dave")
    people = storage.people
    await people.add_friend("alice", AddFriendRequest(user_id="bob"), LIMITS, "n1")
    await people.add_friend("carol", AddFriendRequest(user_id="bob"), LIMITS, "n2")
    await people.add_friend("dave", AddFriendRequest(user_id="bob"), LIMITS, "n3")
    pending = (await people.contacts("bob")).requests
    assert {r.sender for r in pending} == {"alice", "carol", "dave"}
    read = await people.read_requests("bob")
    assert read.pushes  # bob's devices hear that the requests were read
    await people.accept_request("bob", "alice", AcceptRequest(remark="Al"), LIMITS, "n4")
    assert await people.relation("bob", "alice") == Relation.BOTH
    with pytest.raises(errors.FriendRequestNotFound):
        await people.accept_request("bob", "alice", AcceptRequest(), LIMITS, "n5")
    await people.refuse_request("bob", "carol", "n6")
    assert await people.relation("bob", "carol") == Relation.NONE
    await people.delete_request("bob", "dave")
    assert (await people.contacts("bob")).requests == []
    await people.update_friend("bob", "alice", FriendUpdate(remark="Alice A."))
    friends = (await people.contacts("bob")).friends
    assert [(f.user_id, f.remark) for f in friends] == [("alice", "Alice A.")]


async def test_friend_groups_and_watchers(storage: Storage) -> None:
    await users(storage, "alice", "bob", "carol")
    people = storage.people
    await people.update_profile("bob", ProfileUpdate(allow_type=AllowType.ANYONE))
    await people.update_profile("carol", ProfileUpdate(allow_type=AllowType.ANYONE))
    await people.add_friend("alice", AddFriendRequest(user_id="bob"), LIMITS, "n1")
    await people.add_friend("alice", AddFriendRequest(user_id="carol"), LIMITS, "n2")
    await people.create_friend_group("alice", "Work", ["bob"], LIMITS)
    groups = (await people.contacts("alice")).groups
    assert [g.name for g in groups] == ["Work"]
    await people.delete_friend_group("alice", "Work")
    assert (await people.contacts("alice")).groups == []
    with pytest.raises(errors.FriendGroupNotFound):
        await people.delete_friend_group("alice", "Work")
    assert set(await people.watchers("bob")) >= {"alice"}  # who hears of bob's changes
    both = await people.watchers_of(["bob", "carol"])
    assert "alice" in both["bob"] and "alice" in both["carol"]


async def test_status_texts(storage: Storage) -> None:
    await users(storage, "alice", "bob")
    await storage.people.set_status_text("alice", "in a meeting")
    assert await storage.people.status_texts(["alice", "bob"]) == {"alice": "in a meeting"}
    await storage.people.set_status_text("alice", "")
    assert await storage.people.status_texts(["alice"]) == {}


async def test_topics_and_live_rooms(storage: Storage) -> None:
    await users(storage, "alice", "bob")
    community = replace(team(members=["bob"]), group_id="club", type=GroupType.COMMUNITY)
    await storage.create_group(community)
    made = await storage.group_op(
        GroupOp(
            "create_topic", "club", "alice", "t1", args={"topic_id": "club-news", "name": "News"}
        )
    )
    assert made.group.group_id == "club-news" and made.group.parent == "club"
    assert [t.group_id for t in await storage.topics("club")] == ["club-news"]
    live = replace(
        team(), group_id="live", type=GroupType.AVCHATROOM, tip_message_id="tip-9",
        join_option=JoinOption.FREE,
    )  # fmt: skip
    await storage.create_group(live)
    await storage.group_op(GroupOp("join", "live", "bob", "t2"))
    assert await storage.live_rooms_of("bob") == ["live"]
    assert await storage.live_rooms_of("alice") == []  # the owner is not a plain member


def test_every_storage_method_is_pinned_here() -> None:
    """A method added to the interface needs a test here, run on every backend."""
    from pathlib import Path

    from messenger.server.storage.media_index import MediaIndex
    from messenger.server.storage.people import PeopleStorage

    here = Path(__file__).parent
    text = "".join(p.read_text("utf-8") for p in here.glob("*.py"))
    text += (here.parents[1] / "helpers" / "storage_data.py").read_text("utf-8")
    for interface in (Storage, PeopleStorage, MediaIndex):
        untested = [
            m
            for m in sorted(interface.__abstractmethods__)
            if (f".{m}" if isinstance(getattr(interface, m), property) else f".{m}(") not in text
        ]
        assert untested == [], f"{interface.__name__}: no contract test calls {untested}"
