"""The composer in the window: mention completer, emoji, reply, and a draft that outlives the app."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from messenger.viewmodels.conversation_list import ROW_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, column, open_chat, sent, until


async def test_typing_at_opens_the_completer_and_enter_inserts_a_real_mention(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    await devices.sign_in(bob_id)
    carol = await devices.new(carol_id)
    await carol.client.register(carol_id, "pw-123456", "Carol Wang")
    await carol.client.login_with_password(carol_id, "pw-123456")
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Team", [bob_id, carol_id])
    chat_id = "GROUP" + group.group_id
    window = await windows(alice)
    await open_chat(window, chat_id)
    composer = window.chat_pane.composer
    await until(lambda: window.session.chat.composer.mentions.rowCount() == 3, what="members")

    qtbot.keyClicks(composer.edit, "thanks @Car")
    popup = composer.mentions
    await until(lambda: popup.isVisible() and popup.model.rowCount() == 1, what="the completer")
    await until(lambda: popup.model.candidate(0).name == "Carol Wang", what="her nickname")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)  # picks the mention, does not send
    assert composer.edit.toPlainText() == "thanks @Carol Wang "
    assert not popup.isVisible()
    qtbot.keyClicks(composer.edit, "for the slides")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)

    def received() -> Any:
        return next((m for m in carol.added(chat_id) if m.text.endswith("slides")), None)

    message = await devices.until(received)
    assert message.text == "thanks @Carol Wang for the slides"
    assert list(message.mentions) == [carol_id]


async def test_emoji_and_reply_go_into_the_message(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "lunch at noon?")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    pane = window.chat_pane
    composer = pane.composer

    [question] = chat_rows(window)
    [reply] = [a for a in pane.context_menu(question.key).actions() if a.objectName() == "reply"]
    reply.trigger()
    assert composer.reply_bar.isVisible()
    assert composer.reply_preview.text() == "lunch at noon?"
    qtbot.keyClicks(composer.edit, "yes ")
    composer.show_emoji()
    picker = composer.emoji_picker
    assert picker is not None and picker.isVisible()
    picker.search.setText("thumbs up")
    picker.choose(str(picker.model.index(0, 0).data()))
    assert composer.edit.toPlainText() == "yes 👍"
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)

    answer = await until(lambda: chat_rows(window)[-1].mine and chat_rows(window)[-1])
    assert (answer.text, answer.reply_text) == ("yes 👍", "lunch at noon?")
    assert not composer.reply_bar.isVisible()
    got = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.text == "yes 👍"]
    )
    assert got[0].reply_to is not None and got[0].reply_to.message_id == question.message.message_id


async def test_esc_cancels_the_reply(devices: Devices, windows: Any, qtbot: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await sent(bob, "C2C" + alice_id, "question")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    window.session.chat.reply(chat_rows(window)[0].key)
    composer = window.chat_pane.composer
    assert composer.reply_bar.isVisible()
    qtbot.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert not composer.reply_bar.isVisible() and window.session.chat.composer.reply_to is None


async def test_a_draft_survives_closing_the_app(devices: Devices, windows: Any, qtbot: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await alice.client.set_draft("C2C" + bob_id, "")  # the conversation exists, no draft
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    qtbot.keyClicks(window.chat_pane.composer.edit, "see you at")
    await devices.until_equal(lambda: alice.client.draft("C2C" + bob_id), "see you at")

    window.unbind()
    window.session = None
    window.close()
    again = await devices.reopen(alice)  # a new client on the same data folder
    reopened = await windows(again)
    row = column(reopened.session.conversations.model, ROW_ROLE)[0]
    assert (row.flag, row.preview) == ("[Draft]", "see you at")
    await open_chat(reopened, "C2C" + bob_id)
    assert reopened.chat_pane.composer.edit.toPlainText() == "see you at"
