"""The connection banner (A4): offline with "Reconnect now" when the server goes away,
gone again once it is back; and no flicker for a quick reconnect."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from messenger.core.backoff import Backoff
from messenger.ui.connection_banner import ConnectionBanner
from tests.helpers.fixtures import OwnServer
from tests.helpers.ids import uid
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until


class PatientBackoff(Backoff):
    """Waits five minutes between attempts: only "Reconnect now" brings the session back."""

    def next_delay(self) -> float:
        return 300.0


async def test_offline_banner_and_reconnect_now(
    own_server: OwnServer, make_shell: MakeShell
) -> None:
    server = own_server()
    shell = await make_shell(server=server.url, backoff=PatientBackoff)
    await signed_up(shell, uid("ned"))
    banner = shell.flow.banner
    await until(
        lambda: (
            shell.flow.account and shell.flow.account.client.connection_state.value == "connected"
        )
    )
    assert not banner.isVisible()
    server.kill()
    await until(lambda: banner.isVisible() and banner.state == "offline", what="offline banner")
    assert banner.label.text() == "Offline. Waiting to reconnect…"
    assert banner.button.isVisible() and banner.button.text() == "Reconnect now"
    server.start()  # same port; the client would wait 5 minutes on its own
    banner.button.click()
    await until(lambda: not banner.isVisible(), what="the banner to go")
    account = shell.flow.account
    assert account is not None and account.client.connection_state.value == "connected"


def test_a_quick_reconnect_does_not_flash_the_banner(qtbot: QtBot) -> None:
    banner = ConnectionBanner(grace_ms=60_000)
    qtbot.addWidget(banner)
    banner.show()
    banner.set_state("connecting")
    assert banner.isHidden()  # within the grace time
    banner.set_state("connected")
    assert banner.isHidden()
    banner.set_state("offline")
    assert banner.isVisible() and banner.button.isVisible()
    banner.set_state("connecting")  # a retry after being offline shows at once
    assert banner.isVisible() and not banner.button.isVisible()
    assert banner.label.text() == "Connecting…"


def test_connecting_shows_after_the_grace_time(qtbot: QtBot) -> None:
    banner = ConnectionBanner(grace_ms=20)
    qtbot.addWidget(banner)
    banner.show()
    banner.set_state("connecting")
    assert banner.isHidden()
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.label.text() == "Connecting…"
