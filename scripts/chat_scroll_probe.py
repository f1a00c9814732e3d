"""A quick look at the chat's scrolling cost with a long history (not a benchmark).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/chat_scroll_probe.py [COUNT]

Stores COUNT (default 100,000) messages of one conversation in a client's local store (as if
synced), opens the chat in a ``MainWindow`` and scrolls from the bottom to the top in steps of
a mouse wheel notch, repainting after each step. Prints per-frame GUI-thread times (p50, p95,
max) and the window's largest row count: the history is paged from the store, never loaded
whole.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication

from messenger.app.embedded import EmbeddedServer
from messenger.app.qt_compat import pin_singletons_if_needed
from messenger.core import Client
from messenger.protocol.models import ConversationState, Message
from messenger.ui.main_window import MainWindow
from messenger.viewmodels.session import SessionViewModel

WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "a",
    "lazy",
    "dog",
    "while",
    "messages",
    "keep",
    "coming",
    "in",
]


def synthetic(n: int, me: str, peer: str) -> Message:
    sender = me if n % 3 == 0 else peer
    text = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(3 + (n * 7) % 40))
    return Message(
        message_id=f"probe{n}",
        conv_type="c2c",
        target=peer if sender == me else me,
        sender=sender,
        seq=n,
        client_msg_id=f"probe-c{n}",
        time=1_700_000_000_000 + n * 45_000,
        kind="text",
        body={"text": f"{n}: {text}"},
    )


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        alice = Client(server.url, root / "alice")
        await alice.start()
        await alice.register("alice", "probe-password", "Alice")
        await alice.login_with_password("alice", "probe-password")
        store = alice._signed_in().store  # a probe may reach in: fill the cache directly
        started = time.monotonic()
        for low in range(1, count + 1, 5000):
            batch = [synthetic(n, "alice", "bob") for n in range(low, min(low + 5000, count + 1))]
            await store.put_messages(batch)
        await store.put_state(
            ConversationState(conversation_id="C2Cbob", conv_type="c2c", read_seq=count, version=1)
        )  # all read: the chat opens at the latest message
        print(f"stored {count} messages in {time.monotonic() - started:.1f} s")

        session = SessionViewModel(alice)
        await session.start()
        window = MainWindow()
        window.resize(1200, 800)
        window.bind(session)
        window.show()
        started = time.monotonic()
        await session.chat.open("C2Cbob")
        pane = window.chat_pane
        assert pane is not None
        view = pane.view
        view.viewport().repaint()
        print(f"open + first paint: {(time.monotonic() - started) * 1000:.1f} ms")

        model = session.chat.messages
        largest = model.rowCount()
        frames: list[float] = []
        bar = view.verticalScrollBar()
        steps = 0
        while (model.has_older or bar.value() > 0) and steps < 20_000:
            begin = time.perf_counter()
            bar.setValue(bar.value() - 120)  # one wheel notch
            view.viewport().repaint()
            frames.append((time.perf_counter() - begin) * 1000)
            await asyncio.sleep(0)  # pages arrive from the store thread meanwhile
            begin = time.perf_counter()
            await asyncio.sleep(0)
            frames[-1] += (time.perf_counter() - begin) * 1000
            largest = max(largest, model.rowCount())
            steps += 1
        frames.sort()
        p95 = frames[int(len(frames) * 0.95)]
        print(
            f"{steps} frames scrolling to the top: p50 {statistics.median(frames):.2f} ms, "
            f"p95 {p95:.2f} ms, max {frames[-1]:.2f} ms; largest window {largest} rows; "
            f"reached the first message: {model.messages()[0].seq == 1}"
        )
        session.close()
        window.close()
        await alice.aclose()
        server.stop()


if __name__ == "__main__":
    pin_singletons_if_needed()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    qasync.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
