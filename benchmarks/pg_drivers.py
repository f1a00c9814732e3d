"""asyncpg against psycopg 3 on the server's hot path: storing C2C messages the way the
PostgreSQL engine does (``storage/postgres/database.py``): per batch, lock the version counter,
then per message a savepoint, the conversation's seq bump (``UPDATE … RETURNING``), the message
insert (``ON CONFLICT DO NOTHING``), the release; the counter stored and one commit per batch.

    python -m benchmarks.pg_drivers [--messages 5000]

Each driver stores the same messages on its own copy of the tables in a throw-away cluster with
PostgreSQL's durable defaults, in batches of 1 (a lone message) and of 64 (group commit).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import psycopg

from tests.helpers.postgres import PostgresCluster

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO meta VALUES ('version', 0);
CREATE TABLE conversations (id BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL DEFAULT 0,
    last_time BIGINT NOT NULL DEFAULT 0, version BIGINT NOT NULL DEFAULT 0);
INSERT INTO conversations(id) SELECT g FROM generate_series(1, 64) g;
CREATE TABLE messages (conv_id BIGINT NOT NULL, seq BIGINT NOT NULL, message_id TEXT NOT NULL,
    sender TEXT NOT NULL, client_msg_id TEXT NOT NULL, time BIGINT NOT NULL, kind TEXT NOT NULL,
    body TEXT NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (conv_id, seq));
CREATE UNIQUE INDEX messages_id ON messages(message_id);
CREATE UNIQUE INDEX messages_client ON messages(sender, client_msg_id);
"""
BUMP = (
    "UPDATE conversations SET last_seq=last_seq+1, "
    "last_time=GREATEST(last_time, {0}), version={1} WHERE id={2} RETURNING last_seq, last_time"
)
INSERT = (
    "INSERT INTO messages(conv_id, seq, message_id, sender, client_msg_id, time, kind, body, "
    "version) VALUES ({0},{1},{2},{3},{4},{5},'text',{6},{7}) "
    "ON CONFLICT (sender, client_msg_id) DO NOTHING"
)
BODY = '{"text": "hello, 你好, a message of an ordinary length"}'


_ids = iter(range(10**9))


def _args(n: int, version: int) -> tuple[int, int, str, str, str, int]:
    k = next(_ids)  # never the same message twice, across runs
    return (k % 64 + 1, version, f"m{k}", f"u{k % 97}", f"c{k}", int(time.time() * 1000))


def psycopg_sync(dsn: str, messages: int, batch: int) -> float:
    bump = BUMP.format("%s", "%s", "%s")
    insert = INSERT.format(*(["%s"] * 8))
    with psycopg.connect(dsn, autocommit=True) as conn:
        started = time.perf_counter()
        n = 0
        while n < messages:
            conn.execute("BEGIN")
            (version,) = conn.execute(
                "SELECT value FROM meta WHERE key='version' FOR UPDATE"
            ).fetchone()  # type: ignore[misc]
            for _ in range(min(batch, messages - n)):
                conv, _, mid, sender, cid, now = _args(n, 0)
                version += 1
                conn.execute("SAVEPOINT job")
                row = conn.execute(bump, (now, version, conv)).fetchone()
                assert row is not None
                conn.execute(insert, (conv, row[0], mid, sender, cid, row[1], BODY, version))
                conn.execute("RELEASE job")
                n += 1
            conn.execute("UPDATE meta SET value=%s WHERE key='version'", (version,))
            conn.execute("COMMIT")
        return time.perf_counter() - started


async def psycopg_async(dsn: str, messages: int, batch: int) -> float:
    bump = BUMP.format("%s", "%s", "%s")
    insert = INSERT.format(*(["%s"] * 8))
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        started = time.perf_counter()
        n = 0
        while n < messages:
            await conn.execute("BEGIN")
            cur = await conn.execute("SELECT value FROM meta WHERE key='version' FOR UPDATE")
            (version,) = await cur.fetchone()  # type: ignore[misc]
            for _ in range(min(batch, messages - n)):
                conv, _, mid, sender, cid, now = _args(n, 0)
                version += 1
                await conn.execute("SAVEPOINT job")
                cur = await conn.execute(bump, (now, version, conv))
                row = await cur.fetchone()
                assert row is not None
                await conn.execute(insert, (conv, row[0], mid, sender, cid, row[1], BODY, version))
                await conn.execute("RELEASE job")
                n += 1
            await conn.execute("UPDATE meta SET value=%s WHERE key='version'", (version,))
            await conn.execute("COMMIT")
        return time.perf_counter() - started


async def asyncpg_run(dsn: str, messages: int, batch: int) -> float:
    bump = BUMP.format("$1", "$2", "$3")
    insert = INSERT.format(*(f"${i}" for i in range(1, 9)))
    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        n = 0
        while n < messages:
            async with conn.transaction():
                version = await conn.fetchval(
                    "SELECT value FROM meta WHERE key='version' FOR UPDATE"
                )
                for _ in range(min(batch, messages - n)):
                    conv, _, mid, sender, cid, now = _args(n, 0)
                    version += 1
                    async with conn.transaction():  # a savepoint
                        row = await conn.fetchrow(bump, now, version, conv)
                        await conn.execute(
                            insert, conv, row[0], mid, sender, cid, row[1], BODY, version
                        )
                    n += 1
                await conn.execute("UPDATE meta SET value=$1 WHERE key='version'", version)
        return time.perf_counter() - started
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args()
    runs: list[tuple[str, Callable[[str, int, int], Any]]] = [
        ("psycopg 3 (sync, in a thread)", psycopg_sync),
        ("psycopg 3 (async)", lambda d, m, b: asyncio.run(psycopg_async(d, m, b))),
        ("asyncpg", lambda d, m, b: asyncio.run(asyncpg_run(d, m, b))),
    ]
    with PostgresCluster.start(durable=True) as cluster:
        print(f"{args.messages} messages per run, PostgreSQL on loopback, fsync on")
        for batch in (1, 64):
            for name, run in runs:
                dsn = cluster.create_database()
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(SCHEMA)
                run(dsn, 200, batch)  # warm up (connections, plans)
                elapsed = run(dsn, args.messages, batch)
                print(
                    f"  batch {batch:>2}  {name:<30} {args.messages / elapsed:>8,.0f} msg/s "
                    f"({elapsed * 1e6 / args.messages:.0f} µs per message)"
                )


if __name__ == "__main__":
    main()
