"""Message operations through the real server with several real clients: forward of each kind,
merged forwards opened where the originals were never seen (nested too), edits seen live and
after an offline sync, delete for me on my devices only, reactions of three users, pins synced,
and "Re-edit" of a recalled text kept on the sending device across a restart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import msgspec
import pytest

from messenger.core import MessageState
from messenger.core.events import MentionedByEdit, MessageUpdated, PinsChanged
from messenger.core.models import LocalMessage
from messenger.protocol import errors
from messenger.protocol.bodies import FaceBody, LocationBody, MergedBody
from messenger.protocol.models import CustomBody
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.media import jpeg_with_gps
from tests.integration.client.test_media import mp4, wav, write


async def acked(devices: Devices, device: Device, echo: LocalMessage) -> LocalMessage:
    """My message once the server has stored it."""
    found: list[LocalMessage] = await devices.until(
        lambda: [
            m
            for m in device.updated(MessageState.SENT)
            if m.client_msg_id == echo.client_msg_id and m.message_id
        ],
        what="the ack",
    )
    return found[-1]


async def unread_of(device: Device, chat: str) -> int:
    conv = await device.client.conversation(chat)
    return -1 if conv is None else conv.unread_count


async def shown(device: Device, chat: str) -> list[LocalMessage]:
    return await device.history(chat)


async def texts(device: Device, chat: str) -> list[str]:
    return [m.text for m in await shown(device, chat) if m.kind == "text"]


async def test_forwarding_each_kind_keeps_it_and_uploads_no_file_again(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id, carol_id, dave_id = uid("alice"), uid("bob"), uid("carol"), uid("dave")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    dave = await devices.sign_in(dave_id)
    chat = "C2C" + bob_id
    originals = [
        await alice.client.send_text(chat, "plain words"),
        await alice.client.send_body(chat, FaceBody(pack="basic", name="smile")),
        await alice.client.send_body(
            chat, LocationBody(description="Office", latitude=31.2, longitude=121.5)
        ),
        await alice.client.send_body(chat, CustomBody(data="{}", description="a card")),
        await alice.client.send_file(
            chat, write(tmp_path, "p.jpg", jpeg_with_gps(300, 200)), kind="image"
        ),
        await alice.client.send_file(chat, write(tmp_path, "n.txt", b"notes\n" * 50)),
        await alice.client.send_file(
            chat, write(tmp_path, "v.wav", wav()), kind="voice", duration_ms=500
        ),
        await alice.client.send_file(
            chat, write(tmp_path, "c.mp4", mp4()), kind="video", duration_ms=900, width=4, height=4
        ),
    ]
    kinds = ["text", "face", "location", "custom", "image", "file", "voice", "video"]
    received = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 8 and m, what="eight messages"
    )
    assert sorted(m.kind for m in received) == sorted(kinds)  # (files arrive as uploaded)
    kinds = [m.kind for m in received]
    assert len(originals) == 8

    # bob forwards everything he got from alice to carol and to dave, after a comment
    echoes = await bob.client.forward(received, ["C2C" + carol_id, "C2C" + dave_id], comment="fyi")
    assert len(echoes) == 18
    for device, peer in ((carol, bob_id), (dave, bob_id)):
        got = await devices.until(
            lambda d=device, p=peer: (m := d.added("C2C" + p)) and len(m) == 9 and m,
            what="the forwards",
        )
        assert [m.kind for m in got] == ["text", *kinds]
        assert got[0].text == "fyi" and not got[0].forwarded
        assert all(m.forwarded for m in got[1:])
        assert [m.body for m in got[1:]] == [m.body for m in received]
    # carol, who never received alice's files, downloads the forwarded copies intact
    forwarded = {m.kind: m for m in carol.added("C2C" + bob_id)}
    data = await carol.client.download(forwarded["file"])
    assert data.read_bytes() == b"notes\n" * 50
    assert (await carol.client.download(forwarded["image"], "small")).exists()
    # bob never uploaded anything: his transfers hold no upload
    assert not [t for t in bob.client.transfers.transfers() if t.direction == "upload"]


async def test_nobody_forwards_what_they_cannot_see(devices: Devices) -> None:
    alice_id, bob_id, eve_id = uid("alice"), uid("bob"), uid("eve")
    alice = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    eve = await devices.sign_in(eve_id)
    secret = await acked(devices, alice, await alice.client.send_text("C2C" + bob_id, "secret"))
    stolen = LocalMessage(
        conversation_id="C2C" + bob_id,  # eve's own chat with bob: alice's message is not in it
        message_id=secret.message_id,
        conv_type="c2c",
        target=bob_id,
        sender=alice_id,
        seq=secret.seq,
        client_msg_id="x",
        time=secret.time,
        kind="text",
        body={"text": "secret"},
    )
    [echo] = await eve.client.forward([stolen], ["C2C" + alice_id])
    failed = await devices.until(
        lambda: [
            m for m in eve.updated(MessageState.FAILED) if m.client_msg_id == echo.client_msg_id
        ]
    )
    assert failed[0].error is not None and failed[0].error.name == "message_not_found"
    with pytest.raises(errors.MessageNotFound):
        await eve.client.forward_merged([stolen], ["C2C" + alice_id], title="theirs")


async def test_a_merged_forward_opens_on_a_device_that_never_saw_the_originals(
    devices: Devices,
) -> None:
    alice_id, bob_id, carol_id, dave_id = uid("alice"), uid("bob"), uid("carol"), uid("dave")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Plans", [bob_id])
    chat = "GROUP" + group.group_id
    for text in ("where do we meet?", "the usual café", "at 8"):
        await alice.client.send_text(chat, text)
    await devices.until(lambda: len([x for x in bob.added(chat) if x.kind == "text"]) == 3)
    await acked(devices, bob, await bob.client.send_text(chat, "see you there"))
    said = [m for m in await shown(bob, chat) if m.kind == "text"]
    assert len(said) == 4

    [card_echo] = await bob.client.forward_merged(said, ["C2C" + carol_id], title="Plans chat")
    card = await acked(devices, bob, card_echo)
    body = card.content
    assert isinstance(body, MergedBody) and body.count == 4
    assert body.preview[0] == f"{alice_id}: where do we meet?"

    # carol opens it on a device of hers that has never seen the group
    [received] = await devices.until(lambda: carol.added("C2C" + bob_id))
    inner = await carol.client.open_merged(received)
    assert [(m.sender, m.text) for m in inner] == [
        (alice_id, "where do we meet?"),
        (alice_id, "the usual café"),
        (alice_id, "at 8"),
        (bob_id, "see you there"),
    ]
    # nested: carol puts the card and a word of hers into a new merged forward for dave
    dave = await devices.sign_in(dave_id)
    note = await acked(devices, carol, await carol.client.send_text("C2C" + bob_id, "so, 8?"))
    [outer_echo] = await carol.client.forward_merged(
        [received, note], ["C2C" + dave_id], title="Bob's plans"
    )
    await acked(devices, carol, outer_echo)
    [outer] = await devices.until(lambda: dave.added("C2C" + carol_id))
    items = await dave.client.open_merged(outer)
    assert [m.kind for m in items] == ["merged", "text"]
    nested_body = items[0].content
    assert isinstance(nested_body, MergedBody)
    deeper = await dave.client.open_merged(outer, nested_body.bundle_id)
    assert [m.text for m in deeper][-1] == "see you there"
    # the card forwarded on as it is still opens for its new reader
    [again] = await dave.client.forward([outer], ["C2C" + alice_id])
    await acked(devices, dave, again)
    [at_alice] = await devices.until(lambda: alice.added("C2C" + dave_id))
    assert [m.kind for m in await alice.client.open_merged(at_alice)] == ["merged", "text"]
    # a stranger cannot open it
    with pytest.raises(errors.BundleNotFound):
        await bob.client.open_merged(at_alice)


async def test_files_inside_a_merged_forward_download_for_its_readers_only(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id, carol_id, dave_id = uid("alice"), uid("bob"), uid("carol"), uid("dave")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    dave = await devices.sign_in(dave_id)
    chat = "C2C" + bob_id
    await alice.client.send_file(chat, write(tmp_path, "n.txt", b"minutes\n" * 40))
    await alice.client.send_file(chat, write(tmp_path, "p.jpg", jpeg_with_gps()), kind="image")
    got = await devices.until(lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 2 and m)
    [card] = await bob.client.forward_merged(got, ["C2C" + carol_id], title="Files")
    await acked(devices, bob, card)

    # carol never saw alice's chat: the file and the picture come through the card
    [received] = await devices.until(lambda: carol.added("C2C" + bob_id))
    by_kind = {m.kind: m for m in await carol.client.open_merged(received)}
    assert by_kind["file"].via == received.message_id
    assert (await carol.client.download(by_kind["file"])).read_bytes() == b"minutes\n" * 40
    assert (await carol.client.download(by_kind["image"], "small")).exists()
    assert (await carol.client.download(by_kind["image"])).stat().st_size > 0

    # nested one deeper, for dave, still through the outer card he sees
    [outer] = await carol.client.forward_merged([received], ["C2C" + dave_id], title="Fwd")
    await acked(devices, carol, outer)
    [at_dave] = await devices.until(lambda: dave.added("C2C" + carol_id))
    [inner_card] = await dave.client.open_merged(at_dave)
    nested = inner_card.content
    assert isinstance(nested, MergedBody)
    [file_msg, _] = await dave.client.open_merged(at_dave, nested.bundle_id)
    assert (await dave.client.download(file_msg)).read_bytes() == b"minutes\n" * 40

    # a stranger naming the card (which they cannot see) gets nothing
    eve = await devices.sign_in(uid("eve"))
    with pytest.raises((errors.MediaNotFound, errors.MessageNotFound)):
        await eve.client.download(msgspec_replace(file_msg, via=at_dave.message_id))


async def test_an_edit_is_seen_live_and_after_an_offline_sync(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Edits", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    echo = await alice.client.send_text(chat, "meet at 7 @bob", mentions=[bob_id])
    message = await acked(devices, alice, echo)
    for device in (bob, carol, laptop):
        await devices.until_equal(lambda d=device: texts(d, chat), ["meet at 7 @bob"])
    await devices.close(carol)  # carol is offline during the edit

    edited = await alice.client.edit_message(
        message, "meet at 8 @bob @carol", mentions=[bob_id, carol_id]
    )
    assert edited.text == "meet at 8 @bob @carol" and edited.edit_time > 0
    for device in (bob, laptop):
        await devices.until_equal(lambda d=device: texts(d, chat), ["meet at 8 @bob @carol"])
        [now] = [m for m in await shown(device, chat) if m.kind == "text"]
        assert now.edit_time == edited.edit_time
    # previews and search follow the edit
    conv = await bob.client.conversation(chat)
    assert conv is not None and conv.last_message is not None
    assert conv.last_message.text == "meet at 8 @bob @carol"
    assert [m.text for m in await bob.client.search("8")] == ["meet at 8 @bob @carol"]
    assert await bob.client.search("7") == []
    # bob was mentioned before: not told again
    assert not bob.of(MentionedByEdit)

    carol = await devices.reopen(carol)
    await devices.until_equal(lambda: texts(carol, chat), ["meet at 8 @bob @carol"])
    mine = await carol.client.conversation(chat)
    assert mine is not None and mine.mention  # carol sees "[@me]" for the new mention

    # only the sender edits, only text, and the new text keeps to the limits
    bob_copy = next(m for m in await shown(bob, chat) if m.kind == "text")
    with pytest.raises(errors.NotEditable):
        await bob.client.edit_message(msgspec_replace(bob_copy, is_self=True), "mine now")
    with pytest.raises(errors.MessageTooLarge):
        await alice.client.edit_message(message, "x" * 13_000)
    with pytest.raises(errors.InvalidParameter):
        await alice.client.edit_message(message, "   ")
    assert await texts(laptop, chat) == ["meet at 8 @bob @carol"]


async def test_a_new_mention_by_edit_tells_the_newcomer_only(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Mentions", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    message = await acked(
        devices, alice, await alice.client.send_text(chat, "hi @bob", mentions=[bob_id])
    )
    await devices.until_equal(lambda: texts(carol, chat), ["hi @bob"])
    await alice.client.edit_message(message, "hi @bob @carol", mentions=[bob_id, carol_id])
    told = await devices.until(lambda: carol.of(MentionedByEdit))
    assert told[0].message.text == "hi @bob @carol"
    await devices.until_equal(lambda: texts(bob, chat), ["hi @bob @carol"])
    assert not bob.of(MentionedByEdit)


async def test_delete_for_me_reaches_my_other_device_and_not_the_peer(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    chat = "C2C" + bob_id
    sent = [
        await acked(devices, phone, await phone.client.send_text(chat, text))
        for text in ("one", "two", "three", "four")
    ]
    await devices.until_equal(lambda: texts(laptop, chat), ["one", "two", "three", "four"])
    await devices.until_equal(lambda: texts(bob, "C2C" + alice_id), ["one", "two", "three", "four"])

    assert await phone.client.delete_for_me(chat, [sent[1].message_id, sent[3].message_id]) == 2
    assert await texts(phone, chat) == ["one", "three"]
    await devices.until_equal(lambda: texts(laptop, chat), ["one", "three"])
    conv = await laptop.client.conversation(chat)
    assert conv is not None and conv.last_message is not None
    assert conv.last_message.text == "three"  # the preview moves back to what is left
    assert await laptop.client.search("four") == []
    assert await texts(bob, "C2C" + alice_id) == ["one", "two", "three", "four"]
    # again: nothing more to delete; a message of another chat is not found, nothing changes
    assert await phone.client.delete_for_me(chat, [sent[1].message_id]) == 0
    # a new device of mine never shows them either
    tablet = await devices.sign_in(alice_id)
    assert await texts(tablet, chat) == ["one", "three"]
    # a reaction of bob on a deleted message does not bring it back
    theirs = next(m for m in await shown(bob, "C2C" + alice_id) if m.text == "two")
    await bob.client.react(theirs, "👍")
    await devices.until(lambda: [m for m in laptop.updated() if m.deleted])
    await devices.until_equal(lambda: texts(bob, "C2C" + alice_id), ["one", "two", "three", "four"])
    assert await texts(laptop, chat) == ["one", "three"]


async def test_reactions_of_three_users_are_synced_live(devices: Devices) -> None:
    ids = [uid("alice"), uid("bob"), uid("carol")]
    alice, bob, carol = [await devices.sign_in(i) for i in ids]
    laptop = await devices.sign_in(ids[0])
    group = await alice.client.create_group("Reactions", ids[1:])
    chat = "GROUP" + group.group_id
    message = await acked(devices, alice, await alice.client.send_text(chat, "party?"))
    copies = {}
    for device in (bob, carol):
        [m] = await devices.until(lambda d=device: [x for x in d.added(chat) if x.kind == "text"])
        copies[device.user_id] = m
    unread = {}
    for device in (bob, carol):
        conv = await devices.until(lambda d=device: d.client.conversation(chat))
        await devices.until_equal(lambda d=device: unread_of(d, chat), 1)
        unread[device.user_id] = await device.client.total_unread()
        assert conv is not None

    await alice.client.react(message, "🎉")
    await bob.client.react(copies[ids[1]], "🎉")
    await carol.client.react(copies[ids[2]], "👍")
    await carol.client.react(copies[ids[2]], "👨‍👩‍👧")

    def reactions(device: Device) -> Callable[[], Awaitable[object]]:
        async def read() -> object:
            [m] = [x for x in await shown(device, chat) if x.kind == "text"]
            return [(r.emoji, tuple(r.users)) for r in m.reactions]

        return read

    expected = [("🎉", (ids[0], ids[1])), ("👍", (ids[2],)), ("👨‍👩‍👧", (ids[2],))]
    for device in (alice, laptop, bob, carol):
        await devices.until_equal(reactions(device), expected)
    await bob.client.react(copies[ids[1]], "🎉", add=False)
    expected[0] = ("🎉", (ids[0],))
    for device in (alice, laptop, carol):
        await devices.until_equal(reactions(device), expected)
    # reactions are not news: the unread counts stayed as they were
    for device in (bob, carol):
        assert await unread_of(device, chat) == 1
        assert await device.client.total_unread() == unread[device.user_id]
    with pytest.raises(errors.InvalidParameter):
        await bob.client.react(copies[ids[1]], "hello")


async def test_pins_are_synced_in_c2c_and_follow_the_group_rules(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    chat = "C2C" + bob_id
    first = await acked(devices, alice, await alice.client.send_text(chat, "address"))
    second = await acked(devices, alice, await alice.client.send_text(chat, "phone"))
    assert await alice.client.pin_message_in(chat, first.message_id) == [first.message_id]
    # bob pins too (C2C pins are for both sides)
    await devices.until_equal(
        lambda: bob.client.pinned_messages("C2C" + alice_id), [first.message_id]
    )
    await bob.client.pin_message_in("C2C" + alice_id, second.message_id)
    await devices.until(
        lambda: [e for e in alice.of(PinsChanged) if len(e.pinned) == 2], what="alice's pins"
    )
    assert await alice.client.pinned_messages(chat) == [first.message_id, second.message_id]
    await alice.client.pin_message_in(chat, first.message_id, False)
    await devices.until_equal(
        lambda: bob.client.pinned_messages("C2C" + alice_id), [second.message_id]
    )
    # a new device learns them from the server
    tablet = await devices.sign_in(bob_id)
    assert await tablet.client.pinned_messages("C2C" + alice_id) == [second.message_id]

    # groups: owner and admins only, up to the limit
    group = await alice.client.create_group("Pins", [bob_id, carol_id])
    gchat = "GROUP" + group.group_id
    said = [
        await acked(devices, alice, await alice.client.send_text(gchat, f"rule {i}"))
        for i in range(11)
    ]
    for m in said[:10]:
        await alice.client.pin_message_in(gchat, m.message_id)
    with pytest.raises(errors.TooManyPinned):
        await alice.client.pin_message_in(gchat, said[10].message_id)
    await devices.until_equal(
        lambda: carol.client.pinned_messages(gchat), [m.message_id for m in said[:10]]
    )
    with pytest.raises(errors.PermissionDenied):
        await bob.client.pin_message_in(gchat, said[0].message_id, False)
    assert len(await carol.client.pinned_messages(gchat, refresh=True)) == 10


async def test_re_edit_of_a_recalled_text_survives_a_restart_on_the_sending_device(
    devices: Devices,
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    await devices.sign_in(carol_id)
    group = await phone.client.create_group("Oops", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    quoted = await acked(devices, phone, await phone.client.send_text(chat, "the plan"))
    echo = await phone.client.send_text(chat, "@bob wrong time", mentions=[bob_id], reply_to=quoted)
    message = await acked(devices, phone, echo)
    await laptop.client.recall(chat, message.message_id)  # recalled from another device
    await devices.until(
        lambda: [e for e in phone.of(MessageUpdated) if e.message.recalled and e.message.message_id]
    )
    phone = await devices.reopen(phone)
    draft = await phone.client.recalled_draft(message.message_id)
    assert draft is not None
    assert (draft.text, draft.mentions, draft.conversation_id) == (
        "@bob wrong time",
        (bob_id,),
        chat,
    )
    assert draft.reply_to is not None and draft.reply_to.message_id == quoted.message_id
    # the device that did not send it keeps nothing, and neither does the server
    assert await laptop.client.recalled_draft(message.message_id) is None
    [gone] = [m for m in await shown(laptop, chat) if m.message_id == message.message_id]
    assert gone.recalled and gone.body == {}


def msgspec_replace(message: LocalMessage, **changes: object) -> LocalMessage:
    return msgspec.structs.replace(message, **changes)
