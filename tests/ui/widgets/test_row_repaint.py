"""A change to one conversation repaints its row, not the whole list: Qt's own handling
repainted every conversation row on screen for each batch of a burst into one chat."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QWidget

from messenger.ui.conversation_list_view import ConversationListView, ConversationListWidget
from messenger.viewmodels.conversation_list import ROW_ROLE
from messenger.viewmodels.conversations import ConversationListViewModel
from messenger.viewmodels.names import NamesViewModel
from tests.helpers.fake_client import FakeClient
from tests.ui.helpers import settle, until


class Painted(QObject):
    """The rectangles a widget is asked to paint."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


async def test_a_new_message_repaints_its_conversation_row_only(qapp: Any, qtbot: Any) -> None:
    client = FakeClient(me="alice")
    for n in range(8):
        client.receive(f"C2Cpeer{n}", f"peer{n}", f"hello {n}")
    names = NamesViewModel(client)
    vm = ConversationListViewModel(client, names)
    client.subscribe(vm.on_event)
    await vm.load()
    view = ConversationListView()
    qtbot.addWidget(view)
    view.setModel(vm.filtered)
    view.resize(300, 600)
    view.show()
    await settle(5)
    painted = Painted(view.viewport())
    top = view.visualRect(view.model().index(0, 0))

    client.receive("C2Cpeer7", "peer7", "one more")  # the newest chat: it stays on top
    await until(lambda: painted.rects, what="a repaint")
    await settle(5)

    assert view.model().index(0, 0).data(ROW_ROLE).preview.endswith("one more")
    assert painted.rects and all(rect == top for rect in painted.rects)
    assert view.indexAt(top.center()).row() == 0  # (still found where it is drawn)


class Shown(QObject):
    """How often a widget is shown (each time lays it out and repaints it whole)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.count += 1
        return False


class SearchPanel(QWidget):
    def set_query(self, text: str) -> None:
        pass


async def test_chats_arriving_and_moving_up_do_not_show_the_list_again(
    qapp: Any, qtbot: Any
) -> None:
    client = FakeClient(me="alice")
    for n in range(8):
        client.receive(f"C2Cpeer{n}", f"peer{n}", f"hello {n}")
    vm = ConversationListViewModel(client, NamesViewModel(client))
    client.subscribe(vm.on_event)
    await vm.load()
    pane = ConversationListWidget(vm)
    qtbot.addWidget(pane)
    pane.add_search_panel(SearchPanel())  # (as the window does: the list fits its matches)
    pane.resize(300, 600)
    pane.show()
    await settle(5)
    shown = Shown(pane.list)

    client.receive("C2Cnew", "newcomer", "hi")  # a chat arrives
    client.receive("C2Cpeer0", "peer0", "back on top")  # another moves up
    await until(lambda: vm.filtered.rowCount() == 9, what="the new chat")
    await settle(5)

    top = [vm.filtered.index(r, 0).data(ROW_ROLE).conversation_id for r in range(2)]
    assert top == ["C2Cpeer0", "C2Cnew"]
    assert pane.list.isVisible() and shown.count == 0
