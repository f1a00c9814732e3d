"""Search of synced history, Chinese included."""

from __future__ import annotations

import pytest

from messenger.core.models import MessageState
from messenger.core.search import SearchFilters
from messenger.protocol import errors
from tests.helpers.clients import Devices
from tests.helpers.ids import uid


async def test_chinese_text_is_found_by_a_two_character_query_after_sync(
    devices: Devices,
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    await devices.close(alice)  # offline: the messages arrive with the catch-up
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    await bob.client.send_text("C2C" + alice_id, "今天天气很好，我们去公园散步吧")
    await bob.client.send_text("C2C" + alice_id, "Meeting moved to Thursday")
    await devices.until(lambda: len(bob.updated()) == 2, what="bob's acks")  # carol's are newer
    await carol.client.send_text("C2C" + alice_id, "公园门口见")
    await carol.client.send_text("C2C" + alice_id, "明天见")
    await devices.until(lambda: len(carol.updated()) == 2, what="carol's acks")

    alice = await devices.reopen(alice)

    found = await alice.client.search("公园")
    assert [m.text for m in found] == [
        "公园门口见",
        "今天天气很好，我们去公园散步吧",
    ]  # newest first
    assert [m.text for m in await alice.client.search("散步")] == ["今天天气很好，我们去公园散步吧"]
    assert await alice.client.search("园公") == []  # the characters in that order only
    assert await alice.client.search("步散") == []
    only_carol = await alice.client.search("公园", conversation_id="C2C" + carol_id)
    assert [m.sender for m in only_carol] == [carol_id]
    assert [m.text for m in await alice.client.search("meet")] == ["Meeting moved to Thursday"]


async def test_a_new_device_finds_old_history_on_the_server_and_jumps_to_a_day(
    devices: Devices,
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    await devices.close(await devices.sign_in(carol_id))
    await devices.close(await devices.sign_in(bob_id))
    for i in range(60):
        text = "旅行计划 https://maps.example.com/trip" if i == 5 else f"message {i}"
        await alice.client.send_text("C2C" + bob_id, text)
    await alice.client.send_text("C2C" + carol_id, "旅行 with carol")
    await devices.until(lambda: len(alice.updated(MessageState.SENT)) == 61, what="acks")
    sent = await alice.history("C2C" + bob_id)

    bob = await devices.sign_in(bob_id)  # a new device of his: the old messages are not cached
    assert await bob.client.search("旅行") == []
    found = await bob.client.search_server("旅行")
    assert [(m.conversation_id, m.text, m.seq) for m in found.messages] == [
        ("C2C" + alice_id, "旅行计划 https://maps.example.com/trip", 6)
    ]
    only_links = await bob.client.search_server("maps", SearchFilters(kind="link"))
    assert [m.seq for m in only_links.messages] == [6]
    with pytest.raises(errors.NotFound):  # not his chat: carol's with alice is refused
        await bob.client.search_server("旅行", SearchFilters(conversation_id="GROUPnope"))

    # jump to the day of message 30: the first message at or after its time
    seq = await bob.client.first_seq_since("C2C" + alice_id, sent[29].time)
    assert seq is not None and seq <= sent[29].seq  # (earlier ones may share its millisecond)
    assert sent[seq - 1].time == sent[29].time and sent[seq - 2].time < sent[29].time
    around = await bob.client.newer_messages("C2C" + alice_id, seq - 1, limit=3)
    assert [m.seq for m in around] == [seq, seq + 1, seq + 2]  # stored: the window opens
