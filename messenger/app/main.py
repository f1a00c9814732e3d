"""``messenger``: the desktop app's entry point and composition root.

    messenger [--server URL] [--demo] [--as USER] [--data-dir DIR]

With no ``--server`` the app runs the embedded local server (loopback only) on its own data
folder; ``--demo`` fills it with demo accounts and history and signs in as one of them. A
second ``messenger --demo --as bob`` joins the embedded server the first one started.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from messenger.app.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from messenger.app.embedded import EmbeddedServer
from messenger.core.client import Client
from messenger.core.events import ConnectionStateChanged, ConversationsChanged, KickedOut
from messenger.server.runtime import read_run_info
from messenger.system.paths import data_dir as default_data_dir

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="messenger", description="Messenger desktop app")
    p.add_argument("--server", help="server URL (default: the embedded local server)")
    p.add_argument("--demo", action="store_true", help="demo accounts, groups and history")
    p.add_argument("--as", dest="as_user", default="alice", help="demo account to sign in as")
    p.add_argument("--data-dir", type=Path, default=None, help="app data folder")
    p.add_argument("--quit-after", type=float, default=None, help=argparse.SUPPRESS)
    p.add_argument("--screenshot", type=Path, default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def running_embedded_url(server_dir: Path) -> str | None:
    """The URL of an embedded server another app instance started on this folder, if alive."""
    url = read_run_info(server_dir)
    if url is None:
        return None
    try:
        httpx.get(url + "/health", timeout=2).raise_for_status()
    except httpx.HTTPError:
        return None
    return url


async def run(args: argparse.Namespace, data: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from messenger.ui.placeholder_window import PlaceholderWindow

    embedded: EmbeddedServer | None = None
    url = args.server
    if url is None:
        server_dir = data / "server"
        url = running_embedded_url(server_dir)
        if url is None:
            embedded = EmbeddedServer(server_dir).start()
            url = embedded.url
    window = PlaceholderWindow(f"Messenger — {url}")
    window.show()
    client = Client(url, data / "client", device_name="Messenger desktop")
    await client.start()

    async def refresh() -> None:
        window.show_conversations(await client.conversations())

    pending: set[asyncio.Task[None]] = set()

    def on_event(event: object) -> None:
        if isinstance(event, ConversationsChanged):
            task = asyncio.get_running_loop().create_task(refresh())
            pending.add(task)
            task.add_done_callback(pending.discard)
        elif isinstance(event, ConnectionStateChanged):
            window.show_state(f"{client.user_id}: {event.state.value}")
        elif isinstance(event, KickedOut):
            window.show_state(f"Signed out: {event.message or event.reason}")

    client.subscribe(on_event)
    try:
        if args.demo:
            if args.as_user not in DEMO_USERS:
                raise SystemExit(f"--as must be one of {', '.join(DEMO_USERS)}")
            await seed_demo(url, data / "demo")
            await client.login_with_password(args.as_user, DEMO_PASSWORD)
            window.setWindowTitle(f"Messenger — {args.as_user}")
            await refresh()
        else:
            window.show_state("Sign-in comes with the desktop app; try --demo")
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        closed = asyncio.Event()
        app.lastWindowClosed.connect(closed.set)
        if args.quit_after is not None:
            asyncio.get_running_loop().call_later(args.quit_after, closed.set)
        await closed.wait()
        if args.screenshot is not None:
            window.grab().save(str(args.screenshot))
    finally:
        await client.aclose()
        if embedded is not None:
            embedded.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    data = args.data_dir or default_data_dir()
    data.mkdir(parents=True, exist_ok=True)
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Messenger")
    return int(qasync.run(run(args, data)))


if __name__ == "__main__":
    raise SystemExit(main())
