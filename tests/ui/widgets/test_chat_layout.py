"""The chat's rows as a person sees them: line breaks kept, and every row measured for the
chat's current width (window resized, group panel shown or hidden, language switched), so no
bubble overlaps another, none is clipped, and no gap is left; the group panel folds away in a
narrow window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt

from messenger.ui.i18n import install_language
from messenger.ui.main_window import MainWindow
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.media import png
from tests.ui.helpers import chat_rows, open_chat, sent, settle, until
from tests.ui.qt_loop import qt_app

LONG = (
    "A rather long message that wraps over several lines when the chat is narrow, and fewer "
    "when it is wide: its height depends on the width of the chat. "
)
CHINESE = "这是一条很长的中文消息，用来检查在窄窗口里换行以后气泡的高度是否正确。" * 3


def row_problems(window: MainWindow) -> list[str]:
    """What is wrong with the laid-out rows: a height not measured for this width, a row
    overlapping the next or leaving a gap, a bubble beyond the viewport's right edge, a picture
    or card beyond its bubble."""
    pane = window.chat_pane
    assert pane is not None
    view = pane.view
    model = view.model()
    width = view.viewport().width()
    problems: list[str] = []
    previous_bottom: int | None = None
    for position in range(model.rowCount()):
        index = model.index(position, 0)
        rect = view.visualRect(index)
        geometry = view.delegate.geometry(index)
        assert geometry is not None
        if rect.height() != geometry.height:
            problems.append(f"row {position}: laid out {rect.height()} px, needs {geometry.height}")
        if previous_bottom is not None and rect.top() != previous_bottom + 1:
            problems.append(f"row {position}: starts at {rect.top()}, after {previous_bottom}")
        previous_bottom = rect.bottom()
        if geometry.bubble.right() > width or geometry.bubble.left() < 0:
            problems.append(f"row {position}: bubble {geometry.bubble} outside 0..{width}")
        for part, inner in (("picture", geometry.picture), ("card", geometry.card)):
            if inner is not None and not geometry.bubble.contains(inner):
                problems.append(f"row {position}: {part} {inner} beyond its bubble")
    return problems


async def laid_out(window: MainWindow) -> None:
    """Let the window's resize and layout events run, then check the rows."""
    await settle(10)
    await until(lambda: not row_problems(window), within=2, what=f"{row_problems(window)}")


async def test_line_breaks_typed_with_shift_enter_show_in_both_bubbles(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "hi")
    alice_window = await windows(alice)
    bob_window = await windows(bob)
    await open_chat(alice_window, "C2C" + bob_id)
    await open_chat(bob_window, "C2C" + alice_id)

    assert alice_window.chat_pane is not None
    edit = alice_window.chat_pane.composer.edit
    qtbot.keyClicks(edit, "first line")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "second")
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    for window in (alice_window, bob_window):
        await until(
            lambda w=window: "first line\nsecond" in [r.text for r in chat_rows(w)],
            what="the two-line message",
        )
        pane = window.chat_pane
        assert pane is not None
        model = pane.view.model()
        index = model.index(model.rowCount() - 1, 0)
        geometry = pane.view.delegate.geometry(index)
        assert geometry is not None and geometry.text is not None
        layout = geometry.text
        assert layout.lineCount() == 2
        first, second = layout.lineAt(0), layout.lineAt(1)
        assert layout.text()[second.textStart() :].strip() == "second"
        assert first.textLength() == len("first line\n")
        await laid_out(window)


async def test_rows_are_measured_again_for_every_width_of_the_chat(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", [bob_id])
    conversation = "GROUP" + group.group_id
    for n in range(4):
        await sent(bob, conversation, f"{n}: {LONG * (n + 1)}")
        await sent(alice, conversation, f"{n}: {CHINESE}")
    window = await windows(alice)
    window.resize(1500, 800)
    await open_chat(window, conversation)
    await until(lambda: len(chat_rows(window)) >= 8, what="the messages")
    await laid_out(window)
    pane = window.chat_pane
    assert pane is not None

    pane.header.panel_button.click()  # the group panel hidden: a wider chat
    await laid_out(window)
    pane.header.panel_button.click()  # shown again: narrower
    await laid_out(window)
    window.resize(900, 800)
    await laid_out(window)
    window.resize(1300, 800)
    await laid_out(window)

    app = qt_app()
    try:
        install_language(app, "zh_CN")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        await laid_out(window)
        window.resize(950, 800)
        await laid_out(window)
    finally:
        install_language(app, "en")


async def test_the_group_panel_folds_away_in_a_narrow_window_unless_asked_for(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", [bob_id])
    window = await windows(alice)
    window.resize(1400, 800)
    await open_chat(window, "GROUP" + group.group_id)
    panel, pane = window.group_panel, window.chat_pane
    assert panel is not None and pane is not None
    await until(panel.isVisible, what="the panel in a wide window")

    window.resize(800, 800)  # half a screen
    await until(lambda: not panel.isVisible(), what="the panel folded away")
    assert not pane.header.panel_button.isChecked()
    await settle(10)
    assert pane.view.width() > 400
    pane.header.panel_button.click()  # asked for: shown even so
    await until(panel.isVisible, what="the panel on request")

    window.resize(1400, 800)  # wide again: as the user left it there
    await until(panel.isVisible)
    pane.header.panel_button.click()
    await until(lambda: not panel.isVisible())
    window.resize(800, 800)
    window.resize(1400, 800)
    await settle(10)
    assert not panel.isVisible()  # hidden by the user, it stays hidden


async def test_a_picture_shrinks_with_a_narrow_chat_instead_of_overflowing_its_bubble(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    """A picture keeps its reserved size while the chat has room; in a narrow chat (the group
    panel open beside it) it shrinks, its shape kept, inside its bubble (it ran out of the
    bubble and was cut off by the chat's edge)."""
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", [bob_id])
    conversation = "GROUP" + group.group_id
    for name, owner in (("mine.png", alice), ("theirs.png", bob)):
        path = tmp_path / name
        path.write_bytes(png(1600, 1200))
        await owner.client.send_file(conversation, path, kind="image")
    window = await windows(alice)
    window.resize(1500, 800)
    await open_chat(window, conversation)
    await until(lambda: len([r for r in chat_rows(window) if r.picture]) == 2, what="pictures")
    await laid_out(window)
    pane = window.chat_pane
    assert pane is not None

    def pictures() -> list[Any]:
        view = pane.view
        model = view.model()
        found = []
        for position in range(model.rowCount()):
            geometry = view.delegate.geometry(model.index(position, 0))
            if geometry is not None and geometry.picture is not None:
                found.append(geometry.picture)
        return found

    assert [p.width() for p in pictures()] == [240, 240]  # the reserved size
    window.resize(760, 800)
    if not window.group_panel.isVisible():
        pane.header.panel_button.click()  # asked for: shown beside a narrow chat
    await laid_out(window)
    narrow = pictures()
    assert all(p.width() < 240 for p in narrow), narrow
    assert all(abs(p.width() / p.height() - 4 / 3) < 0.02 for p in narrow)  # the shape kept
