"""Search benchmark: local search over a big cache, server search over a big database.

    python -m benchmarks.search [--quick] [--messages N]

1,000,000 messages (a third Chinese; ``--quick``: 50,000) are written in bulk into a client's
cache and into a server database (their own schema: the triggers build the search indexes);
then each query of ``corpus.queries`` runs several times:

- local: ``Store.search`` newest first and by relevance, within one conversation, and the
  global "messages grouped by chat" (``search_conversations``);
- server: the storage's search for a member of 10 of the 500 groups (only what they may read),
  newest first and by relevance;
- the app (``app.py``): a keystroke in the top search box → results painted, and a click on a
  hit 50,000 messages back in the busy chat → the chat painted around it.

Figures are printed (p50 / p95 per query in ms, wall clock and the process's CPU time: on a
busy machine the wall clock also counts the waits for a core); nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.search.app import Run, app_figures
from benchmarks.search.corpus import Corpus, fill_client_cache, fill_server, queries
from messenger.core.store import Store
from messenger.core.store import schema as client_schema
from messenger.server.storage.records import SearchFilter
from messenger.server.storage.sqlite.database import connect as server_connect
from messenger.server.storage.sqlite.storage import SqliteStorage

ME = "me"
RUNS = 5

def _p50_p95(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1e3:7.1f}  p95 {p95 * 1e3:7.1f}"


def _ms(runs: list[Run]) -> str:
    wall = _p50_p95([w for w, _ in runs])
    cpu = _p50_p95([c for _, c in runs])
    return f"{wall}   CPU {cpu}"


async def _timed(fn: Callable[[], Awaitable[Any]]) -> tuple[Run, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    result = await fn()
    return (time.perf_counter() - started, time.process_time() - cpu), result


async def local(data: Path, corpus: Corpus) -> dict[str, list[Run]]:
    path = data / "client" / "messages.sqlite3"
    path.parent.mkdir(parents=True)
    started = time.perf_counter()
    conn = client_schema.connect(str(path))
    fill_client_cache(conn, corpus, ME)
    conn.close()
    print(
        f"cache written and indexed: {corpus.messages:,} messages in "
        f"{time.perf_counter() - started:.0f} s, {path.stat().st_size / 1e6:.0f} MB"
    )
    store = Store(path, ME)
    await store.open()
    samples: dict[str, list[Run]] = {}
    try:
        for what, q in queries(corpus):
            for mode, call in (
                ("newest first", lambda q=q: store.search(q, limit=50)),
                ("by relevance", lambda q=q: store.search(q, by_relevance=True, limit=50)),
                ("one chat", lambda q=q: store.search(q, conversation_id="C2Cp0007", limit=50)),
                ("grouped by chat", lambda q=q: store.search_conversations(q, limit=20)),
            ):
                runs = []
                for _ in range(RUNS):
                    took, found = await _timed(call)
                    runs.append(took)
                samples.setdefault(mode, []).extend(runs)
                samples.setdefault(f"  {what}", []).extend(runs if mode == "newest first" else [])
                print(f"  local {mode:16} {what:30} {_ms(runs)}  ({len(found)} shown)")
    finally:
        await store.aclose()
    return samples


async def server(data: Path, corpus: Corpus) -> dict[str, list[Run]]:
    path = data / "server.sqlite3"
    storage = SqliteStorage(path, synchronous="OFF")
    await storage.open()
    await storage.close()
    started = time.perf_counter()
    conn = server_connect(path, synchronous="OFF")
    users = fill_server(conn, corpus, users=1000)
    conn.close()
    print(
        f"server database written and indexed: {corpus.messages:,} messages in "
        f"{time.perf_counter() - started:.0f} s, {path.stat().st_size / 1e6:.0f} MB"
    )
    storage = SqliteStorage(path, synchronous="OFF")
    await storage.open()
    samples: dict[str, list[Run]] = {}
    try:
        for what, q in queries(corpus):
            for mode, by_relevance in (("newest first", False), ("by relevance", True)):
                runs = []
                for i in range(RUNS):
                    user = users[(i * 37) % len(users)]
                    search = SearchFilter(query=q, by_relevance=by_relevance, limit=20)
                    took, (hits, _) = await _timed(
                        lambda u=user, s=search: storage.search_messages(u, s)
                    )
                    runs.append(took)
                samples.setdefault(mode, []).extend(runs)
                print(f"  server {mode:15} {what:30} {_ms(runs)}  ({len(hits)} shown)")
    finally:
        await storage.close()
    return samples


async def run(messages: int) -> tuple[dict[str, list[Run]], dict[str, list[Run]]]:
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        data = Path(tmp)
        corpus = Corpus(conversations=500, messages=messages)
        print(f"== local search, {messages:,} cached messages in 500 chats")
        figures = await local(data, corpus)
        print(f"== server search, {messages:,} stored messages in 500 groups of 20 of 1,000 users")
        server_figures = await server(data, corpus)
    return figures, server_figures


def summary(figures: dict[str, list[Run]], server_figures: dict[str, list[Run]]) -> None:
    print("== summary (ms, every query and run; wall clock, then CPU time)")
    for mode, runs in figures.items():
        if not mode.startswith(" "):
            print(f"local  {mode:16} {_ms(runs)}")
    for mode, runs in server_figures.items():
        print(f"server {mode:16} {_ms(runs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 messages, for a smoke run")
    parser.add_argument("--messages", type=int, default=0, help="how many messages")
    args = parser.parse_args()
    messages = args.messages or (50_000 if args.quick else 1_000_000)
    figures, server_figures = asyncio.run(run(messages))
    with tempfile.TemporaryDirectory(prefix="bench-search-app-") as tmp:
        print(f"== the app, {messages:,} cached messages (the busy chat: a tenth of them)")
        app = app_figures(Path(tmp), Corpus(conversations=500, messages=messages))
    summary(figures, server_figures)
    for what, runs in app.items():
        print(f"app    {what:28} {_ms(runs)}  ({len(runs)} samples)")


if __name__ == "__main__":
    main()
