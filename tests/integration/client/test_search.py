"""Search of synced history, Chinese included."""

from __future__ import annotations

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
