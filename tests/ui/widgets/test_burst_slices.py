"""A big batch of messages is measured a slice per turn of the event loop: the rows on screen
first, the rows above them after (then added in one step), and a page loaded on scrolling up
the same way. Every message is shown once, in order, and the place on screen does not move."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer

from messenger.ui.chat_view import ChatView
from messenger.ui.message_layout import RowGeometry
from messenger.viewmodels.chat import LIVE_TAIL, PAGE, ChatViewModel
from messenger.viewmodels.message_list import SLICE
from messenger.viewmodels.message_rows import MessageRow
from messenger.viewmodels.names import NamesViewModel
from tests.helpers.fake_client import FakeClient
from tests.ui.helpers import settle, until


class MeasuredPerTurn(QObject):
    """Rows the view measures (lays out for the first time) between two turns of the event
    loop, as a 0 ms timer sees them, and the turns in which it painted."""

    def __init__(self, view: ChatView) -> None:
        super().__init__()
        self.count = 0
        self.turns: list[int] = []
        self.painting: list[int] = []  # rows measured in each turn the view painted in
        self._seen = 0
        self._painted = False
        view.viewport().installEventFilter(self)
        layouts = view.delegate.layouts
        measure = layouts._measure

        def counted(row: MessageRow, width: int) -> RowGeometry:
            self.count += 1
            return measure(row, width)

        layouts._measure = counted  # type: ignore[method-assign]
        self._timer = QTimer(interval=0)
        self._timer.timeout.connect(self._turn)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._painted = True
        return False

    def _turn(self) -> None:
        if self._painted:
            self.painting.append(self.count - self._seen)
            self._painted = False
        if self.count != self._seen:
            self.turns.append(self.count - self._seen)
            self._seen = self.count

    def stop(self) -> None:
        self._timer.stop()


def texts(chat: ChatViewModel) -> list[str]:
    model = chat.messages
    return [model.row(i).text for i in range(model.rowCount())]


async def test_a_burst_and_the_page_above_it_are_laid_out_a_slice_per_turn(
    qapp: Any, qtbot: Any
) -> None:
    client = FakeClient(me="alice")
    client.add_conversation("C2Cbob")
    for n in range(30):
        client.receive("C2Cbob", "bob", f"before {n}")
    names = NamesViewModel(client)
    chat = ChatViewModel(client, names)
    client.subscribe(chat.on_event)
    view = ChatView(chat)
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    await chat.open("C2Cbob")
    await chat.jump_to_latest()  # (it opened at the first unread one)
    await until(lambda: chat._visible[0] >= 0 and chat._at_bottom, what="at the bottom")
    shown = chat._visible[1] - chat._visible[0] + 1
    measured = MeasuredPerTurn(view)

    client.receive_many("C2Cbob", "bob", [f"burst {n}" for n in range(500)])
    await until(lambda: not chat.messages.filling, what="the rows above laid out")
    await settle(5)

    tail = min(PAGE, max(LIVE_TAIL, 2 * shown))
    assert texts(chat) == [f"burst {n}" for n in range(500 - tail, 500)]
    # The screen's rows (and two), then the rest above them, a slice per turn; with a slice
    # the row that was first (now below another, it may look different).
    assert all(n <= SLICE + 1 for n in measured.turns), measured.turns
    assert tail <= sum(measured.turns) <= tail + len(measured.turns) - 1
    # The turns that paint measure nothing new (but that row): each turn is a few ms.
    assert measured.painting and all(n <= 1 for n in measured.painting), measured.painting
    assert view.at_bottom()

    # Scrolling up: a page from the store above, laid out a slice per turn, without a jump.
    measured.turns.clear()
    insertions: list[int] = []
    chat.messages.rowsInserted.connect(lambda _p, first, last: insertions.append(last - first + 1))
    top_key = texts(chat)[0]
    view.verticalScrollBar().setValue(0)
    top = view.visualRect(view.model().index(0, 0)).top()
    await until(lambda: chat.messages.rowCount() == tail + PAGE, what="an older page")
    await until(lambda: not chat.messages.filling, what="the page laid out")
    await settle(5)
    measured.stop()
    assert texts(chat) == [f"burst {n}" for n in range(500 - tail - PAGE, 500)]
    assert measured.turns and all(n <= SLICE + 1 for n in measured.turns), measured.turns
    assert all(n <= 1 for n in measured.painting), measured.painting
    assert insertions == [PAGE]  # measured ahead, added in one step (one layout)
    row = next(i for i, text in enumerate(texts(chat)) if text == top_key)
    assert view.visualRect(view.model().index(row, 0)).top() == top
