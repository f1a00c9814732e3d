"""Scrolling a chat of 2,000 image messages, against the same chat of text messages: frame time
of each wheel notch (scroll and repaint; the loop turn after it, when pages from the store
arrive, apart) from the latest
message up to the first and back down, and the app's memory (RSS) after that end-to-end scroll.

    .venv/bin/python -m benchmarks.media_scroll [--count 2000]

Each chat runs in a fresh process (so memory figures do not mix): an embedded server, a client
whose local store is filled directly (as if synced), offscreen Qt. The image chat's small
thumbnails (198 px JPEGs, as the server makes them, each a different picture) are in the media
cache, as after a first look at the chat: the figure is the painting and decoding cost, not the
network. Prints p50 / p95 / max frame times in ms and RSS in MB for both, and the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

NOTCH = 120  # pixels per wheel notch


def rss_mb() -> float:
    """Resident memory of this process now (Linux: /proc), else the peak."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def thumbnail(n: int) -> tuple[bytes, int, int]:
    """A different small JPEG per message, in the shapes photos come in."""
    from PIL import Image, ImageDraw

    width, height = [(198, 148), (148, 198), (198, 198), (198, 111)][n % 4]
    image = Image.new("RGB", (width, height), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    draw = ImageDraw.Draw(image)
    draw.ellipse([width // 4, height // 4, width * 3 // 4, height * 3 // 4], fill=(250, 250, 250))
    draw.text((8, 8), str(n), fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue(), width * 20, height * 20


def message(n: int, kind: str, cache: object) -> object:
    from messenger.protocol.models import Message

    sender = "alice" if n % 3 == 0 else "bob"
    body: dict[str, object]
    if kind == "image":
        data, width, height = thumbnail(n)
        media_id = hashlib.sha256(b"picture %d" % n).hexdigest()
        cache.target(media_id, "small").write_bytes(data)  # type: ignore[attr-defined]
        body = {"media_id": media_id, "size": 900_000, "width": width, "height": height}
    else:
        body = {"text": f"{n}: the quick brown fox jumps over the lazy dog, message number {n}"}
    return Message(
        message_id=f"m{n}",
        conv_type="c2c",
        target="bob" if sender == "alice" else "alice",
        sender=sender,
        seq=n,
        client_msg_id=f"c{n}",
        time=1_700_000_000_000 + n * 45_000,
        kind=kind,
        body=body,
    )


async def run_one(kind: str, count: int) -> dict[str, float]:
    from messenger.app.embedded import EmbeddedServer
    from messenger.core import Client
    from messenger.protocol.models import ConversationState
    from messenger.ui.main_window import MainWindow
    from messenger.viewmodels.session import SessionViewModel

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedServer(root / "server").start()
        alice = Client(server.url, root / "alice")
        await alice.start()
        await alice.register("alice", "bench-password", "Alice")
        await alice.login_with_password("alice", "bench-password")
        account = alice._signed_in()  # a benchmark may reach in: fill the cache directly
        batch = [message(n, kind, account.transfers.cache) for n in range(1, count + 1)]
        await account.store.put_messages(batch)  # type: ignore[arg-type]
        await account.store.put_state(
            ConversationState(conversation_id="C2Cbob", conv_type="c2c", read_seq=count, version=1)
        )
        session = SessionViewModel(alice)
        await session.start()
        window = MainWindow()
        window.resize(1200, 800)
        window.bind(session)
        window.show()
        await session.chat.open("C2Cbob")
        view = window.chat_pane.view
        view.viewport().repaint()
        model = session.chat.messages
        bar = view.verticalScrollBar()
        before = rss_mb()

        frames: list[float] = []  # scroll + repaint: the GUI thread's work for a frame
        turns: list[float] = []  # the loop turn after it (pages from the store arrive then)

        async def notch(delta: int) -> None:
            begin = time.perf_counter()
            bar.setValue(bar.value() + delta)
            view.viewport().repaint()
            painted = time.perf_counter()
            frames.append((painted - begin) * 1000)
            await asyncio.sleep(0)
            turns.append((time.perf_counter() - painted) * 1000)

        steps = 0
        while (model.has_older or bar.value() > 0) and steps < 50_000:
            await notch(-NOTCH)
            steps += 1
        reached_first = model.messages()[0].seq == 1
        while (not model.at_latest or bar.value() < bar.maximum()) and steps < 100_000:
            await notch(NOTCH)
            steps += 1
        await asyncio.sleep(0.2)
        after = rss_mb()
        frames.sort()
        turns.sort()
        figures = {
            "turn_p95": turns[int(len(turns) * 0.95)],
            "frames": len(frames),
            "p50": statistics.median(frames),
            "p95": frames[int(len(frames) * 0.95)],
            "max": frames[-1],
            "rss_open": before,
            "rss_after": after,
            "reached_first": float(reached_first),
            "decoded": float(len(getattr(view.delegate, "_images", {}))),
        }
        session.close()
        window.close()
        await alice.aclose()
        server.stop()
        return figures


def child(kind: str, count: int) -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    from messenger.app.qt_compat import pin_singletons_if_needed

    pin_singletons_if_needed()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    figures = qasync.run(run_one(kind, count))
    print("FIGURES " + json.dumps(figures), flush=True)


def measure(kind: str, count: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.media_scroll", "--child", kind, "--count", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("FIGURES "))
    return json.loads(line[len("FIGURES ") :])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--child", choices=("text", "image"))
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count)
        return
    results = {kind: measure(kind, args.count) for kind in ("text", "image")}
    for kind, f in results.items():
        print(
            f"{args.count} {kind} messages, top and back: {f['frames']:.0f} frames, "
            f"p50 {f['p50']:.2f} ms, p95 {f['p95']:.2f} ms, max {f['max']:.2f} ms "
            f"(the loop turn after a frame: p95 {f['turn_p95']:.2f} ms); "
            f"RSS {f['rss_open']:.0f} MB after opening, {f['rss_after']:.0f} MB after scrolling"
            + (f"; thumbnails decoded and kept: {f['decoded']:.0f}" if kind == "image" else "")
            + ("" if f["reached_first"] else " (did NOT reach the first message)")
        )
    extra = results["image"]["rss_after"] - results["text"]["rss_after"]
    print(f"memory of the image chat above the text chat after scrolling: {extra:+.0f} MB")
    print("goals: frame p95 <= 8 ms; memory <= +100 MB")


if __name__ == "__main__":
    main()
