"""The server's message search on PostgreSQL: p50 / max per query over a synthetic history.

    python -m benchmarks.pg_search [--messages N]

A throw-away PostgreSQL cluster gets the schema of before the full-text index (step 5), the
search benchmark's corpus (``benchmarks/search/corpus.py``: a third Chinese, Zipf-distributed
words) in groups of 20 of 1,000 users, plus one user ("heavy") who is in every group and so may
read every message; then the server's storage opens it, which runs the remaining schema steps
(the index of the messages already stored is built then, and timed). Each query runs for a
typical member and for the heavy one.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time

import psycopg

from benchmarks.search.corpus import SERVER_COLUMNS, STEP_MS, Corpus, queries, server_rows
from messenger.server.storage.migrations import upgrade
from messenger.server.storage.postgres.migrations import MIGRATIONS
from messenger.server.storage.postgres.schema import PostgresSchemaTarget
from messenger.server.storage.postgres.storage import PostgresStorage
from messenger.server.storage.records import SearchFilter
from tests.helpers.postgres import PostgresCluster

RUNS = 7
HEAVY = "heavy"


def fill(dsn: str, corpus: Corpus, users: int) -> list[str]:
    rng = random.Random(corpus.seed + 1)
    names = [f"u{i:04d}" for i in range(users)]
    with psycopg.connect(dsn, autocommit=True) as conn:
        upgrade(PostgresSchemaTarget(conn), MIGRATIONS[:5])
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO users (user_id, nickname, created) VALUES (%s, %s, 0)",
                [(u, u) for u in [*names, HEAVY]],
            )
            members: list[list[str]] = []
            for c in range(corpus.conversations):
                group_id = f"g{c:04d}"
                cur.execute(
                    "INSERT INTO conversations (id, kind, key) VALUES (%s, 'group', %s)",
                    (c + 1, group_id),
                )
                chosen = rng.sample(names, 20)
                members.append(chosen)
                cur.executemany(
                    "INSERT INTO participants (conv_id, user_id, conversation_id, kind) "
                    "VALUES (%s, %s, %s, 'group')",
                    [(c + 1, u, "GROUP" + group_id) for u in [*chosen, HEAVY]],
                )
            seqs = [0] * corpus.conversations
            with cur.copy(f"COPY messages ({SERVER_COLUMNS}) FROM STDIN") as copy:
                for row in server_rows(corpus, members, rng, seqs):
                    copy.write_row(row)
            cur.executemany(
                "UPDATE conversations SET last_seq = %s WHERE id = %s",
                [(seqs[c], c + 1) for c in range(corpus.conversations)],
            )
            cur.execute("UPDATE meta SET value = %s WHERE key = 'version'", (corpus.messages + 1,))
        conn.execute("ANALYZE")
    return names


async def measure(dsn: str, corpus: Corpus, users: list[str]) -> None:
    storage = PostgresStorage(dsn)
    started = time.perf_counter()
    await storage.open()  # the remaining schema steps (the index)
    print(f"opened (remaining schema steps) in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        for what, q in queries(corpus):
            for who in ("typical", HEAVY):
                runs = []
                hits: list[object] = []
                for i in range(RUNS):
                    user = users[(i * 37) % len(users)] if who == "typical" else HEAVY
                    started = time.perf_counter()
                    hits, _ = await storage.search_messages(user, SearchFilter(q, limit=20))
                    runs.append((time.perf_counter() - started) * 1e3)
                print(
                    f"  {what:30} {who:8} p50 {statistics.median(runs):8.1f} ms, "
                    f"max {max(runs):8.1f} ms ({len(hits)} shown)",
                    flush=True,
                )
    finally:
        await storage.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=200)
    args = parser.parse_args()
    corpus = Corpus(conversations=args.conversations, messages=args.messages)
    with PostgresCluster.start(durable=True) as cluster:
        dsn = cluster.create_database("search")
        started = time.perf_counter()
        users = fill(dsn, corpus, users=1000)
        print(
            f"{corpus.messages:,} messages in {corpus.conversations} groups written in "
            f"{time.perf_counter() - started:.1f} s; one search every {STEP_MS // 1000} s of "
            "history",
            flush=True,
        )
        asyncio.run(measure(dsn, corpus, users))


if __name__ == "__main__":
    main()
