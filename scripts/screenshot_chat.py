"""Screenshots of the main window with real data, to look at what the chat UI draws.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_chat.py [OUT_DIR]
        [--language en|zh_CN] [--themes light,dark] [--size 1200x760] [--extras]

Starts the embedded server on a temporary folder, makes a few accounts, a group and some
history (long text, emoji, Chinese, a mention, a reply, a recall, tips, HTML-looking text that
must show literally), signs Alice in, binds a ``MainWindow`` to her ``SessionViewModel`` and
saves PNGs of a group chat and a one-to-one chat in each theme:

    main-group-<theme>[-zh_CN].png   main-c2c-<theme>[-zh_CN].png

``--language zh_CN`` shows the interface in Simplified Chinese (the compiled translations of
``make install`` are needed) with Chinese demo data. ``--extras`` adds, in the light theme, the
composer at work (``composer-reply-mention``) and the emoji picker (``emoji-picker``). ``make screenshots`` runs
this for docs/screenshots/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from messenger.app.embedded import EmbeddedServer
from messenger.app.qt_compat import pin_singletons_if_needed
from messenger.core import Client, MessageState
from messenger.core.events import MessageUpdated
from messenger.ui.fonts import prefer_cjk_font
from messenger.ui.i18n import LANGUAGES, install_language
from messenger.ui.main_window import MainWindow
from messenger.ui.theme import apply_theme
from messenger.viewmodels.session import SessionViewModel

PASSWORD = "screenshot-pw"

# What the demo people are called and say, per interface language.
DEMO: dict[str, dict[str, object]] = {
    "en": {
        "users": {
            "alice": "Alice Chen",
            "bob": "Bob Builder",
            "carol": "Carol Wang",
            "dave": "Dave 李",
        },
        "group": "Team",
        "notification": "Release on Friday. Please review the notes <i>before</i> Thursday.",
        "introduction": "The product team's chat.",
        "welcome": "Welcome to the team chat, everyone! 🎉",
        "hello": "你好大家 👋 很高兴加入",
        "literal": "<b>bold</b><img src=x> should show literally",
        "long": "Here is a longer message to see how the bubble wraps its text over several "
        "lines when it does not fit in one, and whether the time still lines up at the end.",
        "ok": "Sounds good 👍",
        "reply": "Agreed, I'll take the release notes.",
        "oops": "oops, wrong chat",
        "mention": "@Alice Chen can you share the slides?",
        "bob_1": "Hi Alice! Did you see the release notes?",
        "alice_1": "Yes, looks great. 发布说明写得很好！",
        "bob_2": "Let's demo it tomorrow 👍",
        "carol_1": "Lunch at noon?",
        "draft": "Remember to bring the",
        "dave_1": "ok",
        "typing": "thanks @",
    },
    "zh_CN": {
        "users": {
            "alice": "陈思雨",
            "bob": "李明",
            "carol": "王芳",
            "dave": "张伟 David",
        },
        "group": "产品组",
        "notification": "周五发版，请在周四<b>之前</b>看完发布说明。",
        "introduction": "产品团队的日常沟通。",
        "welcome": "欢迎大家加入产品组！🎉",
        "hello": "大家好 👋 很高兴加入",
        "literal": "<b>加粗</b><img src=x> 应该原样显示",
        "long": "这是一条比较长的消息，用来看看气泡在一行放不下时怎样换行，以及时间是否仍然"
        "对齐在末尾。顺便看看中英文混排（mixed English text）的效果。",
        "ok": "没问题 👍",
        "reply": "好的，发布说明我来写。",
        "oops": "哎呀，发错群了",
        "mention": "@陈思雨 能把幻灯片发一下吗？",
        "bob_1": "思雨，发布说明看了吗？",
        "alice_1": "看了，写得很好！Looks great.",
        "bob_2": "明天给大家演示一下 👍",
        "carol_1": "中午一起吃饭？",
        "draft": "记得带上",
        "dave_1": "好的",
        "typing": "谢谢 @",
    },
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


async def seed(url: str, root: Path, texts: dict[str, object]) -> dict[str, Client]:
    def t(key: str) -> str:
        value = texts[key]
        assert isinstance(value, str)
        return value

    users = texts["users"]
    assert isinstance(users, dict)
    clients: dict[str, Client] = {}
    for user_id, nickname in users.items():
        client = Client(url, root / user_id)
        await client.start()
        await client.register(user_id, PASSWORD, nickname)
        await client.login_with_password(user_id, PASSWORD)
        clients[user_id] = client
    alice, bob, carol, dave = (clients[u] for u in ("alice", "bob", "carol", "dave"))
    await alice.create_group(
        t("group"),
        ["bob", "carol", "dave"],
        group_id="team",
        notification=t("notification"),
        introduction=t("introduction"),
    )
    team = "GROUPteam"
    await say(alice, team, t("welcome"))
    await say(bob, team, t("hello"))
    await say(bob, team, t("literal"))
    first = await say(carol, team, t("long"))
    await say(dave, team, t("ok"))
    stored = await alice.messages(team, limit=50)
    quoted = next(m for m in stored if m.message_id == first)
    await say(alice, team, t("reply"), reply_to=quoted)
    recalled = await say(carol, team, t("oops"))
    await carol.recall(team, recalled)
    await say(carol, team, t("mention"), mentions=["alice"])
    await say(bob, "C2Calice", t("bob_1"))
    await say(alice, "C2Cbob", t("alice_1"))
    await say(bob, "C2Calice", t("bob_2"))
    await say(carol, "C2Calice", t("carol_1"))
    await alice.set_draft("C2Cdave", t("draft"))
    await say(dave, "C2Calice", t("dave_1"))
    return clients


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(path)


async def main(
    out: Path, language: str, themes: list[str], size: tuple[int, int], extras: bool
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if not install_language(app, language):  # English too: its plural forms
        raise SystemExit(f"no compiled {language} translation: run `make install` first")
    suffix = "" if language == "en" else f"-{language}"
    texts = DEMO[language]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        clients = await seed(server.url, root / "seed", texts)
        viewer = Client(server.url, root / "viewer")
        await viewer.start()
        await viewer.login_with_password("alice", PASSWORD)
        session = SessionViewModel(viewer)
        await session.start()
        window = MainWindow()
        window.resize(*size)
        window.bind(session)
        window.show()
        window.activateWindow()

        for theme in themes:
            apply_theme(app, theme)
            for name, conversation in (("group", "GROUPteam"), ("c2c", "C2Cbob")):
                await session.chat.open(conversation)
                await asyncio.sleep(0.6)  # names, members and receipts arrive
                save(window, out / f"main-{name}-{theme}{suffix}.png")
            await session.chat.open("")
        if extras:
            # The composer at work (light): a reply and the mention completer.
            apply_theme(app, "light")
            await session.chat.open("GROUPteam")
            await asyncio.sleep(0.4)
            pane = window.chat_pane
            assert pane is not None
            last = session.chat.messages.messages()[-1]
            session.chat.reply(f"m:{last.message_id}")
            pane.composer.edit.setFocus()
            typing = texts["typing"]
            assert isinstance(typing, str)
            pane.composer.edit.insertPlainText(typing)
            await asyncio.sleep(0.2)
            save(window, out / f"composer-reply-mention{suffix}.png")
            pane.composer.edit.clear()
            session.chat.composer.clear_reply()
            pane.composer.show_emoji()
            await asyncio.sleep(0.1)
            picker = pane.composer.emoji_picker
            assert picker is not None
            save(picker, out / f"emoji-picker{suffix}.png")
            picker.hide()
        session.close()
        window.close()
        await viewer.aclose()
        for client in clients.values():
            await client.aclose()
        server.stop()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("screenshots"))
    parser.add_argument("--language", choices=sorted(LANGUAGES), default="en")
    parser.add_argument("--themes", default="light,dark", help="comma-separated: light,dark")
    parser.add_argument("--size", default="1200x760", help="window size, WIDTHxHEIGHT")
    parser.add_argument(
        "--extras", action="store_true", help="the composer at work, the emoji picker"
    )
    args = parser.parse_args(argv)
    args.themes = [t for t in args.themes.split(",") if t]
    if not set(args.themes) <= {"light", "dark"}:
        parser.error("--themes takes light and/or dark")
    width, _, height = args.size.partition("x")
    args.size = (int(width), int(height))
    return args


if __name__ == "__main__":
    options = parse_args(sys.argv[1:])
    options.out.mkdir(parents=True, exist_ok=True)
    pin_singletons_if_needed()
    qt_app = QApplication(sys.argv[:1])
    qt_app.setQuitOnLastWindowClosed(False)
    prefer_cjk_font(qt_app)
    qasync.run(main(options.out, options.language, options.themes, options.size, options.extras))


def run_scene(scene: Any, doc: str | None, argv: list[str]) -> None:
    """The command line of a screenshot script whose ``scene(out, language, themes)`` coroutine
    takes the pictures: ``[out] [--language L] [--themes light,dark]``."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("screenshots"))
    parser.add_argument("--language", choices=sorted(LANGUAGES), default="en")
    parser.add_argument("--themes", default="light,dark")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pin_singletons_if_needed()
    application = QApplication(sys.argv[:1])
    application.setQuitOnLastWindowClosed(False)
    prefer_cjk_font(application)
    qasync.run(scene(args.out, args.language, args.themes.split(",")))
