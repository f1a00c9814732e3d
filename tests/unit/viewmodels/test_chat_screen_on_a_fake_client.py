"""The chat screen's view-models over the in-memory ``FakeClient`` (no server, no sockets):
the composer sends, refuses in words, keeps drafts; the conversation list orders, pins,
marks read and follows the client's events. The same journeys against the real server are
in ``tests/ui/viewmodels``."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from messenger.protocol.ids import ConversationType
from messenger.protocol.models import Profile
from messenger.ui.i18n import install_language
from messenger.viewmodels.chat import LIVE_TAIL, MAX_ROWS, ChatViewModel
from messenger.viewmodels.composer import ComposerViewModel
from messenger.viewmodels.conversation_list import ROW_ROLE
from messenger.viewmodels.conversations import ConversationListViewModel
from messenger.viewmodels.message_list import ROW_ROLE as MESSAGE_ROW_ROLE
from messenger.viewmodels.message_list import SLICE
from messenger.viewmodels.names import NamesViewModel
from tests.helpers.fake_client import FakeClient


def rows(vm: ConversationListViewModel) -> list[Any]:
    model = vm.model
    return [model.index(r, 0, QModelIndex()).data(ROW_ROLE) for r in range(model.rowCount())]


@pytest.fixture
def client(qapp: Any) -> FakeClient:
    install_language(qapp, "en")  # as the app does at start: English plural forms
    return FakeClient(me="alice")


@pytest.fixture
def composer(client: FakeClient) -> ComposerViewModel:
    vm = ComposerViewModel(client, NamesViewModel(client))
    vm.attach("C2Cbob", ConversationType.C2C, "")
    return vm


async def test_sending_queues_the_text_and_empties_the_box(
    client: FakeClient, composer: ComposerViewModel
) -> None:
    sent: list[bool] = []
    composer.sent.connect(lambda: sent.append(True))
    composer.edited("  hello\nBob  ")
    assert await composer.send()
    assert [m.text for m in client.history["C2Cbob"]] == ["hello\nBob"]
    assert composer.text == "" and sent == [True]
    assert client.drafts.get("C2Cbob", "") == ""


async def test_a_text_over_the_limit_is_refused_in_characters_and_kept(
    client: FakeClient, composer: ComposerViewModel
) -> None:
    errors: list[str] = []
    composer.error_occurred.connect(errors.append)
    limit = client.limits_.text_bytes
    text = "好" * (limit // 3) + "🙂🙂"  # two emoji (four bytes each) too many
    composer.edited(text)
    assert not await composer.send()
    assert errors == ["Not sent: the message is 2 characters too long. Shorten it and send again."]
    assert composer.text == text
    assert "C2Cbob" not in client.history


async def test_an_empty_box_sends_nothing(client: FakeClient, composer: ComposerViewModel) -> None:
    composer.edited("   \n ")
    assert not await composer.send()
    assert client.history == {}


async def test_the_list_orders_pins_marks_read_and_follows_events(client: FakeClient) -> None:
    client.receive("C2Cbob", "bob", "hi")
    client.receive("C2Ccarol", "carol", "hello")
    names = NamesViewModel(client)
    vm = ConversationListViewModel(client, names)
    client.subscribe(vm.on_event)
    await vm.load()
    assert [r.conversation_id for r in rows(vm)] == ["C2Ccarol", "C2Cbob"]  # latest first
    assert [r.badge for r in rows(vm)] == [1, 1]

    await vm.pin("C2Cbob")
    assert [r.conversation_id for r in rows(vm)] == ["C2Cbob", "C2Ccarol"]
    await client.mark_read("C2Ccarol")
    assert [r.badge for r in rows(vm)] == [1, 0]
    client.receive("C2Cdave", "dave", "new here")  # a new chat appears, below the pinned one
    assert [r.conversation_id for r in rows(vm)] == ["C2Cbob", "C2Cdave", "C2Ccarol"]


async def open_chat(client: FakeClient, conversation_id: str) -> ChatViewModel:
    names = NamesViewModel(client)
    client.subscribe(names.on_event)
    chat = ChatViewModel(client, names)
    client.subscribe(chat.on_event)
    await chat.open(conversation_id)
    return chat


def texts(chat: ChatViewModel) -> list[str]:
    return [m.text for m in chat.messages.messages()]


def shown(chat: ChatViewModel) -> list[str]:
    """The rows the model gives its view."""
    model = chat.messages
    return [model.row(i).text for i in range(model.rowCount())]


def await_turns(qapp: Any, turns: int) -> None:
    """Let Qt's timers run ``turns`` times (these tests have no Qt loop of their own)."""
    for _ in range(turns):
        qapp.processEvents()


async def test_a_burst_seen_from_the_bottom_shows_its_newest_rows(
    client: FakeClient, qapp: Any
) -> None:
    for n in range(10):
        client.receive("C2Cbob", "bob", f"before {n}")
    chat = await open_chat(client, "C2Cbob")
    assert texts(chat) == [f"before {n}" for n in range(10)]

    client.receive_many("C2Cbob", "bob", [f"burst {n}" for n in range(500)])

    # Only about the rows that can be seen are laid out: the newest, up to the last one; of
    # them a screenful first (made a slice per turn while the old rows stay on screen, then
    # shown in one step), the others above it later (tests/ui/widgets/test_burst_slices.py).
    assert texts(chat) == [f"burst {n}" for n in range(500 - LIVE_TAIL, 500)]
    assert shown(chat) == [f"before {n}" for n in range(10)] and chat.messages.filling
    await_turns(qapp, 2)
    assert shown(chat) == [f"burst {n}" for n in range(500 - SLICE, 500)]
    assert chat.messages.filling  # (the rows above them)
    assert chat.messages.has_older and chat.messages.at_latest

    chat.note_viewport(5, 16, at_bottom=True, active=False)  # 12 rows on screen: 24 kept
    client.receive_many("C2Cbob", "bob", [f"more {n}" for n in range(100)])
    assert texts(chat) == [f"more {n}" for n in range(100 - 24, 100)]
    await_turns(qapp, 3)
    assert shown(chat) == [f"more {n}" for n in range(100 - 14, 100)]  # the screen's and two

    client.receive_many("C2Cbob", "bob", ["after 1", "after 2"])  # a few: added below
    assert texts(chat)[-3:] == ["more 99", "after 1", "after 2"]


async def test_a_burst_while_reading_above_fills_the_window_and_leaves_the_rest_below(
    client: FakeClient,
) -> None:
    for n in range(10):
        client.receive("C2Cbob", "bob", f"before {n}")
    chat = await open_chat(client, "C2Cbob")
    chat.note_viewport(0, 3, at_bottom=False, active=False)  # scrolled up, reading

    client.receive_many("C2Cbob", "bob", [f"burst {n}" for n in range(500)])

    assert len(texts(chat)) == MAX_ROWS  # not 510 rows laid out at once
    assert texts(chat)[:10] == [f"before {n}" for n in range(10)]  # the place is kept
    assert texts(chat)[-1] == f"burst {MAX_ROWS - 11}"
    assert not chat.messages.at_latest and chat.new_below == 500
    client.receive("C2Cbob", "bob", "later")  # waits below too
    assert texts(chat)[-1] == f"burst {MAX_ROWS - 11}"
    await chat.load_newer()  # scrolling down brings the next ones
    assert texts(chat)[-1] != f"burst {MAX_ROWS - 11}"


async def test_a_changed_name_remakes_only_the_rows_that_show_it(client: FakeClient) -> None:
    for n in range(6):
        client.receive("GROUPteam", "bob" if n % 2 else "carol", f"line {n}")
    names = NamesViewModel(client)
    chat = ChatViewModel(client, names)
    await chat.open("GROUPteam")
    model = chat.messages
    before = [model.index(r, 0).data(MESSAGE_ROW_ROLE) for r in range(model.rowCount())]

    client.profiles["bob"] = Profile(user_id="bob", nickname="Bob Builder")
    await names.load_cached(["bob"])  # as the chat does for senders it has no name for

    after = [model.index(r, 0).data(MESSAGE_ROW_ROLE) for r in range(model.rowCount())]
    assert {r.sender_name for r in after if r.sender_id == "bob"} == {"Bob Builder"}
    kept = [a is b for a, b in zip(before, after, strict=True)]
    assert kept == [r.sender_id != "bob" for r in after]  # carol's rows were not made again


async def test_switching_chats_changes_the_screen_at_once_after_the_messages_are_read(
    client: FakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chat being opened replaces the old one in one step: its header, draft and rows
    change together once its messages are read (never its header over the old chat's rows),
    and a conversation the list has is not read from the store again."""
    client.receive("C2Cbob", "bob", "hi from bob")
    client.add_conversation("C2Ccarol", draft_text="see you")
    client.receive("C2Ccarol", "carol", "hi from carol")
    chat = await open_chat(client, "C2Cbob")
    listed = {c.conversation_id: c for c in await client.conversations()}
    chat.listed = listed.get
    seen: list[str] = []
    messages, newer = client.messages, client.newer_messages

    async def stored(conversation_id: str) -> None:
        seen.append("conversation read")

    async def older_read(conversation_id: str, **kwargs: Any) -> Any:
        seen.append("messages read")
        return await messages(conversation_id, **kwargs)

    async def newer_read(conversation_id: str, after_seq: int, limit: int = 50) -> Any:
        seen.append("messages read")
        return await newer(conversation_id, after_seq, limit)

    monkeypatch.setattr(client, "conversation", stored)
    monkeypatch.setattr(client, "messages", older_read)
    monkeypatch.setattr(client, "newer_messages", newer_read)
    chat.current_conversation_changed.connect(lambda cid: seen.append(f"selected {cid}"))
    chat.header_changed.connect(lambda: seen.append(f"header {chat.title}"))
    chat.composer.text_replaced.connect(lambda text: seen.append(f"draft {text}"))
    chat.messages.modelReset.connect(lambda: seen.append(f"rows {texts(chat)}"))

    await chat.open("C2Ccarol")

    shown = [s for s in seen if s != "messages read"]
    assert seen[: len(seen) - len(shown)] == ["messages read"] * (len(seen) - len(shown))
    assert list(dict.fromkeys(shown)) == [  # (the header is told more than once)
        "selected C2Ccarol",
        "draft see you",
        "header carol",
        "rows ['hi from carol']",
    ]
