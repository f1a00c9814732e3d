"""``messenger --self-test``: is this installation whole? Checks what a first launch needs.

Qt starts (platform plugin), both translations load, the app icon paints, the local server
starts in a temporary folder (its own process, as the app starts it), an account signs up, one
device sends a message to the account's own chat and a second device of the same account
receives it through the server, and a small file is uploaded by one device and downloaded by the
other, byte for byte. Each step prints ``ok <step>``; the first failure prints
``FAILED <step>: <why>`` and the exit code is 1. The temporary folder is removed at the end
(once the local server has stopped). Used by the installers' tests on a frozen build.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from messenger.app.local_server import LocalServer, served
from messenger.core import Client, LocalMessage, MessageState
from messenger.core.events import Event, MessagesAdded, MessageUpdated

USER_ID = "self-test"
STEP_TIMEOUT = 30.0
SERVER_IDLE_EXIT = 0.5  # seconds: the local server stops soon after the self-test leaves it


class SelfTestFailed(Exception):
    """A step of the self-test went wrong (the message says what)."""


class SelfTest:
    def __init__(self, root: Path, out: TextIO) -> None:
        self.root = root
        self.out = out
        self.local = LocalServer(root / "server", idle_exit=SERVER_IDLE_EXIT)
        self.clients: list[Client] = []

    async def run(self) -> int:
        steps: list[tuple[str, Callable[[], Awaitable[str]]]] = [
            ("qt", self.qt),
            ("translations", self.translations),
            ("icon", self.icon),
            ("server", self.server),
            ("sign-up", self.sign_up),
            ("message", self.message),
            ("media", self.media),
        ]
        try:
            for name, step in steps:
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(STEP_TIMEOUT):
                        detail = await step()
                except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
                    why = str(exc) if isinstance(exc, SelfTestFailed) else repr(exc)
                    self._say(f"FAILED {name}: {why}")
                    return 1
                took = time.perf_counter() - started
                self._say(f"ok {name} ({took:.2f} s){': ' + detail if detail else ''}")
        finally:
            for client in self.clients:
                await client.aclose()
            self.local.stop()
            await asyncio.to_thread(self._wait_for_server_exit)
        self._say("self-test passed")
        return 0

    def _wait_for_server_exit(self, timeout: float = 15.0) -> None:
        """The local server is its own process: let it stop before its folder is removed."""
        deadline = time.monotonic() + timeout
        while self.local.started and served(self.local.server_dir):
            if time.monotonic() > deadline:
                self._say("warning: the local server did not stop; its folder may remain")
                return
            time.sleep(0.1)

    def _say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    # -- the steps (each returns a short detail for its "ok" line) -------------------------------
    async def qt(self) -> str:
        from PySide6.QtGui import QGuiApplication

        app = QGuiApplication.instance()
        if app is None:
            raise SelfTestFailed("no QApplication")
        return f"platform {QGuiApplication.platformName()}"

    async def translations(self) -> str:
        from PySide6.QtCore import QTranslator

        from messenger.ui import i18n

        missing = [
            language
            for language in i18n.LANGUAGES
            if not QTranslator().load(str(i18n.QM_DIR / f"messenger_{language}.qm"))
        ]
        if missing:
            raise SelfTestFailed(f"no compiled translation for {', '.join(missing)}")
        return ", ".join(i18n.LANGUAGES)

    async def icon(self) -> str:
        from PySide6.QtGui import QGuiApplication

        from messenger.ui.tray import app_icon

        image = app_icon().pixmap(64, 64).toImage()
        centre = image.pixelColor(32, 8)  # inside the blue square, above the bubble
        if image.isNull() or centre.alpha() == 0:
            raise SelfTestFailed("the app icon painted nothing")
        if QGuiApplication.windowIcon().isNull():
            raise SelfTestFailed("the application has no window icon")
        return ""

    async def server(self) -> str:
        """The local server, started as the app starts it (its own process, this executable)."""
        url = await self.local.url()
        if not self.local.started:
            raise SelfTestFailed(f"a server already ran in the fresh folder ({url})")
        return url

    async def sign_up(self) -> str:
        url = await self.local.url()
        self.password = secrets.token_urlsafe(12)
        sender = await self._device("sender", url)
        await sender.register(USER_ID, self.password, nickname="Self-test")
        await sender.login_with_password(USER_ID, self.password)
        receiver = await self._device("receiver", url)
        await receiver.login_with_password(USER_ID, self.password)
        return USER_ID

    async def message(self) -> str:
        sender, receiver = self.clients
        text = f"self-test {secrets.token_hex(4)}"
        acknowledged, stop_sender = _first_sent(sender, lambda m: m.text == text)
        arrived, stop_receiver = _first_sent(receiver, lambda m: m.text == text)
        try:
            await sender.send_text(f"C2C{USER_ID}", text)
            sent = await acknowledged  # the server stored it (it has a sequence number)
            received = await arrived  # and pushed it to the account's other device
        finally:
            stop_sender()
            stop_receiver()
        if received.message_id != sent.message_id:
            raise SelfTestFailed("the second device received a different message")
        return f"seq {sent.seq} sent, received on the second device"

    async def media(self) -> str:
        """A small file uploaded by one device, downloaded by the other, byte for byte."""
        sender, receiver = self.clients
        data = secrets.token_bytes(4096)
        path = self.root / "self-test.bin"
        await asyncio.to_thread(path.write_bytes, data)
        arrived, stop = _first_sent(receiver, lambda m: m.kind == "file")
        try:
            await sender.send_file(f"C2C{USER_ID}", path)
            message = await arrived
        finally:
            stop()
        downloaded = await receiver.download(message)
        if await asyncio.to_thread(downloaded.read_bytes) != data:
            raise SelfTestFailed("the downloaded file differs from the one sent")
        return f"{len(data)} bytes uploaded, downloaded on the second device"

    async def _device(self, name: str, url: str) -> Client:
        client = Client(url, self.root / name, device_name=f"self-test {name}", platform="test")
        await client.start()
        self.clients.append(client)
        return client


def _first_sent(
    client: Client, wanted: Callable[[LocalMessage], bool]
) -> tuple[asyncio.Future[LocalMessage], Callable[[], None]]:
    """The first message stored by the server (SENT) that ``client`` hears of and ``wanted``
    accepts, and the function that stops listening."""
    found: asyncio.Future[LocalMessage] = asyncio.get_running_loop().create_future()

    def on_event(event: Event) -> None:
        if isinstance(event, MessagesAdded):
            messages: tuple[LocalMessage, ...] = event.messages
        elif isinstance(event, MessageUpdated):
            messages = (event.message,)
        else:
            return
        for message in messages:
            if message.state is MessageState.SENT and wanted(message) and not found.done():
                found.set_result(message)

    return found, client.subscribe(on_event)


def run_self_test(out: TextIO | None = None) -> int:
    """Start Qt (as the app does) and run every check in a temporary folder; the exit code."""
    import qasync

    from messenger.app.main import start_qt

    stream = out if out is not None else sys.stdout
    start_qt()
    with tempfile.TemporaryDirectory(prefix="messenger-self-test-") as tmp:
        return int(qasync.run(SelfTest(Path(tmp), stream).run()))
