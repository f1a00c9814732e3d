"""A returning account's launch: the conversation list is on the screen, from the store, before
anything goes over the network; the connection follows at once, with no "Offline" bar between."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from messenger.ui.conversation_list_view import ConversationListView
from tests.helpers.ids import uid
from tests.ui.shell.conftest import MakeShell, Shell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until


@dataclass
class Seen:
    rows: int
    connection: str
    banner: bool


class ListPaints(QObject):
    """Every paint of a conversation list: its rows, the connection and the banner then."""

    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.seen: list[Seen] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = watched.parent()
        if event.type() == QEvent.Type.Paint and isinstance(view, ConversationListView):
            account = self.shell.flow.account
            model = view.model()
            self.seen.append(
                Seen(
                    rows=model.rowCount() if model is not None else 0,
                    connection=account.client.connection_state.value if account else "",
                    banner=self.shell.flow.banner.isVisible(),
                )
            )
        return False


async def test_a_returning_launch_shows_the_list_then_connects_without_an_offline_bar(
    make_shell: MakeShell,
) -> None:
    first = await make_shell()
    user, friend = uid("liz"), uid("max")
    other = await make_shell()
    await signed_up(other, friend)
    await signed_up(first, user)
    account = first.flow.account
    assert account is not None
    await account.client.send_text("C2C" + friend, "see you tomorrow")
    await first.close()

    again = await make_shell(data=first.data)
    paints = ListPaints(again)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(paints)
    try:
        await again.flow.start()
        resumed = again.flow.account
        assert resumed is not None
        await until(lambda: resumed.client.connection_state.value == "connected", what="connected")
    finally:
        app.removeEventFilter(paints)

    with_rows = [seen for seen in paints.seen if seen.rows]
    assert with_rows, "the list was never painted with its conversation"
    assert with_rows[0].connection == "connecting"  # painted before the network was used
    assert not any(seen.banner for seen in paints.seen)  # no "Offline" flash on the way
