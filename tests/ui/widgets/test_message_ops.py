"""The message operations in the app, through the real server: the message menu, forwarding
with the dialog, multi-select with its bar, merged forwards opened in their viewer, editing
with Up and Esc, reactions as chips, the pinned bar, delete for me."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QPushButton

from messenger.protocol.bodies import MergedBody
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import (
    chat_rows,
    chat_texts,
    left_release,
    open_chat,
    open_merged_card,
    sent,
    settle,
    until,
    viewer_texts,
)


def menu_names(pane: Any, key: str) -> list[str]:
    return [a.objectName() for a in pane.context_menu(key).actions() if a.objectName()]


def action(pane: Any, key: str, name: str) -> Any:
    found = [a for a in pane.context_menu(key).actions() if a.objectName() == name]
    return found[0] if found else None


def press(widget: Any, key: Qt.Key) -> None:
    QApplication.sendEvent(
        widget, QKeyEvent(QKeyEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
    )


async def test_the_menu_offers_every_operation_in_order(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "from bob")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    await window.session.chat.composer.send("from alice")
    mine = await until(lambda: [r for r in chat_rows(window) if r.mine and r.message.seq])
    theirs = next(r for r in chat_rows(window) if not r.mine)
    pane = window.chat_pane
    assert menu_names(pane, mine[0].key) == [
        "reply",
        "forward",
        "copy",
        "copy_link",
        "edit",
        "pin",
        "react",
        "select",
        "delete_for_me",
        "recall",
    ]
    assert menu_names(pane, theirs.key) == [
        "reply",
        "forward",
        "copy",
        "copy_link",
        "pin",
        "react",
        "select",
        "delete_for_me",
    ]
    QGuiApplication.clipboard().clear()
    action(pane, theirs.key, "copy_link").trigger()
    assert QGuiApplication.clipboard().text() == (
        f"messenger://message/C2C{bob_id}/{theirs.message.message_id}"
    )


async def test_forward_with_the_dialog_reaches_the_chosen_chats(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "worth sharing")
    await sent(alice, "C2C" + carol_id, "hi carol")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    [row] = chat_rows(window)
    pane = window.chat_pane
    action(pane, row.key, "forward").trigger()
    dialog = await until(lambda: pane.forward_dialog, what="the forward dialog")
    names = [dialog.chats.item(i).text() for i in range(dialog.chats.count())]
    assert len(names) == 2  # bob's chat and carol's, most recent first
    assert not dialog.send_button.isEnabled()
    dialog.search.setText(carol_id[:6])
    visible = [
        dialog.chats.item(i)
        for i in range(dialog.chats.count())
        if not dialog.chats.item(i).isHidden()
    ]
    assert [i.text() for i in visible] == [carol_id]
    dialog.check("C2C" + carol_id)
    dialog.comment.setText("look at this")
    assert dialog.send_button.isEnabled()
    dialog.accept()
    await devices.until_equal(
        lambda: carol.texts("C2C" + alice_id), ["hi carol", "look at this", "worth sharing"]
    )
    [copy] = [m for m in await carol.history("C2C" + alice_id) if m.text == "worth sharing"]
    assert copy.forwarded and copy.sender == alice_id


async def test_select_several_and_forward_them_as_one_chat_history(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    for text in ("first", "second", "third"):
        await sent(bob, "C2C" + alice_id, text)
    await sent(alice, "C2C" + carol_id, "hello")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    pane = window.chat_pane
    ops = window.session.chat.ops
    rows = chat_rows(window)
    action(pane, rows[0].key, "select").trigger()
    assert ops.selecting and pane.selection_bar.isVisible() and not pane.composer.isVisible()
    view = pane.view
    for row in (rows[2],):  # a click toggles a row
        rect = view.visualRect(window.session.chat.messages.index(2, 0))
        view.mouseReleaseEvent(left_release(rect.center()))
        assert row.key in ops.selected
    assert ops.selected == [rows[0].key, rows[2].key]
    assert pane.selection_bar.count.text() == "2 selected"
    QGuiApplication.clipboard().clear()
    pane.selection_bar.copy.click()
    assert "first" in QGuiApplication.clipboard().text()
    assert "third" in QGuiApplication.clipboard().text()
    assert not ops.selecting and not pane.selection_bar.isVisible()

    ops.start_selecting(rows[0].key)
    ops.toggle(rows[2].key)
    pane.selection_bar.merged.click()
    dialog = await until(lambda: pane.forward_dialog, what="the forward dialog")
    assert dialog.windowTitle() == "Forward as chat history"
    dialog.check("C2C" + carol_id)
    dialog.accept()
    card = await devices.until(
        lambda: [m for m in carol.added("C2C" + alice_id) if m.kind == "merged"]
    )
    body = card[0].content
    assert isinstance(body, MergedBody) and body.count == 2
    assert [line.split(": ", 1)[1] for line in body.preview] == ["first", "third"]

    # carol opens the card in her window: the viewer shows the two messages as bubbles
    carol_window = await windows(carol)
    await open_chat(carol_window, "C2C" + alice_id)
    [card_row] = [r for r in chat_rows(carol_window) if r.message.kind == "merged"]
    assert card_row.card == "merged" and card_row.card_lines[0] == body.title
    assert [line.split(": ", 1)[1] for line in card_row.card_lines[1:-1]] == ["first", "third"]
    viewer = await open_merged_card(carol_window)
    assert viewer_texts(viewer) == ["first", "third"]
    assert viewer.windowTitle() == body.title


async def test_up_edits_my_last_message_and_esc_cancels(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    composer = window.chat_pane.composer
    await window.session.chat.composer.send("see you at 7")
    await until(lambda: [r for r in chat_rows(window) if r.message.seq], what="sent")
    edit = composer.edit
    edit.setPlainText("")
    press(edit, Qt.Key.Key_Up)
    assert edit.toPlainText() == "see you at 7"
    assert composer.reply_bar.isVisible() and composer.reply_title.text() == "Edit message"
    press(edit, Qt.Key.Key_Escape)
    assert edit.toPlainText() == "" and not composer.reply_bar.isVisible()

    press(edit, Qt.Key.Key_Up)
    edit.setPlainText("see you at 8")
    press(edit, Qt.Key.Key_Return)
    await until(lambda: chat_texts(window) == ["see you at 8"], what="the new text")
    [row] = chat_rows(window)
    assert row.time_text.startswith("edited")
    await until(lambda: edit.toPlainText() == "", what="the box emptied")
    await devices.until_equal(lambda: bob.texts("C2C" + alice_id), ["see you at 8"])


async def test_reactions_show_as_chips_with_who_reacted(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "good news")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    [row] = chat_rows(window)
    pane = window.chat_pane
    react = action(pane, row.key, "react")
    emoji = next(a for a in react.menu().actions() if a.objectName() == "react:🎉")
    emoji.trigger()
    [chip] = await until(lambda: chat_rows(window)[0].reactions, what="a chip")
    assert (chip.emoji, chip.count, chip.mine) == ("🎉", 1, True)
    assert window.session.chat.ops.recent[0] == "🎉"
    [theirs] = await devices.until(
        lambda: [m for m in bob.updated() if m.reactions and m.text == "good news"]
    )
    await bob.client.react(theirs, "🎉")
    await until(lambda: chat_rows(window)[0].reactions[0].count == 2, what="bob's reaction")
    assert window.session.chat.ops.reacted_by(row.key, "🎉") == ["You", bob_id]
    geometry = pane.view.delegate.geometry(window.session.chat.messages.index(0, 0))
    assert geometry is not None and len(geometry.chips) == 1
    center = geometry.chips[0][0].center()
    index = window.session.chat.messages.index(0, 0)
    assert pane.view.delegate.hit(index, center.x(), center.y()) == "react:🎉"
    pane.view.action_clicked.emit("react:🎉", row.key)  # a click on my chip takes it back
    await until(lambda: chat_rows(window)[0].reactions[0].count == 1, what="taken back")
    assert not chat_rows(window)[0].reactions[0].mine


async def test_the_pinned_bar_shows_pins_and_jumps(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "the address is 1 Main St")
    await sent(bob, "C2C" + alice_id, "the code is 4711")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    pane = window.chat_pane
    assert not pane.pinned_bar.isVisible()
    first, second = chat_rows(window)
    action(pane, first.key, "pin").trigger()
    await until(pane.pinned_bar.isVisible, what="the pinned bar")
    assert pane.pinned_bar.text.text() == "the address is 1 Main St"
    assert pane.pinned_bar.title.text() == "Pinned message"
    assert action(pane, first.key, "unpin") is not None
    action(pane, second.key, "pin").trigger()
    await until(lambda: pane.pinned_bar.title.text() == "Pinned message 2 of 2")
    assert pane.pinned_bar.text.text() == "the code is 4711"
    pane.pinned_bar.clicked.emit()  # shows the newest, then points at the one before
    await until(lambda: pane.pinned_bar.title.text() == "Pinned message 1 of 2")
    await settle()
    # bob sees both pins (C2C pins are for both sides)
    await devices.until_equal(
        lambda: bob.client.pinned_messages("C2C" + alice_id),
        [first.message.message_id, second.message.message_id],
    )
    action(pane, first.key, "unpin").trigger()
    await until(lambda: pane.pinned_bar.title.text() == "Pinned message")


async def test_delete_for_me_takes_the_row_away_here_only(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "keep")
    await sent(bob, "C2C" + alice_id, "drop")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    drop = chat_rows(window)[1]
    pane = window.chat_pane
    action(pane, drop.key, "delete_for_me").trigger()
    box = await until(lambda: pane.delete_box, what="the question")
    box.reject()  # Cancel: nothing goes
    await settle()
    assert chat_texts(window) == ["keep", "drop"]
    action(pane, drop.key, "delete_for_me").trigger()
    await until(lambda: pane.delete_box is not box and pane.delete_box, what="asked again")
    pane.delete_box.findChild(QPushButton, "ConfirmButton").click()
    await until(lambda: chat_texts(window) == ["keep"], what="the row gone")
    assert await bob.texts("C2C" + alice_id) == ["keep", "drop"]


def _move(view: Any, point: QPoint) -> None:
    view.mouseMoveEvent(
        QMouseEvent(
            QMouseEvent.Type.MouseMove,
            QPointF(point),
            QPointF(view.viewport().mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )


async def test_the_hover_button_reacts_and_a_right_click_on_a_chip_names_who(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    alice = await devices.sign_in(alice_id)
    bobs_name, carols_name = f"Bob {uid('b')}", f"Carol {uid('c')}"  # (unique on the server)
    await bob.client.update_profile(nickname=bobs_name)
    await carol.client.update_profile(nickname=carols_name)
    group = await alice.client.create_group("Picnic", [bob_id, carol_id])
    chat = "GROUP" + group.group_id
    await sent(bob, chat, "sandwiches or salad?")
    window = await windows(alice)
    await open_chat(window, chat)
    said = "sandwiches or salad?"
    [row] = await until(lambda: [r for r in chat_rows(window) if r.text == said], what="bob's")
    pane = window.chat_pane
    view = pane.view
    model = window.session.chat.messages
    index = model.index(model.position(row.key), 0)
    rect = view.visualRect(index)
    geometry = view.delegate.geometry(index)
    assert geometry is not None
    bubble = geometry.bubble.translated(rect.left(), rect.top())

    # the pointer over the row: the button beside (not on) the bubble, on the row
    button = view.react_button
    assert not button.isVisible()
    _move(view, bubble.center().toPoint())
    assert button.isVisible() and button.key == row.key
    assert button.toolTip() == button.accessibleName() == "Add a reaction"
    assert button.x() >= bubble.right() and not button.geometry().intersects(bubble.toRect())
    assert rect.top() <= button.y() and button.geometry().bottom() <= rect.bottom()
    _move(view, QPoint(rect.center().x(), rect.bottom() + 400))  # below every row: gone
    assert not button.isVisible()

    _move(view, bubble.center().toPoint())
    button.click()
    bar = await until(lambda: pane.reaction_bar, what="the recent emoji")
    assert bar.isVisible()
    assert [b.text() for b in bar.buttons] == window.session.chat.ops.recent
    next(b for b in bar.buttons if b.text() == "😂").click()
    await until(lambda: [c.emoji for c in chat_rows(window)[-1].reactions] == ["😂"])
    assert window.session.chat.ops.recent[0] == "😂" and not bar.isVisible()

    # "…": the whole picker; a pick is a reaction too
    _move(view, bubble.center().toPoint())
    button.click()
    bar = await until(lambda: pane.reaction_bar is not bar and pane.reaction_bar)
    bar.more.click()
    picker = await until(lambda: pane.reaction_picker, what="the emoji picker")
    picker.choose("🥪")
    await until(lambda: len(chat_rows(window)[-1].reactions) == 2, what="the second emoji")
    assert window.session.chat.ops.recent[:2] == ["🥪", "😂"]

    # the others react; a right click on a chip lists every emoji with names, not IDs
    [theirs] = await devices.until(
        lambda: [m for m in carol.added(chat) if m.text == "sandwiches or salad?"]
    )
    await carol.client.react(theirs, "😂")
    await bob.client.react(theirs, "🥪")
    await until(
        lambda: [c.count for c in chat_rows(window)[-1].reactions] == [2, 2], what="four in all"
    )
    await until(lambda: window.session.names.display(carol_id) == carols_name)
    geometry = view.delegate.geometry(index)
    assert geometry is not None
    chip = geometry.chips[0][0].translated(rect.left(), rect.top()).center().toPoint()
    view.contextMenuEvent(
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, chip, view.viewport().mapToGlobal(chip))
    )
    popup = await until(lambda: pane.who_reacted, what="who reacted")
    assert popup.isVisible() and pane.menu is None  # the popup, not the message menu
    lines = popup.texts()
    assert lines == [f"😂 2 You, {carols_name}", f"🥪 2 You, {bobs_name}"]
    assert not any(user in " ".join(lines) for user in (alice_id, bob_id, carol_id))
    assert "reactions" in menu_names(pane, row.key)  # also in the message menu
