"""A chat view made without a parent (its own window, as in a test or a detached chat) works:
inside the app it always has one, and its window watching once failed without."""

from __future__ import annotations

from typing import Any

from messenger.ui.chat_view import ChatView
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.names import NamesViewModel
from tests.helpers.fake_client import FakeClient
from tests.ui.helpers import settle


async def test_a_chat_view_without_a_parent_shows_its_chat(qapp: Any, qtbot: Any) -> None:
    client = FakeClient(me="alice")
    client.add_conversation("C2Cbob")
    client.receive("C2Cbob", "bob", "hello from Bob")
    names = NamesViewModel(client)
    chat = ChatViewModel(client, names)
    client.subscribe(chat.on_event)
    await chat.open("C2Cbob")
    view = ChatView(chat)  # (an error in a Qt callback fails the test: pytest-qt)
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    await settle(5)
    row = view.visualRect(view.model().index(0, 0))
    assert row.height() > 0 and view.viewport().rect().intersects(row)
    view.hide()
    view.show()
    await settle(5)
    assert view.isVisible()
