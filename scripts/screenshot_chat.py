"""Screenshots of the main window with real data, to look at what the chat UI draws.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_chat.py [OUT_DIR]

Starts the embedded server on a temporary folder, makes a few accounts, a group and some
history (long text, emoji, Chinese, a mention, a reply, a recall, tips, HTML-looking text that
must show literally), signs Alice in, binds a ``MainWindow`` to her ``SessionViewModel`` and
saves PNGs of a group chat and a one-to-one chat, in the light and the dark theme.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication

from messenger.app.embedded import EmbeddedServer
from messenger.app.qt_compat import pin_singletons_if_needed
from messenger.core import Client, MessageState
from messenger.core.events import MessageUpdated
from messenger.ui.main_window import MainWindow
from messenger.ui.theme import apply_theme
from messenger.viewmodels.session import SessionViewModel

PASSWORD = "screenshot-pw"
USERS = {
    "alice": "Alice Chen",
    "bob": "Bob <b>Builder</b>",
    "carol": "Carol Wang",
    "dave": "Dave 李",
}


async def say(client: Client, conversation_id: str, text: str, **kw: object) -> str:
    """Send and wait until stored; returns the message ID."""
    done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    sent_id = ""

    def on_event(event: object) -> None:
        if (
            isinstance(event, MessageUpdated)
            and event.message.client_msg_id == sent_id
            and event.message.state is MessageState.SENT
            and not done.done()
        ):
            done.set_result(event.message.message_id)

    unsubscribe = client.subscribe(on_event)
    try:
        sent_id = (await client.send_text(conversation_id, text, **kw)).client_msg_id  # type: ignore[arg-type]
        return await asyncio.wait_for(done, 30)
    finally:
        unsubscribe()


async def seed(url: str, root: Path) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for user_id, nickname in USERS.items():
        client = Client(url, root / user_id)
        await client.start()
        await client.register(user_id, PASSWORD, nickname)
        await client.login_with_password(user_id, PASSWORD)
        clients[user_id] = client
    alice, bob, carol, dave = (clients[u] for u in USERS)
    await alice.create_group(
        "Team",
        ["bob", "carol", "dave"],
        group_id="team",
        notification="Release on Friday. Please review the notes <i>before</i> Thursday.",
        introduction="The product team's chat.",
    )
    team = "GROUPteam"
    await say(alice, team, "Welcome to the team chat, everyone! 🎉")
    await say(bob, team, "你好大家 👋 很高兴加入")
    await say(bob, team, "<b>bold</b><img src=x> should show literally")
    first = await say(
        carol,
        team,
        "Here is a longer message to see how the bubble wraps its text over several lines "
        "when it does not fit in one, and whether the time still lines up at the end.",
    )
    await say(dave, team, "Sounds good 👍")
    stored = await alice.messages(team, limit=50)
    quoted = next(m for m in stored if m.message_id == first)
    await say(alice, team, "Agreed, I'll take the release notes.", reply_to=quoted)
    recalled = await say(carol, team, "oops, wrong chat")
    await carol.recall(team, recalled)
    await say(carol, team, "@Alice Chen can you share the slides?", mentions=["alice"])
    await say(bob, "C2Calice", "Hi Alice! Did you see the release notes?")
    await say(alice, "C2Cbob", "Yes, looks great. 发布说明写得很好！")
    await say(bob, "C2Calice", "Let's demo it tomorrow 👍")
    await say(carol, "C2Calice", "Lunch at noon?")
    await alice.set_draft("C2Cdave", "Remember to bring the")
    await say(dave, "C2Calice", "ok")
    return clients


async def main(out: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        clients = await seed(server.url, root / "seed")
        viewer = Client(server.url, root / "viewer")
        await viewer.start()
        await viewer.login_with_password("alice", PASSWORD)
        session = SessionViewModel(viewer)
        await session.start()
        window = MainWindow()
        window.resize(1280, 800)
        window.bind(session)
        window.show()
        window.activateWindow()

        def shot(name: str) -> None:
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(path)

        for theme in ("light", "dark"):
            apply_theme(app, theme)
            for name, conversation in (("group", "GROUPteam"), ("c2c", "C2Cbob")):
                await session.chat.open(conversation)
                await asyncio.sleep(0.6)  # names, members and receipts arrive
                shot(f"chat-{name}-{theme}")
            await session.chat.open("")
        # The composer at work (light): a reply, the mention completer, new messages below.
        apply_theme(app, "light")
        await session.chat.open("GROUPteam")
        await asyncio.sleep(0.4)
        pane = window.chat_pane
        assert pane is not None
        last = session.chat.messages.messages()[-1]
        session.chat.reply(f"m:{last.message_id}")
        pane.composer.edit.setFocus()
        pane.composer.edit.insertPlainText("thanks @")
        await asyncio.sleep(0.2)
        shot("composer-reply-mention")
        pane.composer.edit.clear()
        session.chat.composer.clear_reply()
        pane.view.verticalScrollBar().setValue(0)
        await say(clients["bob"], "GROUPteam", "one more thing…")
        await asyncio.sleep(0.3)
        shot("scrolled-up-new-below")
        pane.composer.show_emoji()
        await asyncio.sleep(0.1)
        picker = pane.composer.emoji_picker
        assert picker is not None
        path = out / "emoji-picker.png"
        picker.grab().save(str(path))
        print(path)
        picker.hide()
        session.close()
        window.close()
        await viewer.aclose()
        for client in clients.values():
            await client.aclose()
        server.stop()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    pin_singletons_if_needed()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    qasync.run(main(target))
