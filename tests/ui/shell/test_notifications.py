"""Desktop notifications and the tray badge (U2, C4), through the real app flow and server.

Each "nothing is shown" claim is proved by order: a message that must stay silent is followed
by one that must notify, and the first notification shown has to be the second one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from messenger.core.models import Conversation, LocalMessage
from messenger.protocol.ids import ConversationType
from messenger.protocol.models import RemindType
from messenger.ui.tray import app_icon
from messenger.viewmodels.notifications import Notification, NotificationsViewModel
from messenger.viewmodels.settings import Settings, SettingsViewModel
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.ui.shell.conftest import MakeShell, Shell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until


async def app_as(make_shell: MakeShell, user: str) -> tuple[Shell, list[Notification]]:
    shell = await make_shell()
    await signed_up(shell, user)
    shown: list[Notification] = []
    shell.flow.tray.notification_shown.connect(shown.append)
    return shell, shown


def focus(shell: Shell) -> None:
    shell.flow.window.activateWindow()


async def test_a_message_from_someone_else_notifies_mine_do_not(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("amy"), uid("bob")
    bob = await devices.sign_in(peer)
    shell, shown = await app_as(make_shell, me)
    account = shell.flow.account
    assert account is not None
    await account.client.send_text(f"C2C{peer}", "a note from me")
    await bob.client.send_text(f"C2C{me}", "hello from bob")
    first = await until(lambda: shown and shown[0], what="a notification")
    assert first.title == peer and first.body == "hello from bob"
    assert first.conversation_id == f"C2C{peer}" and first.sound


async def test_muted_group_is_silent_but_a_mention_gets_through(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("cal"), uid("deb")
    deb = await devices.sign_in(peer)
    shell, shown = await app_as(make_shell, me)
    account = shell.flow.account
    assert account is not None
    group = await deb.client.create_group("Muted team", [me])
    cid = f"GROUP{group.group_id}"
    notice = await until(lambda: shown and shown[0], what="the 'added to a group' notice")
    assert notice.title == "System notifications"
    assert notice.body == f"{peer} added you to Muted team"
    await until(lambda: account.client.conversation(cid), what="the group")
    await account.client.set_remind(cid, RemindType.SILENT)
    await deb.client.send_text(cid, "chatter nobody needs to see")
    await deb.client.send_text(cid, f"@{me} please look", mentions=[me])
    second = await until(lambda: len(shown) > 1 and shown[1], what="a second notification")
    assert second.title == "Muted team"
    assert second.body == f"{peer} mentioned you: @{me} please look"


async def test_not_for_the_conversation_open_in_the_focused_window(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer, other = uid("eli"), uid("fox"), uid("gil")
    fox, gil = await devices.sign_in(peer), await devices.sign_in(other)
    shell, shown = await app_as(make_shell, me)
    session = shell.flow.session
    assert session is not None
    await session.chat.open(f"C2C{peer}")
    focus(shell)
    await until(lambda: QApplication.activeWindow() is shell.flow.window, what="focus")
    await fox.client.send_text(f"C2C{me}", "you are reading this already")
    await gil.client.send_text(f"C2C{me}", "but not this")
    first = await until(lambda: shown and shown[0], what="a notification")
    assert first.title == other and first.body == "but not this"


async def test_the_catch_up_after_sign_in_does_not_notify_but_counts(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("hub"), uid("ian")
    ian = await devices.sign_in(peer)
    first = await make_shell()
    await signed_up(first, me)
    await first.close()  # the app is not running while messages arrive
    for n in range(3):
        await ian.client.send_text(f"C2C{me}", f"missed {n}")
    await until(lambda: len(ian.updated()) >= 3, what="sent")
    again = await make_shell(data=first.data)
    shown: list[Notification] = []
    again.flow.tray.notification_shown.connect(shown.append)
    await again.flow.start()  # resumes, then catches up
    tray = again.flow.tray
    await until(lambda: tray.unread == 3, what="the badge to count the missed messages")
    await ian.client.send_text(f"C2C{me}", "live one")
    note = await until(lambda: shown and shown[0], what="a notification")
    assert note.body == "live one"
    await until(lambda: tray.unread == 4)
    assert "4 unread" in tray.tool_tip()


async def test_the_tray_badge_follows_the_total_unread(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("jay"), uid("kai")
    kai: Device = await devices.sign_in(peer)
    shell, _ = await app_as(make_shell, me)
    tray = shell.flow.tray
    assert tray.unread == 0 and not red_badge(tray.icon())
    await kai.client.send_text(f"C2C{me}", "one")
    await kai.client.send_text(f"C2C{me}", "two")
    await until(lambda: tray.unread == 2, what="a badge of 2")
    assert red_badge(tray.icon())
    account = shell.flow.account
    assert account is not None
    await account.client.mark_read(f"C2C{peer}")
    await until(lambda: tray.unread == 0, what="the badge to clear")
    assert not red_badge(tray.icon())


def red_badge(icon: Any) -> bool:
    """Is the badge's red painted in the icon's top-right corner (at 2x, as on a HiDPI screen)?"""
    image = icon.pixmap(QSize(32, 32), 2.0).toImage()
    assert image.width() == 64  # painted for the device pixels, not scaled up
    pixel = QColor(image.pixel(image.width() - 10, 10))
    return pixel.red() > 180 and pixel.green() < 100 and pixel.blue() < 100


def test_the_badge_reads_the_count_and_caps_it(qapp: QApplication) -> None:
    assert not red_badge(app_icon(0))
    assert red_badge(app_icon(1)) and red_badge(app_icon(250))


# -- the view-model alone: coalescing and wording -------------------------------------------------


class FakeSession(QObject):
    messages_arrived = Signal(str, list)

    def __init__(self) -> None:
        super().__init__()
        self.user_id = "me"
        self.connection_state = "connected"


class FakeConversations:
    def __init__(self, *conversations: Conversation) -> None:
        self.known = {c.conversation_id: c for c in conversations}

    async def conversation(self, conversation_id: str) -> Conversation | None:
        return self.known.get(conversation_id)


def message(conversation_id: str, sender: str, text: str, seq: int) -> LocalMessage:
    group = conversation_id.startswith("GROUP")
    return LocalMessage(
        conversation_id=conversation_id,
        message_id=f"m{seq}",
        conv_type="group" if group else "c2c",
        target=conversation_id.removeprefix("GROUP") if group else "me",
        sender=sender,
        seq=seq,
        client_msg_id=f"c{seq}",
        time=seq,
        kind="text",
        body={"text": text},
    )


def notifications(settings: Settings | None = None) -> tuple[FakeSession, NotificationsViewModel]:
    session = FakeSession()
    team = Conversation(
        conversation_id="GROUPteam", type=ConversationType.GROUP, target="team", group_name="Team"
    )
    vm = NotificationsViewModel(
        session,
        FakeConversations(team),
        SettingsViewModel(settings or Settings(), lambda _s: None),
        lambda: False,
        name_of=lambda user, group: user.title(),
        coalesce_ms=30,
    )
    return session, vm


async def test_a_burst_becomes_one_notification() -> None:
    session, vm = notifications()
    shown: list[Notification] = []
    vm.notification_ready.connect(shown.append)
    session.messages_arrived.emit("C2Cbob", [message("C2Cbob", "bob", "one", 1)])
    session.messages_arrived.emit("C2Cbob", [message("C2Cbob", "bob", "two", 2)])
    session.messages_arrived.emit("GROUPteam", [message("GROUPteam", "ann", "three", 3)])
    await until(lambda: shown, what="a notification")
    assert len(shown) == 1
    assert shown[0].title == "3 new messages in 2 chats"
    assert shown[0].body == "Team: Ann: three\nBob: two"
    assert shown[0].conversation_id == ""


async def test_several_in_one_chat_and_no_preview() -> None:
    session, vm = notifications(Settings(notification_preview=False, notification_sound=False))
    shown: list[Notification] = []
    vm.notification_ready.connect(shown.append)
    session.messages_arrived.emit("C2Cbob", [message("C2Cbob", "bob", "secret 1", 1)])
    await until(lambda: shown)
    assert (shown[0].title, shown[0].body, shown[0].sound) == ("Bob", "New message", False)
    session.messages_arrived.emit(
        "C2Cbob", [message("C2Cbob", "bob", "secret 2", 2), message("C2Cbob", "bob", "secret 3", 3)]
    )
    await until(lambda: len(shown) == 2)
    assert shown[1].body == "2 new messages" and "secret" not in shown[1].body


async def test_notifications_off_or_not_live_show_nothing() -> None:
    session, vm = notifications(Settings(notifications=False))
    shown: list[Notification] = []
    vm.notification_ready.connect(shown.append)
    session.messages_arrived.emit("C2Cbob", [message("C2Cbob", "bob", "quiet", 1)])
    vm.flush()
    assert shown == [] and vm.context().enabled is False
    session2, vm2 = notifications()
    vm2.notification_ready.connect(shown.append)
    session2.connection_state = "connecting"  # catching up
    session2.messages_arrived.emit("C2Cbob", [message("C2Cbob", "bob", "old", 1)])
    session2.connection_state = "connected"
    session2.messages_arrived.emit("C2Cbob", [message("C2Cbob", "bob", "new", 2)])
    await until(lambda: shown)
    assert [n.body for n in shown] == ["new"]


async def test_an_edit_that_mentions_me_notifies_once(
    make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("ivy"), uid("jon")
    jon = await devices.sign_in(peer)
    shell, shown = await app_as(make_shell, me)
    account = shell.flow.account
    assert account is not None
    group = await jon.client.create_group("Edits", [me])
    cid = f"GROUP{group.group_id}"
    await until(lambda: shown and shown[0], what="the 'added to a group' notice")
    await until(lambda: account.client.conversation(cid), what="the group")
    await account.client.set_remind(cid, RemindType.SILENT)  # only a mention gets through
    echo = await jon.client.send_text(cid, "who takes the notes?")
    sent = await devices.until(
        lambda: [m for m in jon.updated() if m.client_msg_id == echo.client_msg_id and m.seq]
    )
    await jon.client.edit_message(sent[-1], f"@{me} takes the notes", mentions=[me])
    second = await until(lambda: len(shown) > 1 and shown[1], what="the mention by edit")
    assert second.body == f"{peer} mentioned you: @{me} takes the notes"
