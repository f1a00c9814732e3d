"""Limits: too large is refused before anything is queued; too fast is delayed, never dropped."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from messenger.core import MessageState
from messenger.core.events import MessagesAdded
from messenger.protocol import errors
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess


async def test_an_oversized_text_is_refused_before_anything_is_queued(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    assert alice.client.limits is not None
    limit = alice.client.limits.text_bytes
    chat = "C2C" + bob_id

    with pytest.raises(errors.MessageTooLarge) as refused:
        await alice.client.send_text(chat, "字" * (limit // 3 + 1))  # 3 bytes each
    assert refused.value.details["limit"] == limit

    assert alice.of(MessagesAdded) == []
    assert await alice.history(chat) == []
    assert await alice.client.conversations() == []
    largest = "a" * limit  # exactly the limit is fine
    await alice.client.send_text(chat, largest)
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), [largest])
    assert [m.text for m in await alice.history(chat)] == [largest]


async def test_a_rate_limited_burst_is_delayed_and_still_delivered_in_order(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    slow = {"MESSENGER_USER_MSG_RATE": "1", "MESSENGER_USER_MSG_BURST": "2"}
    server = own_server(env=slow)
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    texts = [f"quick {i}" for i in range(4)]

    for text in texts:
        await alice.client.send_text("C2C" + bob_id, text)

    await devices.until(lambda: len(alice.updated(MessageState.SENT)) == 2, what="the burst")
    waiting = [m.state for m in await alice.history("C2C" + bob_id)]
    assert waiting == [MessageState.SENT] * 2 + [MessageState.SENDING] * 2  # held back, not lost
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), texts, within=10)
    shown = await alice.history("C2C" + bob_id)
    assert [(m.text, m.seq, m.state) for m in shown] == [
        (text, n, MessageState.SENT) for n, text in enumerate(texts, 1)
    ]
    assert alice.updated(MessageState.FAILED) == []


async def test_messages_over_the_senders_budget_never_overtake_each_other(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    # A budget that refills every 10 ms while a burst is still going out: a message sent after
    # a refused one can find a fresh token. It must still wait for the refused one.
    budget = {"MESSENGER_USER_MSG_RATE": "100", "MESSENGER_USER_MSG_BURST": "5"}
    server = own_server(env=budget)
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    texts = [f"fast {i:02d}" for i in range(60)]

    for text in texts:
        await alice.client.send_text("C2C" + bob_id, text)

    await devices.until(lambda: len(bob.added("C2C" + alice_id)) == 60, what="all 60")
    assert [m.text for m in bob.added("C2C" + alice_id)] == texts
    assert [m.seq for m in await bob.history("C2C" + alice_id)] == list(range(1, 61))
    assert alice.updated(MessageState.FAILED) == []
