"""Screenshots of the people side, to look at what the friend sidebar and dialogs draw.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_people.py [OUT_DIR]
        [--language en|zh_CN] [--themes light,dark]

The demo people of ``screenshot_chat.py``, plus friends in two friend groups (one with a
remark), a pending request, a blocked user and a status text. Saves, per theme: Alice's
Contacts page with a friend's card (``contacts-<theme>``); in the first theme also Dave's
requests inbox (``contacts-requests``), the new-chat dialog with a found user
(``people-new-chat``), Alice's Edit my profile (``people-edit-profile``) and its avatar cropper
on a drawn landscape (``people-avatar-crop``).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QApplication
from screenshot_chat import DEMO, PASSWORD, run_scene, save, seed  # type: ignore[import-not-found]

from messenger.app.embedded import EmbeddedServer
from messenger.core import Client
from messenger.protocol.models import AllowType
from messenger.ui.i18n import install_language
from messenger.ui.main_window import MainWindow
from messenger.ui.theme import apply_theme
from messenger.viewmodels.session import SessionViewModel

WORDS = {
    "en": {
        "work": "Work",
        "family": "Family",
        "remark": "Bobby",
        "note": "Hi Dave, it's Alice",
        "status": "In a meeting",
        "signature": "Design, tea and long walks",
        "find": "Car",
    },
    "zh_CN": {
        "work": "同事",
        "family": "家人",
        "remark": "老鲍",
        "note": "你好，我是爱丽丝",
        "status": "开会中",
        "signature": "设计、茶和散步",
        "find": "Car",
    },
}


def landscape(width: int = 900, height: int = 560) -> QImage:
    """A picture to crop: sky, sun and hills."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    sky = QLinearGradient(QPointF(0, 0), QPointF(0, height))
    sky.setColorAt(0, QColor(70, 130, 210))
    sky.setColorAt(1, QColor(250, 200, 150))
    painter.fillRect(image.rect(), sky)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 220, 80))
    painter.drawEllipse(QPointF(width * 0.7, height * 0.3), 60, 60)
    painter.setBrush(QColor(60, 140, 70))
    painter.drawEllipse(QPointF(width * 0.25, height * 1.1), width * 0.45, height * 0.5)
    painter.drawEllipse(QPointF(width * 0.8, height * 1.2), width * 0.4, height * 0.55)
    painter.end()
    return image


async def window_of(client: Client) -> tuple[MainWindow, SessionViewModel]:
    session = SessionViewModel(client)
    await session.start()
    window = MainWindow()
    window.resize(1200, 760)
    window.bind(session)
    window.show()
    return window, session


async def main(out: Path, language: str, themes: list[str]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if not install_language(app, language):
        raise SystemExit(f"no compiled {language} translation: run `make install` first")
    suffix = "" if language == "en" else f"-{language}"
    words = WORDS[language]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        clients = await seed(server.url, root / "seed", DEMO[language])
        alice, bob, carol = (clients[u] for u in ("alice", "bob", "carol"))
        for friend in (bob, carol):
            await friend.update_profile(allow_type=AllowType.ANYONE)
        await alice.update_profile(signature=words["signature"])
        await alice.add_friend("bob", remark=words["remark"], group=words["work"])
        await alice.add_friend("carol", group=words["family"])
        await alice.add_friend("dave", note=words["note"])
        await carol.update_profile(signature=words["signature"])
        await carol.set_status_text(words["status"])
        views = {}
        for user in ("alice", "dave"):
            viewer = Client(server.url, root / f"view-{user}")
            await viewer.start()
            await viewer.login_with_password(user, PASSWORD)
            views[user] = (viewer, *await window_of(viewer))
        _, window, session = views["alice"]
        _, dave_window, _ = views["dave"]
        await asyncio.sleep(1.0)
        for i, theme in enumerate(themes):
            apply_theme(app, theme)
            window.contacts_button.click()
            contacts = window.contacts
            assert contacts is not None
            contacts.card.show_user("carol")
            contacts.stack.setCurrentWidget(contacts.card)
            await asyncio.sleep(0.8)
            save(window, out / f"contacts-{theme}{suffix}.png")
            if i == 0:
                dave_window.contacts_button.click()
                assert dave_window.contacts is not None
                dave_window.contacts.stack.setCurrentWidget(dave_window.contacts.requests)
                await asyncio.sleep(0.5)
                save(dave_window, out / f"contacts-requests{suffix}.png")
                window.open_new_chat()
                dialog = window.new_chat_dialog
                assert dialog is not None
                dialog.search.setText(words["find"])
                await session.people.search(words["find"])
                await asyncio.sleep(0.8)
                save(dialog, out / f"people-new-chat{suffix}.png")
                dialog.close()
                editor = window.edit_profile()
                assert editor is not None
                await asyncio.sleep(0.8)
                save(editor, out / f"people-edit-profile{suffix}.png")
                cropper = editor.avatar.crop_picture(landscape())
                assert cropper is not None
                cropper.resize(720, 460)
                cropper.view.move_by(200, -40)
                cropper.view.resize_by(0.7)
                await asyncio.sleep(0.5)
                save(cropper, out / f"people-avatar-crop{suffix}.png")
                cropper.accept()
                await asyncio.sleep(0.3)
                save(editor, out / f"people-edit-profile-cropped{suffix}.png")
                editor.close()
        for viewer, shown, view_session in views.values():
            view_session.close()
            shown.close()
            await viewer.aclose()
        for client in clients.values():
            await client.aclose()
        server.stop()


if __name__ == "__main__":
    run_scene(main, __doc__, sys.argv[1:])
