"""Scrolling through history: older pages without a jump, the way back down, jumps to @me."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint

from messenger.viewmodels import chat as chat_module
from messenger.viewmodels.message_list import KEY_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, flood, open_chat, sent, until


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_module, "PAGE", 20)
    monkeypatch.setattr(chat_module, "CONTEXT_ABOVE", 3)
    monkeypatch.setattr(chat_module, "MAX_ROWS", 50)


def top_row(view: Any) -> tuple[str, int]:
    index = view.indexAt(QPoint(4, 0))
    return str(index.data(KEY_ROLE)), view.visualRect(index).top()


async def test_older_messages_load_above_without_moving_what_is_on_screen(
    devices: Devices, windows: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await flood(bob, "C2C" + alice_id, 90)
    await alice.client.mark_read("C2C" + bob_id)
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    view = window.chat_pane.view
    model = window.session.chat.messages
    assert view.at_bottom() and chat_rows(window)[-1].text == "m89"

    seen: list[int] = []
    model.rowsInserted.connect(lambda *_: seen.append(model.rowCount()))
    while model.has_older:
        oldest = model.oldest_seq
        view.verticalScrollBar().setValue(0)  # the user drags to the top
        anchor = top_row(view)
        await until(lambda o=oldest: model.oldest_seq < o, what="an older page")
        row = model.position(anchor[0])
        assert row >= 0, "the row on screen stayed in the window"
        assert view.visualRect(model.index(row, 0)).top() == anchor[1]  # not a pixel of jump
    assert chat_rows(window)[0].text == "m0"
    assert max(seen) <= 50 and not model.at_latest  # far rows were released

    await sent(bob, "C2C" + alice_id, "new one")
    button = window.chat_pane.to_bottom
    await until(lambda: button.isVisible() and button.count == 1, what="1 new message below")
    button.click()
    await until(
        lambda: model.at_latest and view.at_bottom() and chat_rows(window)[-1].text == "new one"
    )
    await until(lambda: button.count == 0 and not button.isVisible(), what="the button goes")


async def test_opening_shows_the_first_unread_and_the_at_button_jumps_to_my_mention(
    devices: Devices, windows: Any, small_pages: None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await bob.client.create_group("Team", [alice_id])
    chat_id = "GROUP" + group.group_id
    await flood(bob, chat_id, 40)
    await sent(bob, chat_id, f"@{alice_id} look here", mentions=[alice_id])
    await flood(bob, chat_id, 5, "after")
    await devices.until(lambda: alice.client.conversation(chat_id), what="alice has the group")
    window = await windows(alice)
    await open_chat(window, chat_id)
    view = window.chat_pane.view
    model = window.session.chat.messages

    marker = next(i for i, r in enumerate(chat_rows(window)) if r.unread_marker)
    assert chat_rows(window)[marker].text == "m0"
    rect = view.visualRect(model.index(marker, 0))
    assert 0 <= rect.top() < view.viewport().height() // 2  # near the top of the screen
    mention = window.chat_pane.to_mention
    await until(mention.isVisible, what="the @ button")

    mention.click()

    def shown() -> bool:
        row = next((i for i, r in enumerate(chat_rows(window)) if r.mention_me), -1)
        return row >= 0 and view.viewport().rect().intersects(view.visualRect(model.index(row, 0)))

    await until(shown, what="the mention on screen")
    await until(lambda: not mention.isVisible(), what="the @ button goes once it is read")
