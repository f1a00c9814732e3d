"""Screenshots of the message operations: reactions, edited and forwarded marks, the pinned
bar, a merged-forward card and its viewer, multi-select, the forward dialog, editing.

    .venv/bin/python scripts/screenshot_ops.py [OUT_DIR] [--language en|zh_CN] [--themes light]

Uses the demo history of ``screenshot_chat.py`` on an embedded server, then reacts, edits,
pins and forwards through real clients before taking the pictures:

    ops-group-<theme>.png  ops-merged-card-<theme>.png  ops-merged-viewer-<theme>.png
    ops-select-<theme>.png  ops-forward-dialog-<theme>.png  ops-edit-<theme>.png
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshot_chat import DEMO, PASSWORD, run_scene, save, say, seed

from messenger.app.embedded import EmbeddedServer
from messenger.core import Client
from messenger.ui.i18n import install_language
from messenger.ui.main_window import MainWindow
from messenger.ui.theme import apply_theme
from messenger.viewmodels.session import SessionViewModel


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
        session.close()
        window.close()
        await viewer.aclose()
        for client in clients.values():
            await client.aclose()
        server.stop()


if __name__ == "__main__":
    run_scene(scene, __doc__, sys.argv[1:])
