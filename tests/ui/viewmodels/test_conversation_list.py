"""The conversation list view-model against the real server: what the user sees in the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from messenger.protocol.models import RemindType
from messenger.viewmodels.conversation_list import ROW_ROLE
from messenger.viewmodels.conversation_rows import ConversationRow
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.conftest import Sessions
from tests.ui.helpers import column, sent, until


def rows(session) -> list[ConversationRow]:  # type: ignore[no-untyped-def]
    return column(session.conversations.model, ROW_ROLE)


async def test_the_list_shows_names_previews_and_badges_and_follows_live_changes(
    devices: Devices, sessions: Sessions, qtmodeltester: ModelTester
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.new(bob_id)
    await bob.client.register(bob_id, "pw-123456", "Bob <b>Builder</b>")
    await bob.client.login_with_password(bob_id, "pw-123456")
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "hello <img src=x>")
    await sent(carol, "C2C" + alice_id, "lunch?")
    await until(lambda: len(alice.added("C2C" + carol_id)) == 1)

    session = await sessions(alice)
    model = session.conversations.model
    qtmodeltester.check(model)
    await until(
        lambda: [r.name for r in rows(session)] == [carol_id, "Bob <b>Builder</b>"],
        what=str(rows(session)),
    )
    bob_row = rows(session)[1]
    assert (bob_row.preview, bob_row.badge, bob_row.flag) == ("hello <img src=x>", 1, "")

    resets, moves = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsMoved.connect(lambda *a: moves.append(a))
    await sent(bob, "C2C" + alice_id, "again")  # Bob's chat moves to the top
    await until(lambda: rows(session)[0].name == "Bob <b>Builder</b>")
    assert rows(session)[0].badge == 2 and rows(session)[0].preview == "again"
    await session.conversations.pin("C2C" + carol_id)  # pinned first
    await until(lambda: rows(session)[0].pinned and rows(session)[0].name == carol_id)
    await session.conversations.set_remind("C2C" + bob_id, RemindType.SILENT)
    await until(lambda: rows(session)[1].muted)
    await session.conversations.hide("C2C" + carol_id)
    await until(lambda: [r.name for r in rows(session)] == ["Bob <b>Builder</b>"])
    assert resets == [] and len(moves) >= 2
    qtmodeltester.check(model)
    qtmodeltester.check(session.conversations.filtered)
    assert model.index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "Bob <b>Builder</b>"
