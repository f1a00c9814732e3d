# ruff: noqa: F821, F722, UP037 - dbus-fast reads D-Bus signatures from string annotations
# mypy: disable-error-code="name-defined, valid-type, no-untyped-def, unused-ignore"
"""Notifications through the desktop's notification service (U2): on a private D-Bus session
bus (a real ``dbus-daemon``) a small stand-in for the freedesktop notification service takes
them; the app's notification must arrive with the right title and body, and invoking its
default action (a click) must open the chat. No system tray is needed for any of it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until

pytestmark = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None, reason="dbus-daemon (make test installs it)"
)


class FakeNotificationService(ServiceInterface):
    """org.freedesktop.Notifications, as far as a client sees it."""

    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.received: list[dict[str, Any]] = []

    @method()
    def GetCapabilities(self) -> "as":
        return ["actions", "body", "icon-static"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["messenger-tests", "messenger", "1.0", "1.2"]

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        self.received.append(
            {"app": app_name, "title": summary, "body": body, "actions": list(actions)}
        )
        return len(self.received)

    @method()
    def CloseNotification(self, nid: "u"):  # type: ignore[no-untyped-def]
        pass

    @signal()
    def ActionInvoked(self, nid: int, key: str) -> "us":
        return [nid, key]  # type: ignore[return-value]

    @signal()
    def NotificationClosed(self, nid: int, reason: int) -> "uu":
        return [nid, reason]  # type: ignore[return-value]


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private session bus of this test (a real dbus-daemon)."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    daemon.terminate()
    daemon.wait(10)


@pytest.fixture
async def service(session_bus: str) -> AsyncIterator[FakeNotificationService]:
    bus = await MessageBus(bus_address=session_bus).connect()
    fake = FakeNotificationService()
    bus.export("/org/freedesktop/Notifications", fake)
    await bus.request_name("org.freedesktop.Notifications")
    yield fake
    bus.disconnect()


async def test_a_message_notifies_through_the_service_and_a_click_opens_the_chat(
    service: FakeNotificationService, make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("nia"), uid("oto")
    oto = await devices.sign_in(peer)
    shell = await make_shell()
    await signed_up(shell, me)
    session = shell.flow.session
    assert session is not None
    assert session.chat.current_conversation_id != f"C2C{peer}"
    await oto.client.send_text(f"C2C{me}", "are you there?")
    note = await until(lambda: service.received and service.received[0], what="a notification")
    assert note["app"] == "Messenger"
    assert (note["title"], note["body"]) == (peer, "are you there?")
    assert "default" in note["actions"]  # clickable
    # the service took it (the tray's balloon stays for when there is none)
    await until(lambda: shell.flow.notifier.sent == 1, what="the service's answer")

    service.ActionInvoked(1, "default")  # the user clicks it
    await until(
        lambda: session.chat.current_conversation_id == f"C2C{peer}", what="the chat opened"
    )
    assert shell.flow.window.isVisible()


async def test_without_a_notification_service_the_tray_takes_over(
    session_bus: str, make_shell: MakeShell, devices: Devices
) -> None:
    me, peer = uid("pia"), uid("quo")
    quo = await devices.sign_in(peer)
    shell = await make_shell()
    await signed_up(shell, me)
    shown: list[Any] = []
    shell.flow.tray.notification_shown.connect(shown.append)
    await quo.client.send_text(f"C2C{me}", "anyone?")
    note = await until(lambda: shown and shown[0], what="the tray's notification")
    assert note.body == "anyone?"
    assert shell.flow.notifier.sent == 0
