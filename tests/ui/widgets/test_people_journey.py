"""Reaching somebody from an empty account, with no demo data: the new-chat dialog finds a user,
sends a friend request, the other account accepts it on its Contacts page, and the two chat.
Also the profile card behind a sender's avatar, remarks winning over nicknames, the block list
and editing my profile."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox, QPushButton

from messenger.core import MessageState
from messenger.protocol.models import AllowType
from messenger.protocol.social import Relation
from messenger.ui.avatars import has_avatar_image
from messenger.ui.edit_profile_dialog import EditProfileDialog
from messenger.ui.profile_card import AddFriendDialog, ProfileCardDialog
from messenger.viewmodels.people import USER_ID_ROLE
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, chat_texts, column, open_chat, until

LEFT = Qt.MouseButton.LeftButton


async def test_from_an_empty_account_find_someone_become_friends_and_chat(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    await bob.client.update_profile(nickname="Bob Builder")
    alice_window = await windows(alice)
    bob_window = await windows(bob)
    assert await alice.client.conversations() == [] and await alice.client.friends() == []

    # Alice: "+", search by nickname, the card, "Add friend", send the request.
    qtbot.mouseClick(alice_window.conversation_list.new_chat, Qt.MouseButton.LeftButton)
    dialog = await until(lambda: alice_window.new_chat_dialog, what="the new-chat dialog")
    qtbot.keyClicks(dialog.search, "Bob Build")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    await until(lambda: dialog.results.count() == 1, what="bob is found")
    assert dialog.card.user_id == bob_id and dialog.card.name.text() == "Bob Builder"
    assert dialog.card.add_button.isVisible()
    qtbot.mouseClick(dialog.card.add_button, Qt.MouseButton.LeftButton)
    request = await until(lambda: dialog.card.findChild(AddFriendDialog, "AddFriendDialog"))
    qtbot.keyClicks(request.remark, "Bobby")
    qtbot.mouseClick(request.send, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.notice.text() == "Request sent", what="the request is sent")
    dialog.close()

    # Bob: the rail says a request waits; the inbox shows it; accept with a remark.
    button = bob_window.contacts_button
    await until(lambda: button.property("badge") == 1, what="the badge")
    assert button.text() == "Contacts"  # the count is on the icon, the label stays whole
    assert button.accessibleName().startswith("1 new friend request")  # read aloud too
    qtbot.mouseClick(bob_window.contacts_button, Qt.MouseButton.LeftButton)
    contacts = bob_window.contacts
    assert bob_window.pages.currentWidget() is contacts
    qtbot.mouseClick(contacts.requests_button, Qt.MouseButton.LeftButton)
    panel = contacts.requests
    await until(lambda: panel.incoming.count() == 1)
    assert panel.incoming.item(0).text().startswith(alice_id)
    await until(lambda: button.property("badge") == 0, what="read")
    assert button.accessibleName() == "Contacts"
    qtbot.keyClicks(panel.remark, "Ally")
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.incoming.count() == 0, what="the inbox empties")
    await until(lambda: column(contacts.friends.model()) == ["Ally"], what="alice is a friend")

    # Alice: bob is in her friend list under her remark; opening him starts the chat.
    qtbot.mouseClick(alice_window.contacts_button, Qt.MouseButton.LeftButton)
    friends = alice_window.contacts.friends
    await until(lambda: column(friends.model()) == ["Bobby"], what="bob in alice's list")
    index = friends.model().index(0, 0)
    assert index.data(USER_ID_ROLE) == bob_id
    friends.activated.emit(index)
    chat = alice_window.session.chat
    await until(lambda: chat.current_conversation_id == "C2C" + bob_id and not chat._loading)
    assert alice_window.pages.currentWidget() is alice_window.chats_page
    assert alice_window.chat_pane.header.title.text() == "Bobby"  # the remark wins
    edit = alice_window.chat_pane.composer.edit
    qtbot.keyClicks(edit, "hi Bob, friends now!")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    await until(
        lambda: [r.state for r in chat_rows(alice_window)] == [MessageState.SENT], what="sent"
    )

    # Bob reads it; the list names alice by his remark.
    await open_chat(bob_window, "C2C" + alice_id)
    await until(lambda: chat_texts(bob_window) == ["hi Bob, friends now!"], what="bob reads it")
    model = bob_window.session.conversations.model
    await until(lambda: model.row(0).name == "Ally", what="the remark in the list")

    # Bob clicks alice's avatar: her card, with the actions a friend gets.
    key = chat_rows(bob_window)[-1].key
    assert bob_window.chat_pane.view.click_action(key, "profile")
    card_dialog = await until(lambda: bob_window.findChild(ProfileCardDialog, "ProfileCardDialog"))
    card = card_dialog.card
    assert card.user_id == alice_id and card.name.text() == "Ally"
    assert card.delete_button.isVisible() and not card.add_button.isVisible()
    qtbot.mouseClick(card.block_button, Qt.MouseButton.LeftButton)
    await until(lambda: bob.client.blocked_users(), what="alice is blocked")
    await until(lambda: card.block_button.text() == "Unblock")
    card_dialog.close()
    await until(lambda: not shiboken6.isValid(card_dialog), what="the card is closed")

    # The chat header's name opens the same card.
    qtbot.mouseClick(bob_window.chat_pane.header.title, Qt.MouseButton.LeftButton)
    again = await until(lambda: bob_window.findChild(ProfileCardDialog, "ProfileCardDialog"))
    assert again.card.user_id == alice_id and again.card.block_button.text() == "Unblock"
    again.close()


async def test_editing_my_profile_changes_what_my_friends_see(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    await alice.client.update_profile(allow_type=AllowType.ANYONE)
    await bob.client.add_friend(alice_id)
    window = await windows(alice)
    bob_window = await windows(bob)
    bob_list = bob_window.contacts.friends.model()
    await until(lambda: column(bob_list) == [alice_id])

    dialog = window.edit_profile()
    assert isinstance(dialog, EditProfileDialog)
    picture = QImage(300, 200, QImage.Format.Format_RGB32)
    picture.fill(QColor(20, 120, 220))
    cropper = dialog.avatar.crop_picture(picture)
    assert cropper is not None
    qtbot.keyClick(cropper.view, Qt.Key.Key_Minus)  # a smaller square than the offered one
    chosen = cropper.selection()
    assert chosen.width() < 200
    qtbot.mouseClick(cropper.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    await until(
        lambda: dialog.avatar.preview.pixmap().width() == chosen.width(), what="the preview"
    )
    dialog.nickname.clear()
    qtbot.keyClicks(dialog.nickname, "Alice Liddell")
    qtbot.keyClicks(dialog.signature, "down the rabbit hole")
    qtbot.keyClicks(dialog.status, "at tea")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    await until(lambda: not shiboken6.isValid(dialog), what="saved and closed")

    await until(lambda: column(bob_list) == ["Alice Liddell"], what="bob sees the new name")
    profile = (await bob.client.stored_profiles([alice_id]))[alice_id]
    assert profile.signature == "down the rabbit hole" and profile.avatar
    await until(lambda: has_avatar_image(alice_id), what="bob's window has her picture")
    people = bob_window.session.people
    await until(lambda: people.status_text(alice_id) == "online · at tea", what="her status")

    # A refused edit says why and keeps the dialog open.
    again = window.edit_profile()
    assert again is not None
    again.nickname.clear()
    qtbot.mouseClick(again.save, Qt.MouseButton.LeftButton)
    await until(lambda: again.error.text() != "", what="the refusal in words")
    assert again.isVisible()
    again.close()


async def test_the_card_sets_a_remark_and_deletes_a_friend_without_blocking(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    await bob.client.update_profile(allow_type=AllowType.ANYONE)
    await alice.client.add_friend(bob_id)
    window = await windows(alice)
    dialog = window.show_profile(bob_id)
    assert dialog is not None
    card = dialog.card
    await until(lambda: card.remark_button.isVisible(), what="a friend's card")

    qtbot.mouseClick(card.remark_button, Qt.MouseButton.LeftButton)
    ask = await until(lambda: card.findChild(QInputDialog, "AskTextBox"))
    ask.setTextValue("  The Builder ")
    ask.accept()
    await until(lambda: alice.client.remarks(), what="the remark is set")
    assert await alice.client.remarks() == {bob_id: "The Builder"}
    await until(lambda: card.name.text() == "The Builder", what="the card shows it")

    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)
    box = await until(lambda: card.findChild(QMessageBox, "ConfirmBox"))
    qtbot.mouseClick(box.findChild(QPushButton, "ConfirmButton"), Qt.MouseButton.LeftButton)
    await until(lambda: _no_friends(alice), what="bob is no longer a friend")
    await until(lambda: card.add_button.isVisible(), what="the card offers to add him again")
    dialog.close()


async def _no_friends(device: Any) -> bool:
    return bool(await device.client.friends() == [])


async def _open_inbox_with_a_request_from(
    devices: Devices, windows: Any, qtbot: Any, sender_id: str, receiver_id: str
) -> tuple[Any, Any]:
    sender = await devices.sign_in(sender_id)
    receiver = await devices.sign_in(receiver_id)
    await sender.client.add_friend(receiver_id)
    window = await windows(receiver)
    qtbot.mouseClick(window.contacts_button, LEFT)
    qtbot.mouseClick(window.contacts.requests_button, LEFT)
    panel = window.contacts.requests
    await until(lambda: panel.incoming.count() == 1, what="the request in the inbox")
    return sender, panel


async def test_accepting_one_way_adds_me_to_their_list_only(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, panel = await _open_inbox_with_a_request_from(devices, windows, qtbot, alice_id, bob_id)
    panel.both.setChecked(False)
    assert not panel.remark.isEnabled() and not panel.group.isEnabled()
    qtbot.mouseClick(panel.accept_button, LEFT)
    await until(lambda: panel.incoming.count() == 0, what="the inbox empties")
    assert await alice.client.relation(bob_id) == Relation.MINE
    assert [f.user_id for f in await alice.client.friends()] == [bob_id]
    assert column(panel.window().contacts.friends.model()) == []  # not in bob's list


async def test_accepting_both_ways_puts_them_in_the_friend_group_i_type(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, panel = await _open_inbox_with_a_request_from(devices, windows, qtbot, alice_id, bob_id)
    assert panel.both.isChecked()  # both ways unless I say otherwise
    qtbot.keyClicks(panel.group.lineEdit(), "Work")
    qtbot.mouseClick(panel.accept_button, LEFT)
    friends = panel.window().contacts.friends.model()
    await until(lambda: column(friends) == ["Work · 1", alice_id], what="alice under Work")
    print("COL", column(friends))
    assert await alice.client.relation(bob_id) == Relation.BOTH
    await until(lambda: panel.group.findText("Work") >= 0, what="the group is offered next time")


async def test_a_friend_request_is_answered_from_its_notice(devices: Devices, windows: Any) -> None:
    """System notifications: the request's notice offers Accept and Refuse while it waits (then
    only the asker's card), as a group's join request does."""
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    window = await windows(alice)
    await bob.client.add_friend(alice_id, note="hi, it's bob")
    await carol.client.add_friend(alice_id)
    await open_chat(window, "@TIM#SYSTEM")
    pane = window.chat_pane
    people = window.session.people

    def notice_of(who: str) -> Any:
        name = window.session.names.display(who)
        found = [r for r in chat_rows(window) if r.text.startswith(f"{name} wants to be")]
        return found[-1] if found else None

    bob_row = await until(lambda: notice_of(bob_id), what="bob's notice")
    carol_row = await until(lambda: notice_of(carol_id), what="carol's notice")
    await until(lambda: people.waiting_request_from(carol_id), what="the requests loaded")

    def actions(row: Any) -> dict[str, Any]:
        return {a.objectName(): a for a in pane.context_menu(row.key).actions()}

    assert {"accept_friend", "refuse_friend", "view_profile"} <= actions(bob_row).keys()
    actions(bob_row)["accept_friend"].trigger()
    await until(
        lambda: bob_id in [f.user_id for f in people.friend_list], what="bob among my friends"
    )
    assert await bob.client.relation(alice_id) == Relation.BOTH

    actions(carol_row)["refuse_friend"].trigger()
    await until(lambda: not people.waiting_request_from(carol_id), what="carol's request gone")
    assert carol_id not in [f.user_id for f in people.friend_list]
    # Answered: the notices keep only the way to the asker's card.
    for row in (bob_row, carol_row):
        names = actions(row).keys()
        assert "accept_friend" not in names and "view_profile" in names
