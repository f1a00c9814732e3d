"""Group journeys in the window, against the real server: create a group from the New group
dialog, add members, make an admin, mute (the muted member's composer says until when), kick,
leave; and the panel offers exactly what the role allows."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton

from messenger.protocol.models import GroupRole, GroupType, JoinOption, RemindType
from messenger.ui.avatars import has_avatar_image
from messenger.ui.group_dialogs import EditGroupDialog, NewGroupDialog
from messenger.viewmodels.group_actions import MemberAction, PanelAction
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, open_chat, until


def menu_names(panel: Any, user_id: str) -> list[str]:
    return [a.objectName() for a in panel.member_menu(user_id).actions()]


def trigger(panel: Any, user_id: str, name: str) -> None:
    menu = panel.member_menu(user_id)
    for action in menu.actions():
        if action.objectName() == name:
            action.trigger()
            return
        sub = action.menu()
        if sub is not None:
            for item in sub.actions():
                if item.objectName() == name:
                    item.trigger()
                    return
    raise AssertionError(f"no {name} in {[a.objectName() for a in menu.actions()]}")


def visible_buttons(panel: Any) -> set[str]:
    return {name.value for name, b in panel.buttons.items() if not b.isHidden()}


async def member_role(window: Any, user_id: str) -> Any:
    member = window.session.chat.group.members.member(user_id)
    return member.role if member else None


async def test_create_from_the_dialog_opens_the_chat_with_the_picked_members(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    window = await windows(alice)
    window.new_group()
    dialog = window.group_dialog
    assert isinstance(dialog, NewGroupDialog)
    dialog.name.setText("Launch")
    dialog.type.setCurrentIndex(dialog.type.findData(GroupType.PUBLIC))
    dialog.picker.search.setText(bob_id)
    await until(lambda: dialog.picker.list.count() == 1, what="bob is found")
    dialog.picker.choose(bob_id)
    assert dialog.picker.chips.text().count("×") == 1
    dialog.buttons.accepted.emit()
    chat = window.session.chat
    await until(lambda: chat.group_id and chat.group.info and chat.group.info.name == "Launch")
    await until(lambda: chat.group.members.member(bob_id) is not None, what="bob is listed")
    assert chat.group.info.type is GroupType.PUBLIC
    assert visible_buttons(window.group_panel) == {
        "name_card",
        "add_members",
        "edit",
        "mute_all",
        "requests",
        "dismiss",
    }, "the owner of a Public group: everything but leave"


async def test_admin_mute_kick_and_leave_from_the_panel(devices: Devices, windows: Any) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Crew", [bob_id, carol_id], type=GroupType.MEETING)
    chat_id = "GROUP" + group.group_id
    await devices.until(lambda: bob.client.user_id and carol.client.user_id)
    owner_window = await windows(alice)
    await open_chat(owner_window, chat_id)
    panel = owner_window.group_panel
    vm = owner_window.session.chat.group
    await until(lambda: vm.members.member(carol_id), what="members are loaded")
    assert menu_names(panel, bob_id) == ["mention", "mute", "set_admin", "kick", "transfer"]
    assert menu_names(panel, alice_id) == [], "nothing on myself"

    trigger(panel, bob_id, "set_admin")
    await until(lambda: vm.members.member(bob_id).role is GroupRole.ADMIN, what="bob is admin")
    assert "unset_admin" in menu_names(panel, bob_id)

    trigger(panel, carol_id, "mute_600")
    await until(lambda: vm.members.member(carol_id).mute_until > 0, what="carol is muted")
    assert "unmute" in menu_names(panel, carol_id)

    carol_window = await windows(carol)
    await open_chat(carol_window, chat_id)
    pane = carol_window.chat_pane
    await until(lambda: pane.mute_notice.isVisible(), what="carol sees why she cannot send")
    assert pane.mute_notice.text().startswith("You are muted until")
    assert not pane.composer.isVisible()
    assert visible_buttons(carol_window.group_panel) == {"name_card", "leave"}
    assert menu_names(carol_window.group_panel, bob_id) == ["mention"]

    carol_window.group_panel.buttons[PanelAction.NAME_CARD].click()
    carol_window.group_panel.dialog.setTextValue("Carol 卡片")
    carol_window.group_panel.dialog.accept()
    await until(
        lambda: (
            vm.members.member(carol_id) and vm.members.member(carol_id).name_card == "Carol 卡片"
        ),
        what="the owner sees carol's new name card",
    )

    trigger(panel, carol_id, "kick")
    panel.dialog.setTextValue("bye")
    panel.dialog.accept()
    await until(lambda: vm.members.member(carol_id) is None, what="carol is gone")

    bob_window = await windows(bob)
    await open_chat(bob_window, chat_id)
    bob_panel = bob_window.group_panel
    await until(lambda: "leave" in visible_buttons(bob_panel), what="bob's panel is ready")
    assert MemberAction.KICK not in bob_window.session.chat.group.member_actions(alice_id)
    bob_panel.buttons[PanelAction.LEAVE].click()
    box = bob_panel.dialog
    assert isinstance(box, QMessageBox)
    yes = box.findChild(QPushButton, "ConfirmButton")
    assert yes is not None
    yes.click()
    await until(lambda: vm.members.member(bob_id) is None, what="bob left")
    assert vm.info.member_count == 1


async def test_approve_a_join_request_from_its_notice(devices: Devices, windows: Any) -> None:
    alice_id, eve_id = uid("alice"), uid("eve")
    alice = await devices.sign_in(alice_id)
    eve = await devices.sign_in(eve_id)
    group = await alice.client.create_group(
        "Open door", type=GroupType.PUBLIC, join_option=JoinOption.APPROVAL
    )
    window = await windows(alice)
    await eve.client.join_group(group.group_id, "let me in")
    await devices.until(
        lambda: [
            m for m in alice.added("@TIM#SYSTEM") if m.body.get("notice") == "join_application"
        ]
    )
    await open_chat(window, "@TIM#SYSTEM")
    rows = await until(
        lambda: [r for r in chat_rows(window) if "asks to join" in r.text],
        what="the request shows in words",
    )
    assert "let me in" in rows[-1].text
    names = [a.objectName() for a in window.chat_pane.context_menu(rows[-1].key).actions()]
    assert names[-2:] == ["approve", "refuse"]
    approve = window.chat_pane.context_menu(rows[-1].key).actions()[-2]
    approve.trigger()
    await devices.until(
        lambda: [
            m for m in eve.added("@TIM#SYSTEM") if m.body.get("notice") == "application_approved"
        ],
        what="eve is told",
    )
    page = await eve.client.members(group.group_id)
    assert eve_id in [m.user_id for m in page.members]


async def test_the_panel_counts_who_is_online_and_dots_follow_members_coming_online(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    await devices.close(carol)  # carol has an account but no device connected
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Night shift", [bob_id, carol_id])
    window = await windows(alice)
    await open_chat(window, "GROUP" + group.group_id)
    count = window.group_panel.count
    vm = window.session.chat.group

    def counted(online: int) -> bool:  # (the plural is the catalogue's: "3 members" or not)
        text: str = count.text()
        shown: int | None = vm.online
        return shown == online and text.startswith("3 ") and text.endswith(f" · {online} online")

    await until(lambda: counted(2), what="two of three online", within=30)
    people = window.session.people
    await until(
        lambda: people.is_online(bob_id), what="bob's dot (not a friend of alice)", within=30
    )
    assert not people.is_online(carol_id)

    await devices.sign_in(carol_id)  # carol opens the app: her dot and the count follow
    await until(lambda: people.is_online(carol_id), what="carol's dot", within=30)
    await until(lambda: counted(3), what="the count follows", within=30)


async def test_a_live_rooms_header_and_panel_follow_the_pushed_online_count(
    devices: Devices, windows: Any
) -> None:
    host_id, bob_id = uid("host"), uid("bob")
    host = await devices.sign_in(host_id)
    room = await host.client.create_group("Concert", type=GroupType.AVCHATROOM)
    window = await windows(host)
    await open_chat(window, "GROUP" + room.group_id)
    header = window.chat_pane.header.subtitle
    count = window.group_panel.count

    def shown(members: int, online: int) -> bool:  # (the plurals are the catalogue's)
        for text in (header.text(), count.text()):
            if not (text.startswith(f"{members} ") and text.endswith(f" · {online} online")):
                return False
        return True

    await until(lambda: shown(1, 1), what="the host alone", within=30)
    bob = await devices.sign_in(bob_id)
    await bob.client.join_group(room.group_id)  # joins make no tip: the push tells
    await until(lambda: shown(2, 2), what="bob is counted", within=30)
    await devices.close(bob)
    await until(lambda: shown(2, 1), what="bob went offline", within=30)


def accept_cropper(dialog: Any, picture: QImage) -> None:
    cropper = dialog.avatar.crop_picture(picture)
    assert cropper is not None
    cropper.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def coloured(colour: QColor, width: int = 240, height: int = 160) -> QImage:
    picture = QImage(width, height, QImage.Format.Format_RGB32)
    picture.fill(colour)
    return picture


async def test_a_group_gets_a_picture_at_creation_and_a_new_one_and_join_rule_from_edit(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    window = await windows(alice)
    bob_window = await windows(bob)
    window.new_group()
    dialog = window.group_dialog
    assert isinstance(dialog, NewGroupDialog)
    dialog.name.setText("Painters")
    dialog.type.setCurrentIndex(dialog.type.findData(GroupType.PUBLIC))
    accept_cropper(dialog, coloured(QColor(200, 40, 40)))
    assert dialog.avatar.png  # previewed, uploaded on Create
    dialog.picker.search.setText(bob_id)
    await until(lambda: dialog.picker.list.count() == 1, what="bob is found")
    dialog.picker.choose(bob_id)
    dialog.buttons.accepted.emit()
    chat = window.session.chat
    await until(lambda: chat.group.info and chat.group.info.avatar, what="the group's avatar")
    key = chat.current_conversation_id
    assert key.startswith("GROUP")
    await until(lambda: has_avatar_image(key), what="the list shows the picture")
    info = chat.group.info
    assert info is not None and info.join_option is JoinOption.APPROVAL

    panel = window.group_panel
    panel.edit_group()
    edit = panel.dialog
    assert isinstance(edit, EditGroupDialog) and edit.join_option.isEnabled()
    edit.join_option.setCurrentIndex(edit.join_option.findData(JoinOption.FREE))
    accept_cropper(edit, coloured(QColor(40, 40, 200)))
    first = info.avatar
    edit.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    await until(lambda: chat.group.info.join_option is JoinOption.FREE, what="anyone may join")
    assert chat.group.info.avatar not in ("", first)
    group_id = chat.group.info.group_id
    found = await bob.client.group(group_id)
    assert found.avatar == chat.group.info.avatar
    bob_names = bob_window.session.group_avatars
    await until(lambda: bob_names.get(key) == found.avatar, what="bob's app learns it")


async def test_the_panel_sets_how_the_groups_messages_reach_me(
    devices: Devices, windows: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Quiet room", [bob_id])
    conversation_id = "GROUP" + group.group_id
    window = await windows(alice)
    await open_chat(window, conversation_id)
    panel = window.group_panel
    remind = panel.remind
    await until(lambda: not remind.isHidden() and remind.currentText() == "Notify")
    assert [remind.itemText(i) for i in range(remind.count())] == [
        "Notify",
        "Receive silently",
        "Block",
    ]

    remind.setCurrentIndex(remind.findData(RemindType.SILENT.value))

    async def stored() -> RemindType | None:
        for conversation in await alice.client.conversations():
            if conversation.conversation_id == conversation_id:
                return conversation.remind
        return None

    await until(lambda: _is(stored(), RemindType.SILENT), what="silent, through the server")
    row = window.session.conversations.model.conversation(conversation_id)
    assert row is not None and row.remind is RemindType.SILENT  # the list shows it muted

    # Changed from the conversation list's menu: the panel follows.
    await window.session.conversations.set_remind(conversation_id, RemindType.BLOCK)
    await until(lambda: remind.currentText() == "Block", what="the panel follows the list")


async def _is(value: Any, expected: Any) -> bool:
    return bool(await value == expected)


async def test_the_member_list_fits_the_panel_without_a_sideways_scroll_bar(
    devices: Devices, windows: Any
) -> None:
    """Members span the panel's width, long names elided: no horizontal scroll bar under them
    (one showed at the panel's own width)."""
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    group = await alice.client.create_group("Night shift", [bob_id])
    window = await windows(alice)
    window.resize(1200, 700)
    await open_chat(window, "GROUP" + group.group_id)
    panel = window.group_panel
    members = panel.members
    await until(lambda: members.model().rowCount() == 2 and members.isVisible(), what="members")
    for width in (200, 240, 320):
        window._splitter.setSizes([300, 1200 - 300 - width, width])
        await until(lambda: members.viewport().width() > 0)
        assert not members.horizontalScrollBar().isVisible(), f"at {panel.width()} px"
        row = members.visualRect(members.model().index(0, 0))
        assert row.width() >= members.viewport().width() - 1  # the row spans the list
