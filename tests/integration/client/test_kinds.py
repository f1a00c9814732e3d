"""Message kinds beyond text through the real server: stickers and locations are sent, received,
counted as unread, found by search, recalled; media kinds need an upload; newer kinds degrade."""

from __future__ import annotations

from messenger.core import MessageState
from messenger.protocol import errors
from messenger.protocol.bodies import FaceBody, FileBody, LocationBody
from tests.helpers.clients import Devices, refusal
from tests.helpers.ids import uid


async def test_a_sticker_and_a_location_reach_the_peer_typed_and_count_as_unread(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    sticker = FaceBody(pack="messenger", name="wave", index=3)
    place = LocationBody(description="Shenzhen Bay Park", latitude=22.51, longitude=113.94)

    await alice.client.send_body("C2C" + bob_id, sticker)
    await alice.client.send_body("C2C" + bob_id, place)

    received = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 2 and m, what="both kinds"
    )
    assert [(m.kind, m.content) for m in received] == [("face", sticker), ("location", place)]
    [conv] = await bob.client.conversations()
    assert conv.unread_count == 2
    assert conv.last_message is not None and conv.last_message.content == place
    found = await bob.client.search("Shenzhen")
    assert [m.message_id for m in found] == [received[1].message_id]


async def test_a_location_is_recalled_like_text(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    place = LocationBody(description="Office", latitude=1.0, longitude=2.0)
    echo = await alice.client.send_body("C2C" + bob_id, place)
    [sent] = await devices.until(lambda: alice.updated(MessageState.SENT), what="the ack")
    assert sent.client_msg_id == echo.client_msg_id

    await alice.client.recall("C2C" + bob_id, sent.message_id)

    [gone] = await devices.until(
        lambda: [m for m in bob.updated() if m.recalled], what="bob sees the recall"
    )
    assert gone.content is None or gone.body == {}
    assert await bob.client.search("Office") == []


async def test_a_file_message_without_an_upload_is_refused(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    bogus = FileBody(media_id="ab" * 32, name="report.pdf", size=10)

    await alice.client.send_body("C2C" + bob_id, bogus)

    # (the server has no such file: upload it; this client has no copy to upload either)
    [failed] = await devices.until(lambda: alice.updated(MessageState.FAILED), what="refusal")
    assert isinstance(refusal(failed), errors.UploadIncomplete)
