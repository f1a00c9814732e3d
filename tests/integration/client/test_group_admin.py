"""Group management through the real client core: apply and approve from the system notice,
kick (the kicked device learns it left), mute refusing a send, and a client offline during a
dismiss catching up."""

from __future__ import annotations

import pytest

from messenger.core import MessageState
from messenger.core.events import GroupChanged
from messenger.protocol import errors
from messenger.protocol.models import GroupType, JoinOption, JoinStatus
from tests.helpers.clients import Devices, refusal
from tests.helpers.ids import uid


def left(device: object, group_id: str) -> bool:
    return any(
        e.group.group_id == group_id and not e.member
        for e in device.of(GroupChanged)  # type: ignore[attr-defined]
    )


async def test_apply_then_approve_from_the_notice(devices: Devices) -> None:
    owner_id, applicant_id = uid("own"), uid("app")
    owner = await devices.sign_in(owner_id)
    applicant = await devices.sign_in(applicant_id)
    group = await owner.client.create_group(
        "Club", type=GroupType.PUBLIC, join_option=JoinOption.APPROVAL
    )
    result = await applicant.client.join_group(group.group_id, "hello")
    assert result.status is JoinStatus.WAITING
    notices = await devices.until(
        lambda: [
            m for m in owner.added("@TIM#SYSTEM") if m.body.get("notice") == "join_application"
        ],
        what="the owner gets the application in @TIM#SYSTEM",
    )
    app_id = notices[0].body["detail"]["application_id"]
    await owner.client.handle_application(group.group_id, app_id, approve=True)
    await devices.until(
        lambda: [
            m
            for m in applicant.added("@TIM#SYSTEM")
            if m.body.get("notice") == "application_approved"
        ],
        what="the applicant is told",
    )
    page = await applicant.client.members(group.group_id)
    assert applicant_id in [m.user_id for m in page.members]
    with pytest.raises(errors.ApplicationHandled):
        await owner.client.handle_application(group.group_id, app_id, approve=False)


async def test_kick_and_mute_as_the_members_see_them(devices: Devices) -> None:
    owner_id, bob_id, carol_id = uid("own"), uid("bob"), uid("carol")
    owner = await devices.sign_in(owner_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await owner.client.create_group("Team", [bob_id, carol_id], type=GroupType.MEETING)
    chat = "GROUP" + group.group_id
    await owner.client.mute_member(group.group_id, carol_id, 600)
    sent = await carol.client.send_text(chat, "hi")
    failed = await devices.until(
        lambda: [
            m for m in carol.updated(MessageState.FAILED) if m.client_msg_id == sent.client_msg_id
        ],
        what="carol's message is refused",
    )
    assert isinstance(refusal(failed[-1]), errors.Muted)
    await owner.client.kick_members(group.group_id, [bob_id], "spam")
    await devices.until(lambda: left(bob, group.group_id), what="bob's device learns he left")
    notices = [m.body for m in await bob.history("@TIM#SYSTEM")]
    assert [n["notice"] for n in notices][-1] == "kicked_from_group"
    assert notices[-1]["detail"]["reason"] == "spam"


async def test_a_member_offline_during_a_dismiss_catches_up(devices: Devices) -> None:
    owner_id, bob_id = uid("own"), uid("bob")
    owner = await devices.sign_in(owner_id)
    bob = await devices.sign_in(bob_id)
    group = await owner.client.create_group("Short-lived", [bob_id], type=GroupType.PUBLIC)
    await devices.until(lambda: bob.of(GroupChanged), what="bob knows the group")
    await devices.close(bob)
    await owner.client.dismiss_group(group.group_id)
    bob2 = await devices.reopen(bob)
    await devices.until(lambda: left(bob2, group.group_id), what="bob syncs the dismissal")
