"""The chat view-model against the real server: the message window, reading, live changes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from messenger.core import MessageState
from messenger.protocol.ids import SYSTEM_CONVERSATION_ID
from messenger.viewmodels import chat as chat_module
from messenger.viewmodels.message_list import ROW_ROLE
from messenger.viewmodels.message_rows import MessageRow, RowStyle
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import column, flood, sent, until


def rows(session: Any) -> list[MessageRow]:
    return column(session.chat.messages, ROW_ROLE)


def texts(session: Any) -> list[str]:
    return [row.text for row in rows(session)]


async def older(session: Any) -> None:
    """An older page, laid out whole (a slice per turn of the event loop)."""
    await session.chat.load_older()
    await until(lambda: not session.chat.messages.filling, what="the page laid out")


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 10, 3 messages above the first unread, a window of at most 25 rows."""
    monkeypatch.setattr(chat_module, "PAGE", 10)
    monkeypatch.setattr(chat_module, "CONTEXT_ABOVE", 3)
    monkeypatch.setattr(chat_module, "MAX_ROWS", 25)


async def unread(device: Any, conversation_id: str) -> int:
    conversation = await device.client.conversation(conversation_id)
    return conversation.unread_count if conversation else 0


async def test_opening_starts_at_the_first_unread_and_only_an_active_view_reads(
    devices: Devices, sessions: Any, qtmodeltester: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    chat_id = "C2C" + bob_id
    await flood(alice, chat_id, 5, "a")
    await flood(bob, "C2C" + alice_id, 15, "m")
    await devices.until(lambda: unread(alice, chat_id), what="alice has unread messages")
    assert await unread(alice, chat_id) == 15
    session = await sessions(alice)
    scrolls: list[tuple[str, str]] = []
    session.chat.scroll_requested.connect(lambda key, where: scrolls.append((key, where)))

    await session.chat.open(chat_id)
    model = session.chat.messages
    qtmodeltester.check(model)
    assert texts(session) == ["a2", "a3", "a4", *(f"m{n}" for n in range(10))]
    assert [r.unread_marker for r in rows(session)].index(True) == 3  # the bar above m0
    assert scrolls == [(rows(session)[3].key, "top")]
    assert model.has_older and not model.at_latest

    session.chat.note_viewport(3, 12, at_bottom=False, active=False)  # seen, window inactive
    session.chat.note_viewport(3, 5, at_bottom=False, active=True)  # m0..m2 in an active window
    await until(lambda: unread(alice, chat_id), what="a read cursor")
    await devices.until_equal(lambda: unread(alice, chat_id), 12)

    await session.chat.load_newer()  # m10..m14: the latest
    assert texts(session)[-5:] == [f"m{n}" for n in range(10, 15)] and model.at_latest
    session.chat.note_viewport(10, model.rowCount() - 1, at_bottom=True, active=True)
    await devices.until_equal(lambda: unread(alice, chat_id), 0)
    assert rows(session)[3].unread_marker  # the bar stays while the chat is open
    qtmodeltester.check(model)


async def test_older_pages_come_in_and_far_rows_go_so_the_window_stays_small(
    devices: Devices, sessions: Any, qtmodeltester: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    chat_id = "C2C" + bob_id
    await flood(bob, "C2C" + alice_id, 45, "m")
    await devices.until(lambda: unread(alice, chat_id))
    await alice.client.mark_read(chat_id)
    session = await sessions(alice)
    await session.chat.open(chat_id)
    model = session.chat.messages
    sizes: list[int] = []
    model.rowsInserted.connect(lambda *_: sizes.append(model.rowCount()))
    assert texts(session) == [f"m{n}" for n in range(35, 45)]

    await older(session)
    assert texts(session) == [f"m{n}" for n in range(25, 45)]
    await older(session)  # 30 would be too many: the newest 5 are released
    assert texts(session) == [f"m{n}" for n in range(15, 40)]
    assert not model.at_latest and model.has_older
    await older(session)
    await older(session)
    assert texts(session) == [f"m{n}" for n in range(25)] and not model.has_older
    qtmodeltester.check(model)

    await sent(bob, "C2C" + alice_id, "live")  # below the window: counted, not added
    await until(lambda: session.chat.new_below == 1, what="the new message is counted")
    assert "live" not in texts(session)
    while not model.at_latest:
        await session.chat.load_newer()
    assert texts(session)[-1] == "live"
    assert max(sizes) <= 25 and model.rowCount() == 25
    qtmodeltester.check(model)


async def test_my_message_shows_at_once_is_sent_recalled_and_can_be_edited_again(
    devices: Devices, sessions: Any, qtmodeltester: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "hi")
    session = await sessions(alice)
    chat = session.chat
    await chat.open("C2C" + bob_id)
    replaced: list[str] = []
    chat.composer.text_replaced.connect(replaced.append)

    assert await chat.composer.send("secret plan")
    mine = rows(session)[-1]
    assert (mine.text, mine.mine) == ("secret plan", True)
    await until(lambda: rows(session)[-1].state is MessageState.SENT, what="sent")
    assert "recall" in chat.actions_for(mine.key)

    await chat.recall(mine.key)
    recalled = await until(lambda: rows(session)[-1].style is RowStyle.EVENT and rows(session)[-1])
    assert recalled.text == "You recalled a message" and recalled.reedit
    assert chat.actions_for(recalled.key) == ["reedit"]
    chat.reedit(recalled.key)
    assert replaced[-1] == "secret plan" and chat.composer.text == "secret plan"

    bob_message = rows(session)[0]
    await bob.client.recall("C2C" + alice_id, bob_message.message.message_id)
    await until(lambda: rows(session)[0].style is RowStyle.EVENT, what="bob's recall shows")
    assert rows(session)[0].text == f"{bob_id} recalled a message"
    assert not rows(session)[0].reedit
    qtmodeltester.check(chat.messages)


async def test_read_marks_follow_the_peer_and_group_readers(
    devices: Devices, sessions: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    session = await sessions(alice)
    chat = session.chat

    await chat.open("C2C" + bob_id)
    await chat.composer.send("did you read this?")
    await until(lambda: rows(session)[-1].state is MessageState.SENT)
    assert rows(session)[-1].receipt == ""
    await devices.until(lambda: bob.added("C2C" + alice_id))
    await bob.client.mark_read("C2C" + alice_id)
    await until(lambda: rows(session)[-1].receipt == "Read", what="Read on my message")

    group = await alice.client.create_group("Team", [bob_id, carol_id])
    group_chat = "GROUP" + group.group_id
    await chat.open(group_chat)
    await chat.composer.send("team, read this")
    await until(lambda: rows(session)[-1].receipt == "0 read", what="the read count")
    await devices.until(lambda: bob.added(group_chat))
    await bob.client.mark_read(group_chat)
    await until(lambda: rows(session)[-1].receipt == "1 read", what="one reader")
    readers = await chat.readers(rows(session)[-1].message.seq)
    assert readers is not None
    assert (readers.read, readers.unread) == ([bob_id], [carol_id])
    assert carol.client.user_id == carol_id


async def test_typing_shows_who_is_typing(devices: Devices, sessions: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    session = await sessions(alice)
    await session.chat.open("C2C" + bob_id)

    await bob.client.typing("C2C" + alice_id, True)
    await until(lambda: session.chat.typing.text == f"{bob_id} is typing…")
    await bob.client.typing("C2C" + alice_id, False)
    await until(lambda: session.chat.typing.text == "")


async def test_the_system_conversation_shows_notices_and_cannot_be_written_to(
    devices: Devices, sessions: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    session = await sessions(alice)
    await bob.client.create_group("Team", [alice_id])
    model = session.conversations.model
    await until(lambda: model.position(SYSTEM_CONVERSATION_ID) >= 0, what="the system row")
    row = model.row(model.position(SYSTEM_CONVERSATION_ID))
    assert (row.name, row.preview) == ("System notifications", f"{bob_id} added you to Team")

    await session.chat.open(SYSTEM_CONVERSATION_ID)
    [notice] = rows(session)
    assert notice.style is RowStyle.EVENT and notice.text == f"{bob_id} added you to Team"
    assert not session.chat.can_write and not session.chat.composer.enabled
    assert not await session.chat.composer.send("hello?")


async def test_going_back_to_a_chat_asks_the_server_nothing_already_known(
    devices: Devices, sessions: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its pins (kept current by sync once learnt) and its peer's presence (live once asked, the
    header's "online" / "last seen") are not asked again on every switch."""
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "hi")
    await sent(carol, "C2C" + alice_id, "hello")
    session = await sessions(alice)
    chat, people = session.chat, session.people
    for peer in (bob_id, carol_id):
        await chat.open("C2C" + peer)
        await until(lambda peer=peer: peer in people.presence, what=f"{peer}'s presence")
    rest = alice.client._rest
    assert rest is not None
    asked: list[str] = []
    call = rest.call

    async def counted(name: str, **kwargs: Any) -> Any:
        asked.append(name)
        return await call(name, **kwargs)

    monkeypatch.setattr(rest, "call", counted)
    said = {bob_id: "hi", carol_id: "hello"}
    for peer in (bob_id, carol_id, bob_id):
        await chat.open("C2C" + peer)
        assert texts(session) == [said[peer]]
    for _ in range(20):  # the deferred work of the switches has its turns
        await asyncio.sleep(0.01)
    assert [name for name in asked if name in ("conversation_pins", "presence")] == []
