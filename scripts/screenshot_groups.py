"""Screenshots of group management, to look at what the group panel and dialogs draw.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_groups.py [OUT_DIR]
        [--language en|zh_CN] [--themes light,dark]

The demo data of ``screenshot_chat.py`` plus a Public group where Bob is an admin and Carol is
muted. Saves, per theme: the owner's window with the member menu open on Carol
(``group-panel-<theme>``), Carol's window with the muted composer (``group-muted-<theme>``);
and in the first theme the New group dialog (``group-new``) and the owner's window on a live room
three viewers joined and one left (``group-live``: the pushed count in the header and panel).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication
from screenshot_chat import DEMO, PASSWORD, run_scene, save, say, seed  # type: ignore[import-not-found]

from messenger.app.embedded import EmbeddedServer
from messenger.core import Client
from messenger.protocol.models import GroupRole, GroupType, JoinOption
from messenger.ui.i18n import install_language
from messenger.ui.main_window import MainWindow
from messenger.ui.theme import apply_theme
from messenger.viewmodels.session import SessionViewModel

CLUB = {"en": ("Book club", "Meet on Fridays at 7 pm."), "zh_CN": ("读书会", "每周五晚七点见。")}
LIVE = {"en": "Friday concert", "zh_CN": "周五音乐会"}


async def window_of(url: str, root: Path, user: str) -> tuple[MainWindow, SessionViewModel]:
    client = Client(url, root / f"view-{user}")
    await client.start()
    await client.login_with_password(user, PASSWORD)
    session = SessionViewModel(client)
    await session.start()
    window = MainWindow()
    window.resize(1200, 760)
    window.bind(session)
    window.show()
    return window, session


async def live_room(host: Client, clients: dict[str, Client], name: str) -> None:
    """A live room three viewers join; one of them then closes the app (still a member)."""
    await host.create_group(name, group_id="live", type=GroupType.AVCHATROOM)
    for viewer in ("bob", "carol", "dave"):
        await clients[viewer].join_group("live")
    await clients["dave"].aclose()


async def main(out: Path, language: str, themes: list[str]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if not install_language(app, language):
        raise SystemExit(f"no compiled {language} translation: run `make install` first")
    suffix = "" if language == "en" else f"-{language}"
    name, notification = CLUB[language]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        clients = await seed(server.url, root / "seed", DEMO[language])
        alice = clients["alice"]
        await alice.create_group(
            name,
            ["bob", "carol", "dave"],
            group_id="club",
            type=GroupType.PUBLIC,
            join_option=JoinOption.APPROVAL,
            notification=notification,
            admins=["bob"],
        )
        await say(clients["bob"], "GROUPclub", "📚")
        await alice.mute_member("club", "carol", 3600)
        await alice.set_member_role("club", "dave", GroupRole.MEMBER)
        owner, owner_session = await window_of(server.url, root, "alice")
        muted, muted_session = await window_of(server.url, root, "carol")
        for i, theme in enumerate(themes):
            apply_theme(app, theme)
            await owner_session.chat.open("GROUPclub")
            await muted_session.chat.open("GROUPclub")
            await asyncio.sleep(1.0)
            panel = owner.group_panel
            assert panel is not None
            menu = panel.member_menu("carol")
            shot = owner.grab()
            index = panel._index_of("carol")
            rect = panel.members.visualRect(index)
            where = panel.members.viewport().mapTo(
                owner, QPoint(rect.left() + 40, rect.bottom() - 4)
            )
            menu.adjustSize()
            where.setX(min(where.x(), owner.width() - menu.width() - 4))
            overlay = QPixmap(shot)
            painter = QPainter(overlay)
            painter.drawPixmap(where, menu.grab())
            painter.end()
            overlay.save(str(out / f"group-panel-{theme}{suffix}.png"))
            print(out / f"group-panel-{theme}{suffix}.png")
            save(muted, out / f"group-muted-{theme}{suffix}.png")
            if i == 0:
                owner.new_group()
                dialog = owner.group_dialog
                assert dialog is not None
                await asyncio.sleep(0.5)
                save(dialog, out / f"group-new{suffix}.png")
                dialog.close()
                await live_room(alice, clients, LIVE[language])
                await owner_session.chat.open("GROUPlive")
                await asyncio.sleep(1.5)
                save(owner, out / f"group-live{suffix}.png")
        for session in (owner_session, muted_session):
            session.close()
        owner.close()
        muted.close()
        for client in clients.values():
            await client.aclose()
        server.stop()


if __name__ == "__main__":
    run_scene(main, __doc__, sys.argv[1:])
