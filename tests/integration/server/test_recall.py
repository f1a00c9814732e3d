"""Recall: who may recall what and when, and how a recall reaches every device."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import Make, changes_in, messages_of
from tests.helpers.server import SDK_APP_ID, SECRET_KEY, ServerProcess

WINDOW_MS = 300


@pytest.fixture(scope="module")
def short_window(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server whose ``server.toml`` allows recalls for 300 ms only."""
    data = tmp_path_factory.mktemp("short-window")
    (data / "server.toml").write_text(
        f'sdk_app_id = {SDK_APP_ID}\nsecret_key = "{SECRET_KEY}"\n\n'
        f"[limits]\nrecall_window_ms = {WINDOW_MS}\n",
        "utf-8",
    )
    proc = ServerProcess(data).start()
    yield proc
    proc.stop()


async def test_the_sender_recalls_and_every_device_learns_it(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await make(alice, connect=True)
    a2 = await make(alice, connect=True)
    b1 = await make(bob, connect=True)
    b_later = await make(bob)
    sent = await a1.send("C2C" + bob, "I regret this", mentions=[])
    for device in (a2, b1):
        await device.changes(1)

    recalled = await a1.call("recall", conversation_id="C2C" + bob, message_id=sent.message_id)
    assert (recalled.message_id, recalled.seq, recalled.recalled) == (sent.message_id, 1, True)
    assert recalled.recalled_by == alice
    assert recalled.recall_time is not None and recalled.recall_time >= sent.time
    assert recalled.body == {}
    assert recalled.version > sent.version
    for device in (a1, a2, b1):  # live, to every device (the recaller's own socket too)
        (change,) = await device.changes(1)
        assert isinstance(change, frames.MessageChange)
        assert change.v == recalled.version and change.message == recalled
    # by catch-up, and in history: the place stays, the body is gone
    (caught,) = messages_of(await b_later.connect(since=0))
    assert caught == recalled
    (stored,) = (await b1.history("C2C" + alice)).messages
    assert stored == recalled
    # recalling again is harmless: the same recall, nothing new for anyone
    again = await a1.call("recall", conversation_id="C2C" + bob, message_id=sent.message_id)
    assert again == recalled
    for device in (a2, b1):
        assert changes_in(await device.barrier()) == []


async def test_recalling_the_peers_message_is_permission_denied(make: Make) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    b = await make(bob)
    sent = await a.send("C2C" + bob, "mine")
    with pytest.raises(errors.PermissionDenied):
        await b.call("recall", conversation_id="C2C" + alice, message_id=sent.message_id)
    (stored,) = (await b.history("C2C" + alice)).messages
    assert not stored.recalled and stored.body == {"text": "mine"}


async def test_unknown_or_foreign_messages_are_message_not_found(make: Make) -> None:
    alice, bob, carol = uid("alice"), uid("bob"), uid("carol")
    a = await make(alice)
    await make(bob)
    await make(carol)
    to_bob = await a.send("C2C" + bob, "for bob")
    await a.send("C2C" + carol, "for carol")
    with pytest.raises(errors.MessageNotFound):
        await a.call("recall", conversation_id="C2C" + bob, message_id="no-such-message")
    with pytest.raises(errors.MessageNotFound):  # a real message, in another conversation
        await a.call("recall", conversation_id="C2C" + carol, message_id=to_bob.message_id)


async def test_in_a_group_the_owner_recalls_members_messages_members_do_not(make: Make) -> None:
    owner, bob, carol = uid("owner"), uid("bob"), uid("carol")
    o = await make(owner, connect=True)
    b = await make(bob, connect=True)
    c = await make(carol, connect=True)
    group = await o.call("create_group", body={"name": "moderated", "members": [bob, carol]})
    gid = "GROUP" + group.group_id
    by_bob = await b.send(gid, "spam")
    with pytest.raises(errors.PermissionDenied):
        await c.call("recall", conversation_id=gid, message_id=by_bob.message_id)
    for device in (o, b, c):
        await device.barrier()
    done = await o.call("recall", conversation_id=gid, message_id=by_bob.message_id)
    assert (done.recalled, done.recalled_by, done.sender) == (True, owner, bob)
    for device in (o, b, c):
        (change,) = await device.changes(1)
        assert change.message == done
    # the sender cannot recall it again once the owner did
    with pytest.raises(errors.NotRecallable):
        await b.call("recall", conversation_id=gid, message_id=by_bob.message_id)


async def test_tips_cannot_be_recalled(make: Make) -> None:
    owner = uid("owner")
    o = await make(owner)
    group = await o.call("create_group", body={"name": "tips"})
    gid = "GROUP" + group.group_id
    (tip,) = (await o.history(gid)).messages
    assert tip.kind == "tip"
    with pytest.raises(errors.NotRecallable):
        await o.call("recall", conversation_id=gid, message_id=tip.message_id)
    (still,) = (await o.history(gid)).messages
    assert still == tip


async def test_a_recall_reaches_only_those_who_can_see_the_message(make: Make) -> None:
    owner, bob, carol = uid("owner"), uid("bob"), uid("carol")
    o = await make(owner, connect=True)
    b = await make(bob, connect=True)
    c = await make(carol, connect=True)
    group = await o.call("create_group", body={"name": "later", "members": [bob]})
    gid = "GROUP" + group.group_id
    old = await o.send(gid, "before carol")
    await o.call("add_members", body={"user_ids": [carol]}, group_id=group.group_id)
    await b.call("clear", conversation_id=gid)  # bob no longer has it either
    for device in (b, c):
        await device.barrier()
    await o.call("recall", conversation_id=gid, message_id=old.message_id)
    for device in (b, c):  # neither ever sees that message again, not even recalled
        assert messages_of(changes_in(await device.barrier())) == []
        fresh = await make(device.user_id)
        assert old.message_id not in {m.message_id for m in messages_of(await fresh.connect())}


async def test_the_window_closes_for_senders_but_not_for_the_owner(
    make: Make, short_window: ServerProcess
) -> None:
    owner, bob = uid("owner"), uid("bob")
    o = await make(owner, url=short_window.url)
    b = await make(bob, url=short_window.url)
    assert o.login is not None and o.login.limits.recall_window_ms == WINDOW_MS
    group = await o.call("create_group", body={"name": "slow", "members": [bob]})
    gid = "GROUP" + group.group_id
    quick = await b.send(gid, "quick")
    assert (await b.call("recall", conversation_id=gid, message_id=quick.message_id)).recalled
    late = await b.send(gid, "too late")
    own = await o.send(gid, "owner's own")
    to_owner = await b.send("C2C" + owner, "c2c")
    await asyncio.sleep(WINDOW_MS / 1000 + 0.1)  # the window is a matter of time, not of events
    with pytest.raises(errors.RecallWindowExpired) as caught:
        await b.call("recall", conversation_id=gid, message_id=late.message_id)
    assert caught.value.details["window_ms"] == WINDOW_MS
    with pytest.raises(errors.RecallWindowExpired):
        await b.call("recall", conversation_id="C2C" + owner, message_id=to_owner.message_id)
    assert not (await b.history(gid)).messages[-2].recalled
    # the owner (and admins) may recall at any time, their own messages and others'
    assert (await o.call("recall", conversation_id=gid, message_id=late.message_id)).recalled
    assert (await o.call("recall", conversation_id=gid, message_id=own.message_id)).recalled
