"""Storing messages: idempotent upserts, local echoes, recalls, clears."""

from __future__ import annotations

import pytest

from messenger.core.models import LocalMessage, MessageState
from messenger.core.store import Store
from messenger.protocol.models import ErrorBody, SendRequest

from .factories import message, message_change, state, state_change


def echo(client_msg_id: str, text: str = "hi bob", conversation_id: str = "C2Cbob") -> LocalMessage:
    return LocalMessage(
        conversation_id=conversation_id,
        message_id="",
        conv_type="c2c",
        target=conversation_id.removeprefix("C2C"),
        sender="alice",
        seq=0,
        client_msg_id=client_msg_id,
        time=1_700_000_999_000,
        kind="text",
        body={"text": text},
        state=MessageState.SENDING,
        is_self=True,
    )


def request(client_msg_id: str, text: str = "hi bob") -> SendRequest:
    return SendRequest(client_msg_id=client_msg_id, body={"text": text})


async def test_the_same_changes_applied_twice_store_once_and_report_nothing_new(
    store: Store,
) -> None:
    changes = [message_change(message(seq=s), v=10 + s) for s in (1, 2, 3)]

    first = await store.apply_changes(changes)
    second = await store.apply_changes(changes)

    assert [m.seq for m in first.added["C2Cbob"]] == [1, 2, 3]
    assert second.events() == []
    assert [m.seq for m in await store.messages_between("C2Cbob", 1, 10)] == [1, 2, 3]
    assert await store.sync_version() == 13


async def test_the_sync_version_never_goes_back(store: Store) -> None:
    await store.apply_changes([message_change(message(seq=1), v=50)])
    await store.apply_changes([message_change(message(seq=2), v=40)])
    assert await store.sync_version() == 50


async def test_an_ack_turns_the_local_echo_into_the_sent_message(store: Store) -> None:
    await store.add_outgoing(echo("own-1"), request("own-1"))
    assert [e.client_msg_id for e in await store.outbox()] == ["own-1"]

    server_copy = message(sender="alice", target="bob", seq=7, client_msg_id="own-1", text="hi bob")
    delta = await store.put_messages([server_copy])

    assert delta.added == {}
    [sent] = delta.updated
    assert (sent.state, sent.seq, sent.message_id) == (
        MessageState.SENT,
        7,
        server_copy.message_id,
    )
    assert await store.outbox() == []
    assert await store.unsent_messages("C2Cbob") == []
    assert [m.client_msg_id for m in await store.messages_between("C2Cbob", 1, 10)] == ["own-1"]


@pytest.mark.expected_log("messenger.core.store.writer", "replacing a stored message")
async def test_an_ack_at_a_seq_another_stored_message_holds_replaces_that_one(
    store: Store,
) -> None:
    """The server's word wins (its database lost a commit and gave the seq again, say): the
    echo takes the seq, the stale copy goes, and the outbox is done instead of failing for
    ever on the store's unique index."""
    await store.put_messages([message(seq=7, text="a copy the server no longer has")])
    await store.add_outgoing(echo("own-7"), request("own-7"))
    server_copy = message(sender="alice", target="bob", seq=7, client_msg_id="own-7", text="hi bob")
    delta = await store.put_messages([server_copy])
    [sent] = delta.updated
    assert (sent.state, sent.seq) == (MessageState.SENT, 7)
    assert await store.outbox() == []
    stored = await store.messages_between("C2Cbob", 1, 10)
    assert [(m.seq, m.client_msg_id) for m in stored] == [(7, "own-7")]


async def test_a_synced_copy_of_my_own_message_updates_the_echo_instead_of_adding_one(
    store: Store,
) -> None:
    await store.add_outgoing(echo("own-2"), request("own-2"))
    synced = message(sender="alice", target="bob", seq=3, client_msg_id="own-2")

    delta = await store.apply_changes([message_change(synced, v=99)])
    again = await store.put_messages([synced])  # the late ack brings the same copy

    assert delta.added == {}
    assert [m.state for m in delta.updated] == [MessageState.SENT]
    assert again.events() == []
    assert len(await store.messages_between("C2Cbob", 0, 100)) == 1


async def test_my_message_sent_from_another_device_is_added_as_sent(store: Store) -> None:
    mine = message(sender="alice", target="bob", seq=1)
    delta = await store.apply_changes([message_change(mine, v=5)])
    [added] = delta.added["C2Cbob"]
    assert added.is_self and added.state is MessageState.SENT


async def test_a_refused_message_fails_and_can_be_requeued_at_the_end(store: Store) -> None:
    await store.add_outgoing(echo("a"), request("a"))
    await store.add_outgoing(echo("b"), request("b"))
    error = ErrorBody(code=10007, name="permission_denied", message="blocked")

    delta = await store.fail_outgoing("a", error)

    [failed] = delta.updated
    assert failed.state is MessageState.FAILED and failed.error == error
    assert [e.client_msg_id for e in await store.outbox()] == ["b"]

    again, _ = await store.requeue("a", now=1_800_000_000_000)
    assert again is not None and again.state is MessageState.SENDING and again.error is None
    assert [e.client_msg_id for e in await store.outbox()] == ["b", "a"]


async def test_a_recall_replaces_the_message_and_is_final(store: Store) -> None:
    original = message(seq=1, text="oops", message_id="m1")
    await store.apply_changes([message_change(original, v=1)])
    recalled = message(seq=1, message_id="m1", recalled=True, client_msg_id=original.client_msg_id)

    delta = await store.apply_changes([message_change(recalled, v=2)])
    stale = await store.put_messages([original])  # an old copy from a history page

    [updated] = delta.updated
    assert updated.recalled and updated.body == {}
    assert stale.events() == []
    [stored] = await store.messages_between("C2Cbob", 1, 1)
    assert stored.recalled
    assert await store.search("oops") == []


async def test_clearing_deletes_the_history_up_to_the_cleared_seq_for_good(store: Store) -> None:
    await store.apply_changes([message_change(message(seq=s), v=s) for s in (1, 2, 3)])

    await store.apply_changes([state_change(state("C2Cbob", version=10, cleared_seq=2))])
    await store.put_messages([message(seq=2)])  # a late copy of a cleared message

    assert [m.seq for m in await store.messages_between("C2Cbob", 0, 10)] == [3]
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.last_message is not None
    assert conversation.last_message.seq == 3


async def test_clearing_everything_keeps_the_conversation_without_a_preview(store: Store) -> None:
    await store.apply_changes([message_change(message(seq=1), v=1)])
    await store.apply_changes([state_change(state("C2Cbob", version=2, cleared_seq=1))])

    [conversation] = await store.conversations()
    assert conversation.conversation_id == "C2Cbob"
    assert conversation.last_message is None
    assert await store.messages_between("C2Cbob", 0, 10) == []


async def test_outbox_and_echo_survive_closing_and_reopening_the_store(store: Store) -> None:
    await store.add_outgoing(echo("keep-me", "不要丢"), request("keep-me", "不要丢"))
    await store.aclose()

    reopened = Store(store.path, "alice")
    await reopened.open()
    try:
        [entry] = await reopened.outbox()
        assert entry.request.body == {"text": "不要丢"}
        [pending] = await reopened.unsent_messages("C2Cbob")
        assert pending.state is MessageState.SENDING and pending.text == "不要丢"
    finally:
        await reopened.aclose()
