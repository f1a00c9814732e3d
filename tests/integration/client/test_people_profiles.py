"""Profiles, avatars, user search, the block list, presence and the conversation with myself,
through the real server with real clients (live, and after an offline device syncs)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from messenger.core import MessageState
from messenger.core.events import PresenceChanged, ProfilesChanged
from messenger.protocol import errors
from messenger.protocol.models import AllowType, Gender
from tests.helpers.clients import Device, Devices, refusal
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="JPEG")
    return out.getvalue()


async def _nickname(device: Device, user_id: str) -> str:
    found = await device.client.stored_profiles([user_id])
    return found[user_id].nickname if user_id in found else ""


async def _befriend(devices: Devices, a: Device, b: Device) -> None:
    await b.client.update_profile(allow_type=AllowType.ANYONE)
    await a.client.add_friend(b.user_id)
    await devices.until(lambda: _is_friend(b, a.user_id))


async def _is_friend(device: Device, other: str) -> bool:
    return any(f.user_id == other for f in await device.client.friends())


async def test_a_profile_change_reaches_my_devices_and_my_friends_live_and_after_sync(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server(env={"MESSENGER_PROFILE_CUSTOM_KEYS": "team,title"})
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    alice_laptop = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    bob_offline = await devices.sign_in(bob_id, url=server.url)
    await _befriend(devices, bob, alice)  # bob has alice in his list
    await devices.until(lambda: _is_friend(bob_offline, alice_id))
    await devices.close(bob_offline)
    carol_id = uid("carol")
    carol = await devices.sign_in(carol_id, url=server.url)  # in a group with alice only
    carol_offline = await devices.sign_in(carol_id, url=server.url)
    await carol.client.create_group("Team", [alice_id])
    await devices.close(carol_offline)

    avatar = await alice.client.upload_avatar(_png(600, 400, (200, 30, 30)))
    profile = await alice.client.update_profile(
        nickname="Alice 爱丽丝",
        avatar=avatar,
        gender=Gender.FEMALE,
        birthday=19990401,
        location="Shenzhen",
        signature="hello",
        language="zh_CN",
        hide_last_seen=True,
        custom={"team": "Design"},
    )
    assert profile.nickname == "Alice 爱丽丝" and profile.custom == {"team": "Design"}

    await devices.until_equal(lambda: _nickname(alice_laptop, alice_id), "Alice 爱丽丝")
    await devices.until_equal(lambda: _nickname(bob, alice_id), "Alice 爱丽丝")
    await devices.until_equal(lambda: _nickname(carol, alice_id), "Alice 爱丽丝")
    assert any(
        p.user_id == alice_id and p.avatar == avatar
        for e in bob.of(ProfilesChanged)
        for p in e.profiles
    )
    seen = (await bob.client.stored_profiles([alice_id]))[alice_id]
    assert (seen.gender, seen.birthday, seen.signature) == (Gender.FEMALE, 19990401, "hello")
    assert (await alice_laptop.client.my_profile()).location == "Shenzhen"

    # The avatar is the server's square PNG, whatever was uploaded.
    image = Image.open(io.BytesIO(await bob.client.avatar(avatar)))
    assert (image.format, image.size) == ("PNG", (256, 256))
    pixel = image.getpixel((128, 128))
    assert isinstance(pixel, tuple)
    assert pixel[:3] == pytest.approx((200, 30, 30), abs=8)

    bob_offline = await devices.reopen(bob_offline)
    assert await _nickname(bob_offline, alice_id) == "Alice 爱丽丝"
    carol_offline = await devices.reopen(carol_offline)  # a group member, not a friend: synced
    assert await _nickname(carol_offline, alice_id) == "Alice 爱丽丝"

    # Refused, and the profile stays as it was.
    for bad in (
        {"nickname": "n" * 65},
        {"nickname": "   "},
        {"signature": "s" * 501},
        {"birthday": 20231399},
        {"custom": {"salary": "1"}},
        {"custom": {"title": "t" * 257}},
    ):
        with pytest.raises(errors.InvalidParameter):
            await alice.client.update_profile(**bad)
    with pytest.raises(errors.AvatarNotFound):
        await alice.client.update_profile(avatar="0" * 32)
    with pytest.raises(errors.InvalidParameter):
        await alice.client.upload_avatar(b"<svg>not an image we take</svg>")
    with pytest.raises(errors.NotFound):  # never a path: no route matches
        await alice.client.avatar("../../server.toml")
    with pytest.raises(errors.AvatarNotFound):
        await alice.client.avatar("server.toml")
    again = await alice.client.update_profile()
    assert (again.nickname, again.avatar, again.custom) == (
        "Alice 爱丽丝",
        avatar,
        {"team": "Design"},
    )


async def test_users_are_found_by_exact_id_or_by_nickname(devices: Devices) -> None:
    tag = uid("")
    zhang_id, zhao_id, hidden_id = uid("zhang"), uid("zhao"), uid("hidden")
    zhang = await devices.sign_in(zhang_id)
    zhao = await devices.sign_in(zhao_id)
    hidden = await devices.sign_in(hidden_id)
    await zhang.client.update_profile(nickname=f"张伟{tag}")
    await zhao.client.update_profile(nickname=f"老张{tag}")
    await hidden.client.update_profile(nickname=f"张三{tag}", allow_type=AllowType.NOBODY)

    page = await zhang.client.search_users(f"张伟{tag}")
    assert [u.user_id for u in page.users] == [zhang_id]
    both = await zhang.client.search_users(tag)
    assert {u.user_id for u in both.users} == {zhang_id, zhao_id}  # "nobody" is not listed
    prefix_first = await zhang.client.search_users("张")
    ids = [u.user_id for u in prefix_first.users]
    assert hidden_id not in ids
    by_id = await zhao.client.search_users(hidden_id)  # the exact ID finds anyone
    assert [u.user_id for u in by_id.users] == [hidden_id]

    first = await zhang.client.search_users(tag, limit=1)
    second = await zhang.client.search_users(tag, offset=1, limit=1)
    assert first.has_more and not second.has_more
    assert {first.users[0].user_id, second.users[0].user_id} == {zhang_id, zhao_id}

    with pytest.raises(errors.InvalidParameter):
        await zhang.client.search_users("")
    with pytest.raises(errors.InvalidParameter):
        await zhang.client.search_users("x", limit=51)


async def test_a_blocked_user_cannot_message_me_or_ask_to_be_friends(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    bob_offline = await devices.sign_in(bob_id)
    await devices.close(bob_offline)

    await bob.client.block(alice_id)
    await devices.until_equal(lambda: bob.client.blocked_users(), [alice_id])

    sent = await alice.client.send_text(f"C2C{bob_id}", "can you hear me?")
    failed = await devices.until(
        lambda: [
            m for m in alice.updated(MessageState.FAILED) if m.client_msg_id == sent.client_msg_id
        ]
    )
    assert isinstance(refusal(failed[0]), errors.BlockedByPeer)
    assert await bob.client.messages(f"C2C{alice_id}") == []
    with pytest.raises(errors.BlockedByPeer):
        await alice.client.add_friend(bob_id)
    assert await bob.client.friend_requests() == []
    # Bob may not ask alice either while he blocks her.
    with pytest.raises(errors.PeerBlockedByMe):
        await bob.client.add_friend(alice_id)
    # Bob's presence is hidden from alice.
    [status] = await alice.client.presence([bob_id])
    assert not status.online

    bob_offline = await devices.reopen(bob_offline)
    assert await bob_offline.client.blocked_users() == [alice_id]
    await bob_offline.client.unblock(alice_id)
    await devices.until_equal(lambda: bob.client.blocked_users(), [])
    await alice.client.resend(sent.client_msg_id)
    await devices.until_equal(lambda: bob.texts(f"C2C{alice_id}"), ["can you hear me?"])

    with pytest.raises(errors.InvalidParameter):
        await bob.client.block(bob_id)
    with pytest.raises(errors.UserNotFound):
        await bob.client.block(uid("ghost"))


async def test_friends_see_me_come_online_and_go_offline(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    await _befriend(devices, alice, bob)  # alice has bob

    def statuses() -> list[tuple[bool, bool, str]]:
        return [
            (s.online, s.last_seen > 0, s.text)
            for e in alice.of(PresenceChanged)
            for s in e.statuses
            if s.user_id == bob_id
        ]

    await devices.close(bob)
    await devices.until(lambda: (False, True, "") in statuses(), what="bob offline")
    [status] = await alice.client.presence([bob_id])
    assert not status.online and status.last_seen > 0

    bob = await devices.reopen(bob)
    await devices.until(lambda: (True, False, "") in statuses(), what="bob online")
    await bob.client.set_status_text("in a meeting")
    await devices.until(lambda: (True, False, "in a meeting") in statuses())
    [status] = await alice.client.presence([bob_id])
    assert status.online and status.text == "in a meeting"

    await bob.client.update_profile(hide_last_seen=True)
    await devices.close(bob)
    await devices.until(lambda: statuses()[-1] == (False, False, "in a meeting"))
    [status] = await alice.client.presence([bob_id])
    assert not status.online and status.last_seen == 0

    with pytest.raises(errors.InvalidParameter):
        await alice.client.set_status_text("x" * 101)


async def test_a_status_text_outlives_a_server_restart(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, url=server.url)
    bob = await devices.sign_in(bob_id, url=server.url)
    await bob.client.set_status_text("on holiday 🏖")
    server.restart()
    await devices.until(lambda: alice.client.connection_state.value == "connected")
    [status] = await alice.client.presence([bob_id])
    assert status.text == "on holiday 🏖"
    await bob.client.set_status_text("")  # cleared, and stays cleared
    server.restart()
    await devices.until(lambda: alice.client.connection_state.value == "connected")
    [status] = await alice.client.presence([bob_id])
    assert status.text == ""


async def test_asking_for_a_strangers_status_subscribes_to_it_while_online(
    devices: Devices,
) -> None:
    alice_id, dave_id = uid("alice"), uid("dave")
    alice = await devices.sign_in(alice_id)
    dave = await devices.sign_in(dave_id)
    [status] = await alice.client.presence([dave_id])  # not a friend: asked, and followed
    assert status.online

    await dave.client.set_status_text("brb")
    await devices.until(
        lambda: any(s.text == "brb" for e in alice.of(PresenceChanged) for s in e.statuses),
        what="the stranger's status pushed",
    )
    await devices.close(dave)
    await devices.until(
        lambda: any(
            s.user_id == dave_id and not s.online
            for e in alice.of(PresenceChanged)
            for s in e.statuses
        ),
        what="the stranger going offline pushed",
    )


async def test_saved_messages_sync_across_my_own_devices(devices: Devices) -> None:
    me_id = uid("me")
    phone = await devices.sign_in(me_id)
    desktop = await devices.sign_in(me_id)
    laptop = await devices.sign_in(me_id)
    await devices.close(laptop)
    saved = f"C2C{me_id}"

    await phone.client.send_text(saved, "note to self")
    await devices.until_equal(lambda: desktop.texts(saved), ["note to self"])
    [conversation] = [c for c in await desktop.client.conversations() if c.conversation_id == saved]
    assert conversation.unread_count == 0

    laptop = await devices.reopen(laptop)
    assert await laptop.texts(saved) == ["note to self"]
