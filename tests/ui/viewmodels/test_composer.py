"""The composer view-model: drafts, the typing indicator, mentions."""

from __future__ import annotations

from typing import Any

from messenger.core.events import DraftChanged, TypingChanged
from messenger.viewmodels.conversation_list import ROW_ROLE
from messenger.viewmodels.mentions import CANDIDATE_ROLE, MENTION_ALL
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, settle, until


def local_drafts(device: Device, conversation_id: str) -> list[str]:
    return [
        e.text
        for e in device.of(DraftChanged)
        if e.conversation_id == conversation_id and not e.remote
    ]


async def test_the_draft_is_saved_once_typing_pauses_and_comes_back_on_reopening(
    devices: Devices, sessions: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    await devices.sign_in(bob_id)
    await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    session = await sessions(alice)
    composer = session.chat.composer
    chat_id = "C2C" + bob_id
    await session.chat.open(chat_id)
    restored: list[str] = []
    composer.text_replaced.connect(restored.append)

    for text in ("h", "ha", "hal", "half a thought"):
        composer.edited(text)
    await until(lambda: local_drafts(alice, chat_id), what="the draft is saved")
    assert local_drafts(alice, chat_id) == ["half a thought"]  # once, after the pause
    assert await alice.client.draft(chat_id) == "half a thought"

    await session.chat.open("C2C" + carol_id)
    await session.chat.open(chat_id)
    assert restored[-1] == "half a thought" and composer.text == "half a thought"


async def test_a_draft_from_my_other_device_replaces_the_box_only_when_i_am_not_typing(
    devices: Devices, sessions: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    laptop = await devices.sign_in(alice_id)
    phone = await devices.sign_in(alice_id)
    session = await sessions(laptop)
    composer = session.chat.composer
    chat_id = "C2C" + bob_id
    await session.chat.open(chat_id)

    await phone.client.set_draft(chat_id, "from the phone")
    await until(lambda: composer.text == "from the phone", what="the phone's draft shows")

    composer.edited("I am typing here")
    await phone.client.set_draft(chat_id, "phone again")
    await devices.until(
        lambda: any(e.remote and e.text == "phone again" for e in laptop.of(DraftChanged))
    )
    await settle()
    assert composer.text == "I am typing here"  # not overwritten while typing


async def test_typing_is_sent_once_while_typing_and_stopped_after_sending(
    devices: Devices, sessions: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    session = await sessions(alice)
    composer = session.chat.composer
    await session.chat.open("C2C" + bob_id)

    for text in ("o", "on", "on my", "on my way"):
        composer.edited(text)
    await devices.until(lambda: bob.of(TypingChanged))
    assert await composer.send()
    await devices.until(lambda: [e.typing for e in bob.of(TypingChanged)] == [True, False])


async def test_the_mention_completer_finds_members_and_the_message_carries_the_mention(
    devices: Devices, sessions: Any, qtmodeltester: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.new(carol_id)
    await carol.client.register(carol_id, "pw-123456", "Carol Wang")
    await carol.client.login_with_password(carol_id, "pw-123456")
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", [bob_id, carol_id])
    chat_id = "GROUP" + group.group_id
    session = await sessions(alice)
    await session.chat.open(chat_id)
    candidates = session.chat.composer.mentions
    await until(lambda: candidates.rowCount() == 3, what="members are loaded")  # @all, bob, carol
    qtmodeltester.check(candidates)

    # By nickname, as soon as it is known ("wan": the IDs' random hex can hold "ca", never "w").
    candidates.set_query("wan")
    await until(lambda: [c.name for c in column(candidates, CANDIDATE_ROLE)] == ["Carol Wang"])
    candidates.set_query(carol_id[:7])  # by ID
    assert [c.user_id for c in column(candidates, CANDIDATE_ROLE)] == [carol_id]
    qtmodeltester.check(candidates)
    candidates.set_query("")
    assert column(candidates, CANDIDATE_ROLE)[0].user_id == MENTION_ALL  # I own the group
    inserted = session.chat.composer.choose_mention(carol_id, "Carol Wang")
    assert inserted == "@Carol Wang "
    assert await session.chat.composer.send(inserted + "can you share the slides?")

    def mentioned() -> Any:
        return next((m for m in carol.added(chat_id) if "slides" in m.text), None)

    message = await devices.until(mentioned)
    assert list(message.mentions) == [carol_id] and not message.mention_all
    carol_session = await sessions(carol)
    row = next(
        r
        for r in column(carol_session.conversations.model, ROW_ROLE)
        if r.conversation_id == chat_id
    )
    assert row.flag == "[@me]"

    bob_session = await sessions(bob)  # a member may not mention everyone
    await bob_session.chat.open(chat_id)
    bob_candidates = bob_session.chat.composer.mentions
    await until(lambda: bob_candidates.rowCount() == 2)
    assert MENTION_ALL not in [c.user_id for c in column(bob_candidates, CANDIDATE_ROLE)]
