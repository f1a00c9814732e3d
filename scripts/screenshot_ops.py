"""Screenshots of the message operations: reactions, edited and forwarded marks, the pinned
bar, a merged-forward card and its viewer, multi-select, the forward dialog, editing.

    .venv/bin/python scripts/screenshot_ops.py [OUT_DIR] [--language en|zh_CN] [--themes light]

Uses the demo history of ``screenshot_chat.py`` on an embedded server, then reacts, edits,
pins and forwards through real clients before taking the pictures:

    ops-group-<theme>.png  ops-merged-card-<theme>.png  ops-merged-viewer-<theme>.png
    ops-select-<theme>.png  ops-forward-dialog-<theme>.png  ops-edit-<theme>.png
    ops-react-bar-<theme>.png  ops-who-reacted-<theme>.png  ops-search-<theme>.png

Popups (the reaction bar, who reacted) are windows of their own: they are drawn onto the main
window's picture where they stand.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshot_chat import DEMO, PASSWORD, run_scene, save, say, seed

from messenger.app.embedded import EmbeddedServer
from messenger.core import Client
from messenger.ui.i18n import install_language
from messenger.ui.main_window import MainWindow
from messenger.ui.theme import apply_theme
from messenger.viewmodels.session import SessionViewModel


def save_with_popup(window: QWidget, popup: QWidget | None, path: Path) -> None:
    """The window with ``popup`` (a window of its own) drawn where it stands over it."""
    picture = window.grab()
    if popup is not None and popup.isVisible():
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
        painter.end()
        popup.hide()
    picture.save(str(path))
    print(path)


async def scene(out: Path, language: str, themes: list[str]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(app, language)
    texts = DEMO[language]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        clients = await seed(server.url, root / "seed", texts)
        alice, bob, carol = clients["alice"], clients["bob"], clients["carol"]
        team = "GROUPteam"
        said = [m for m in await alice.messages(team, limit=50) if m.kind == "text"]
        for client, emoji in ((bob, "🎉"), (carol, "🎉"), (alice, "👍"), (carol, "❤️")):
            mine = [m for m in await client.messages(team, limit=50) if m.kind == "text"]
            await client.react(mine[0], emoji)
        reply = next(m for m in said if m.sender == "alice" and m.reply_to is not None)
        await alice.edit_message(reply, reply.text + " (edited)")
        await alice.pin_message_in(team, said[0].message_id)
        await alice.pin_message_in(team, said[2].message_id)
        history = [m for m in await bob.messages(team, limit=50) if m.kind == "text"]
        await bob.forward_merged(history[:4], ["C2Calice"], title="Team chat history")
        await bob.forward(history[1:2], ["C2Calice"], comment="look at this")
        await say(bob, "C2Calice", "👆")
        search_word = "bob" if language == "en" else "李明"
        await say(carol, "C2Calice", f"{search_word}: the release party is at 7?")
        await asyncio.sleep(1.0)

        viewer = Client(server.url, root / "viewer")
        await viewer.start()
        await viewer.login_with_password("alice", PASSWORD)
        session = SessionViewModel(viewer)
        await session.start()
        window = MainWindow()
        window.resize(1200, 780)
        window.bind(session)
        window.show()
        window.activateWindow()
        pane = window.chat_pane
        assert pane is not None
        for theme in themes:
            apply_theme(app, theme)
            await session.chat.open(team)
            await asyncio.sleep(0.8)
            save(window, out / f"ops-group-{theme}.png")
            await session.chat.open("C2Cbob")
            await asyncio.sleep(0.8)
            save(window, out / f"ops-merged-card-{theme}.png")
            card = next(r for r in session.chat.messages.messages() if r.kind == "merged")
            pane.open_merged(f"m:{card.message_id}")
            await asyncio.sleep(0.8)
            if pane.merged_viewer is not None:
                save(pane.merged_viewer, out / f"ops-merged-viewer-{theme}.png")
                pane.merged_viewer.close()
            await session.chat.open(team)
            await asyncio.sleep(0.5)
            keys = [r.key for r in (session.chat.messages.row(i) for i in range(3))]
            session.chat.ops.start_selecting(keys[0])
            for key in keys[1:]:
                session.chat.ops.toggle(key)
            await asyncio.sleep(0.3)
            save(window, out / f"ops-select-{theme}.png")
            pane.forward(session.chat.ops.selected, True)
            await asyncio.sleep(0.6)
            if pane.forward_dialog is not None:
                pane.forward_dialog.check("C2Cbob")
                pane.forward_dialog.comment.setText("for you")
                save(pane.forward_dialog, out / f"ops-forward-dialog-{theme}.png")
                pane.forward_dialog.reject()
            session.chat.ops.stop_selecting()
            session.chat.ops.edit_last()
            await asyncio.sleep(0.3)
            save(window, out / f"ops-edit-{theme}.png")
            session.chat.composer.cancel_edit()
            await reactions(window, out, theme)
            box = window.conversation_list.filter
            box.setText(search_word)
            await asyncio.sleep(1.0)
            save(window, out / f"ops-search-{theme}.png")
            box.clear()
        session.close()
        window.close()
        await viewer.aclose()
        for client in clients.values():
            await client.aclose()
        server.stop()


async def reactions(window: MainWindow, out: Path, theme: str) -> None:
    """The hover button's bar of recent emoji, and who reacted (a right click on a chip)."""
    pane = window.chat_pane
    assert pane is not None and window.session is not None
    chat = window.session.chat
    await chat.open("GROUPteam")
    await asyncio.sleep(0.6)
    view = pane.view
    rows = [chat.messages.row(i) for i in range(chat.messages.rowCount())]
    position = next(i for i, r in enumerate(rows) if r.reactions)
    index = chat.messages.index(position, 0)
    view.scrollTo(index)
    await asyncio.sleep(0.3)
    view.hover(index)
    button = view.react_button
    QCursor.setPos(button.mapToGlobal(button.rect().center()))  # the pointer on the button
    pane.show_reaction_bar(rows[position].key, button.mapToGlobal(button.rect().center()))
    await asyncio.sleep(0.3)
    save_with_popup(window, pane.reaction_bar, out / f"ops-react-bar-{theme}.png")
    geometry = view.delegate.geometry(index)
    assert geometry is not None and geometry.chips
    chip = geometry.chips[0][0].translated(view.visualRect(index).topLeft().toPointF())
    where = view.viewport().mapToGlobal(chip.bottomLeft().toPoint() + QPoint(0, 4))
    pane.show_who_reacted(rows[position].key, where)
    await asyncio.sleep(0.3)
    save_with_popup(window, pane.who_reacted, out / f"ops-who-reacted-{theme}.png")
    button.hide()


if __name__ == "__main__":
    run_scene(scene, __doc__, sys.argv[1:])
