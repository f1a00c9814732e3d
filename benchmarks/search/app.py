"""The app's side of the search benchmark: the real ``MainWindow`` (Qt offscreen) on a cache of
``corpus`` messages, signed in to a real server (another process: the CPU time measured is the
app's).

- a keystroke in the top search box → the results painted (each keystroke of each query);
- a click on a search hit 50,000 messages back in the busy chat → that chat painted with the
  hit (and the messages around it) on screen.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from benchmarks.search.corpus import Corpus, fill_client_cache
from benchmarks.server import KEY, SDK_APP_ID, Server
from messenger.core.store import schema
from messenger.protocol.usersig import generate_usersig

ME = "bench_me"
TYPED = ("meeting", "开会", "budget review", "项目报告")


Run = tuple[float, float]  # wall-clock and CPU time (s)


def app_figures(data: Path, corpus: Corpus) -> dict[str, list[Run]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from messenger.app.qt_compat import pin_singletons_if_needed

    pin_singletons_if_needed()
    app = QApplication.instance() or QApplication(["bench-search"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    server = Server(data / "server-app", "NORMAL")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            figures: dict[str, list[Run]] = loop.run_until_complete(_app(server, data, corpus))
    finally:
        server.stop()
    return figures


async def _app(server: Server, data: Path, corpus: Corpus) -> dict[str, list[Run]]:
    from PySide6.QtTest import QTest

    from messenger.core import Client
    from messenger.ui.main_window import MainWindow
    from messenger.viewmodels.session import SessionViewModel

    sig = generate_usersig(SDK_APP_ID, KEY, ME, 86400)
    folder = data / "app-client"
    client = Client(server.url, folder)
    await client.start()
    await client.login(ME, sig)
    await client.aclose()
    started = time.perf_counter()
    conn = schema.connect(str(next((folder / "accounts").glob("*/messages.sqlite3"))))
    fill_client_cache(conn, corpus, ME)
    conn.close()
    print(f"app cache written and indexed: {time.perf_counter() - started:.0f} s")

    client = Client(server.url, folder)
    await client.start()
    await client.login(ME, sig)
    session = SessionViewModel(client)
    await session.start()
    window = MainWindow()
    window.resize(1200, 800)
    window.bind(session)
    window.show()
    await asyncio.sleep(1)
    figures: dict[str, list[Run]] = {"keystroke → results painted": [], "open at a hit": []}
    box = window.conversation_list.filter  # type: ignore[union-attr]
    panel = window.global_search
    assert panel is not None
    answered = asyncio.Event()
    panel.vm.changed.connect(answered.set)
    for query in TYPED:
        box.clear()
        await asyncio.sleep(0.2)
        for n in range(1, len(query) + 1):
            text = query[:n]
            answered.clear()
            started, cpu = time.perf_counter(), time.process_time()
            if query[n - 1].isascii():
                QTest.keyClicks(box, query[n - 1])
            else:  # a character an input method commits
                box.insert(query[n - 1])
            while panel.vm.query != text.strip():
                await answered.wait()
                answered.clear()
            panel.results.viewport().repaint()
            took = (time.perf_counter() - started, time.process_time() - cpu)
            if text.strip() and panel.vm.chats:
                figures["keystroke → results painted"].append(took)
    print(f"  (last query: {len(panel.vm.chats)} chats listed)")

    chat = session.chat
    busy = "C2Cp0000"
    last = (await client.conversation(busy)).last_seq  # type: ignore[union-attr]
    depth = min(50_000, last - 1_000)  # (a small --quick cache has no chat that long)
    print(f"  (the busy chat holds {last:,} messages; the hit is {depth:,} back)")
    found = asyncio.Event()
    chat.message_found.connect(lambda _key: found.set())
    for back in (depth, depth + 500, depth - 500, depth + 250, depth - 250):
        await chat.open("C2Cp0001")  # another chat first
        await asyncio.sleep(0.1)
        found.clear()
        started, cpu = time.perf_counter(), time.process_time()
        window.open_message(busy, last - back)
        await found.wait()
        window.chat_pane.view.viewport().repaint()  # type: ignore[union-attr]
        took = (time.perf_counter() - started, time.process_time() - cpu)
        figures["open at a hit"].append(took)
        rows = chat.messages.rowCount()
    print(f"  (the chat opened with {rows} rows around the hit)")
    window.unbind()
    window.close()
    await client.aclose()
    return figures
