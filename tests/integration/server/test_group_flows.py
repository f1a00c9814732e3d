"""Group flows with several real devices: apply and the approval race between two admins,
transfer then quit, mute and mute-all at send time, dismiss with members online and offline,
one live room at a time with only the last messages on joining, and departures that sync."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.media import png
from tests.helpers.raw import Make, RawDevice


async def next_notice(device: RawDevice) -> dict[str, Any]:
    """The next system notice the device receives (other changes are skipped)."""
    while True:
        found = notices(await device.changes(1))
        if found:
            return found[0]


def notices(changes: list[frames.AnyChange]) -> list[dict[str, Any]]:
    return [
        c.message.body
        for c in changes
        if isinstance(c, frames.MessageChange) and c.message.kind == "notice"
    ]


async def public_group(make: Make, *, approval: bool = True) -> tuple[str, RawDevice, RawDevice]:
    owner = await make(uid("own"))
    admin = await make(uid("adm"))
    group = await owner.call(
        "create_group",
        body={
            "name": "Club",
            "type": "Public",
            "join_option": "approval" if approval else "free",
            "member_list": [{"user_id": admin.user_id, "role": "admin"}],
        },
    )
    return group.group_id, owner, admin


async def test_two_admins_race_to_approve_and_the_second_is_told_it_is_handled(
    make: Make,
) -> None:
    group_id, owner, admin = await public_group(make)
    await owner.connect()
    await admin.connect()
    applicant = await make(uid("app"), connect=True)
    result = await applicant.call("join_group", body={"note": "let me in"}, group_id=group_id)
    assert result.status == "waiting_approval"
    for manager in (owner, admin):
        notice = await next_notice(manager)
        assert notice["notice"] == "join_application"
        assert notice["detail"]["note"] == "let me in"
        assert notice["detail"]["application_id"] == result.application_id
    again = await applicant.call("join_group", body={"note": "again"}, group_id=group_id)
    assert again.application_id == result.application_id, "one pending application per user"

    async def approve(device: RawDevice) -> object:
        try:
            return await device.call(
                "handle_application",
                body={"approve": True, "note": "welcome"},
                group_id=group_id,
                application_id=result.application_id,
            )
        except errors.MessengerError as exc:
            return exc

    outcomes = await asyncio.gather(approve(owner), approve(admin))
    refused = [o for o in outcomes if isinstance(o, errors.MessengerError)]
    assert len(refused) == 1 and isinstance(refused[0], errors.ApplicationHandled)
    page = await owner.call("list_members", group_id=group_id)
    assert applicant.user_id in [m.user_id for m in page.members]
    assert page.total == 3
    notice = await next_notice(applicant)
    assert notice["notice"] == "application_approved"
    assert notice["detail"]["note"] == "welcome"
    assert (await owner.call("group_applications", group_id=group_id)).applications == []


async def test_a_refused_applicant_is_told_and_stays_out(make: Make) -> None:
    group_id, owner, _ = await public_group(make)
    applicant = await make(uid("app"), connect=True)
    result = await applicant.call("join_group", body={}, group_id=group_id)
    await owner.call(
        "handle_application",
        body={"approve": False, "note": "full"},
        group_id=group_id,
        application_id=result.application_id,
    )
    notice = await next_notice(applicant)
    assert (notice["notice"], notice["detail"]["note"]) == ("application_refused", "full")
    with pytest.raises(errors.NotMember):
        await applicant.call("list_members", group_id=group_id)


async def test_the_owner_transfers_then_quits_and_everyone_sees_it(make: Make) -> None:
    group_id, owner, admin = await public_group(make, approval=False)
    member = await make(uid("mem"))
    await member.call("join_group", body={}, group_id=group_id)
    with pytest.raises(errors.OwnerCannotQuit):
        await owner.call("quit_group", group_id=group_id)
    await owner.call("transfer_owner", body={"new_owner": admin.user_id}, group_id=group_id)
    await owner.call("quit_group", group_id=group_id)
    group = await member.call("get_group", group_id=group_id)
    assert (group.owner, group.member_count) == (admin.user_id, 2)
    history = await member.history("GROUP" + group_id)
    tips = [m.body["tip"] for m in history.messages if m.kind == "tip"]
    assert tips[-2:] == ["owner_changed", "member_quit"]
    changes, _ = await owner.sync_all()
    left = [c for c in changes if isinstance(c, frames.GroupChange) and not c.member]
    assert [c.group.group_id for c in left] == [group_id], "the departure syncs to the leaver"
    assert "quit_group" in [n["notice"] for n in notices(changes)]


async def test_a_muted_member_cannot_send_until_it_ends_and_mute_all_spares_managers(
    make: Make,
) -> None:
    group_id, owner, admin = await public_group(make, approval=False)
    member = await make(uid("mem"))
    await member.call("join_group", body={}, group_id=group_id)
    conv = "GROUP" + group_id
    await owner.call("mute_member", body={"seconds": 1}, group_id=group_id, user_id=member.user_id)
    with pytest.raises(errors.Muted) as muted:
        await member.send(conv, "can I talk?")
    assert muted.value.details["until"] > 0
    page = await member.call("list_members", group_id=group_id)
    assert {m.user_id: m.mute_until for m in page.members}[member.user_id] > 0
    await asyncio.sleep(1.1)
    await member.send(conv, "the mute ended")
    await admin.call("update_group", body={"mute_all": True}, group_id=group_id)
    with pytest.raises(errors.Muted):
        await member.send(conv, "still?")
    await admin.send(conv, "admins speak during mute-all")
    await owner.send(conv, "and the owner")
    texts = [m.body.get("text") for m in (await owner.history(conv)).messages if m.kind == "text"]
    assert texts == ["the mute ended", "admins speak during mute-all", "and the owner"]


async def test_dismiss_reaches_members_online_and_offline(make: Make) -> None:
    group_id, owner, admin = await public_group(make, approval=False)
    offline = await make(uid("off"))
    await offline.call("join_group", body={}, group_id=group_id)
    await admin.connect()
    await owner.call("dismiss_group", group_id=group_id)
    got = await admin.changes(2)
    left = [c for c in got if isinstance(c, frames.GroupChange)]
    assert left and not left[0].member
    assert "group_dismissed" in [n["notice"] for n in notices(got)]
    changes, _ = await offline.sync_all()
    assert any(isinstance(c, frames.GroupChange) and not c.member for c in changes)
    assert "group_dismissed" in [n["notice"] for n in notices(changes)]
    with pytest.raises(errors.GroupNotFound):
        await offline.call("get_group", group_id=group_id)
    with pytest.raises(errors.GroupNotFound):
        await offline.send("GROUP" + group_id, "anyone?")


async def test_one_live_room_at_a_time_and_only_the_last_messages_on_joining(make: Make) -> None:
    host = await make(uid("host"))
    viewer = await make(uid("view"))
    rooms = []
    for name in ("Room A", "Room B"):
        room = await host.call("create_group", body={"name": name, "type": "AVChatRoom"})
        rooms.append(room.group_id)
    for i in range(30):
        await host.send("GROUP" + rooms[0], f"m{i}")
    joined = await viewer.call("join_group", body={}, group_id=rooms[0])
    assert joined.status == "joined"
    history = await viewer.history("GROUP" + rooms[0], limit=100)
    texts = [m.body["text"] for m in history.messages]
    assert texts == [f"m{i}" for i in range(10, 30)], "the last 20 (live_room_history)"
    await viewer.call("join_group", body={}, group_id=rooms[1])
    with pytest.raises(errors.NotMember):
        await viewer.call("list_members", group_id=rooms[0])
    online = await host.call("group_online", group_id=rooms[1])
    assert online.online == 0  # nobody has a socket open
    await viewer.connect()
    assert (await host.call("group_online", group_id=rooms[1])).online == 1
    with pytest.raises(errors.InvalidParameter):
        await host.call(
            "create_group",
            body={"name": "x", "type": "AVChatRoom", "members": [viewer.user_id]},
        )


async def test_pins_are_capped_at_ten_and_synced(make: Make) -> None:
    group_id, owner, admin = await public_group(make, approval=False)
    conv = "GROUP" + group_id
    sent = [await owner.send(conv, f"p{i}") for i in range(11)]
    for message in sent[:10]:
        await admin.call("pin_message", body={"message_id": message.message_id}, group_id=group_id)
    with pytest.raises(errors.TooManyPinned):
        await admin.call("pin_message", body={"message_id": sent[10].message_id}, group_id=group_id)
    await owner.call("unpin_message", group_id=group_id, message_id=sent[0].message_id)
    group = await admin.call("get_group", group_id=group_id)
    assert group.pinned == [m.message_id for m in sent[1:10]]
    with pytest.raises(errors.MessageNotFound):
        await admin.call("pin_message", body={"message_id": "nope"}, group_id=group_id)


async def test_profile_edits_and_name_cards_make_tips(make: Make) -> None:
    group_id, owner, admin = await public_group(make, approval=False)
    member = await make(uid("mem"))
    await member.call("join_group", body={}, group_id=group_id)
    avatar = (await admin.call("upload_avatar", content=png(48, 48))).avatar
    with pytest.raises(errors.AvatarNotFound):  # an address the client chose: never
        await admin.call("update_group", body={"avatar": "a.png"}, group_id=group_id)
    await admin.call(
        "update_group", body={"introduction": "about us", "avatar": avatar}, group_id=group_id
    )
    await member.call(
        "update_member", body={"name_card": "Mem 名片"}, group_id=group_id, user_id=member.user_id
    )
    with pytest.raises(errors.PermissionDenied):
        await member.call(
            "update_member", body={"name_card": "x"}, group_id=group_id, user_id=admin.user_id
        )
    with pytest.raises(errors.InvalidParameter):
        await admin.call("update_group", body={"name": "x" * 31}, group_id=group_id)
    with pytest.raises(errors.InvalidParameter):
        await admin.call("update_group", body={"custom": {"unknown": "v"}}, group_id=group_id)
    history = await member.history("GROUP" + group_id)
    tips = [m.body for m in history.messages if m.kind == "tip"]
    assert [t["tip"] for t in tips[-2:]] == ["profile_changed", "member_info_changed"]
    assert tips[-2]["detail"]["changed"] == {"introduction": "about us", "avatar": avatar}
    page = await owner.call("list_members", group_id=group_id)
    assert {m.user_id: m.name_card for m in page.members}[member.user_id] == "Mem 名片"
