"""The schema migration runner on SQLite: a database written by the schema of before the runner
(``data/schema_v1.sql``, a dump of ``tests/helpers/storage_data.populate``) is upgraded with
nothing lost; a database from a newer server is refused untouched; a failing step leaves the
database at the step before. The same runner over PostgreSQL's steps, numbered alike."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from messenger.protocol.errors import SchemaTooNew
from messenger.server.storage.migrations import Migration, collect, upgrade
from messenger.server.storage.postgres.migrations import MIGRATIONS as PG_MIGRATIONS
from messenger.server.storage.postgres.schema import PostgresSchemaTarget
from messenger.server.storage.records import c2c_key
from messenger.server.storage.sqlite.migrations import MIGRATIONS
from messenger.server.storage.sqlite.schema import SCHEMA_VERSION, SqliteSchemaTarget
from messenger.server.storage.sqlite.storage import SqliteStorage
from tests.helpers.postgres import PostgresCluster
from tests.helpers.storage_data import new_message

V1_DUMP = Path(__file__).parent / "data" / "schema_v1.sql"
V1_HEAD = 71  # the version counter of the dumped database


def restore(path: Path, dump: Path = V1_DUMP) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(dump.read_text())
    conn.close()


def schema_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0])
    finally:
        conn.close()


def dump_of(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


async def test_a_database_of_the_old_schema_is_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    restore(path)
    assert schema_of(path) == 1
    storage = SqliteStorage(path, synchronous="NORMAL")
    await storage.open()
    try:
        assert schema_of(path) == SCHEMA_VERSION
        assert storage.head == V1_HEAD
        listed = await storage.conversation_list("alice")
        ids = {c.state.conversation_id for c in listed.conversations}
        assert {"C2Cbob", "GROUPteam"} <= ids
        feed = await storage.feed("alice", 0, 10_000)
        assert feed.next_version == V1_HEAD and feed.changes
        conv = await storage.find_c2c("alice", "bob")
        assert conv is not None
        ab = c2c_key("alice", "bob")
        before, _ = await storage.history(
            conv_id=conv, kind="c2c", key=ab, user_id="alice",
            before_seq=None, after_seq=None, limit=100,
        )  # fmt: skip
        after = new_message("alice", "c2c", ab, conv, "after")
        after = replace(after, message_id="after-upgrade", client_msg_id="after-upgrade")
        sent = await storage.insert_message(after)
        assert sent.message.seq == before[-1].seq + 1  # the sequence goes on
        assert storage.head > V1_HEAD  # and so does the version counter
        _, team = await storage.group_by_id("team")
        assert team.name == "Team" and team.member_count == 3
    finally:
        await storage.close()


async def test_a_database_from_a_newer_server_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    restore(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    before = dump_of(path)
    storage = SqliteStorage(path, synchronous="NORMAL")
    with pytest.raises(SchemaTooNew) as refused:
        await storage.open()
    assert refused.value.details == {"database": SCHEMA_VERSION + 1, "known": SCHEMA_VERSION}
    assert "newer server" in refused.value.message
    assert dump_of(path) == before  # (opening only switched the file to WAL mode)


def test_each_step_is_one_transaction_a_failing_step_changes_nothing(tmp_path: Path) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        conn.execute("ALTER TABLE users ADD COLUMN half_done INTEGER")
        raise RuntimeError("step failed")

    conn = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    target = SqliteSchemaTarget(conn)
    steps = [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "broken", broken)]
    with pytest.raises(RuntimeError, match="step failed"):
        upgrade(target, steps)
    assert target.current() == len(MIGRATIONS)  # every step before the broken one stayed
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='half_done'").fetchone() is None
    columns = {row[1] for row in conn.execute("PRAGMA table_info(users)")}
    assert "half_done" not in columns
    report = upgrade(target, MIGRATIONS)  # the server of before still opens it
    assert report.applied == 0 and not conn.in_transaction


def test_steps_run_one_after_another_from_any_schema(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    target = SqliteSchemaTarget(conn)
    assert upgrade(target, MIGRATIONS[:1]).after == 1
    conn.execute("INSERT INTO users(user_id, created) VALUES ('alice', 1)")
    assert "join_option" not in {row[1] for row in conn.execute("PRAGMA table_info(groups)")}
    report = upgrade(target, MIGRATIONS)
    assert (report.before, report.after) == (1, SCHEMA_VERSION)
    assert "join_option" in {row[1] for row in conn.execute("PRAGMA table_info(groups)")}
    assert conn.execute("SELECT user_id FROM users").fetchall() == [("alice",)]


def test_migration_numbers_must_run_without_gaps() -> None:
    def module(name: str) -> types.ModuleType:
        mod = types.ModuleType(f"pkg.{name}")
        mod.upgrade = lambda conn: None  # type: ignore[attr-defined]
        return mod

    steps: tuple[Migration[object], ...] = collect(module("v0002_b"), module("v0001_a"))
    assert [m.version for m in steps] == [1, 2]
    with pytest.raises(ValueError, match="without gaps"):
        collect(module("v0001_a"), module("v0003_c"))
    with pytest.raises(ValueError, match="without gaps"):
        collect(module("v0001_a"), module("v0001_again"))
    with pytest.raises(ValueError, match="named vNNNN_what"):
        collect(module("add_things"))


def test_the_server_refuses_to_start_on_a_newer_schema(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    restore(data / "messenger.sqlite3")
    conn = sqlite3.connect(data / "messenger.sqlite3")
    conn.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION + 5,))
    conn.commit()
    conn.close()
    done = subprocess.run(
        [sys.executable, "-m", "messenger.server.cli", "--data-dir", str(data), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("messenger-server: the database has schema"), done.stderr
    assert f"knows schema {SCHEMA_VERSION} at most" in last


# -- PostgreSQL: the same runner over its own steps ------------------------------------------------
def test_postgres_steps_run_one_after_another_and_a_newer_schema_is_refused(
    postgres: PostgresCluster,
) -> None:
    with psycopg.connect(postgres.fresh_schema(), autocommit=True) as conn:
        target = PostgresSchemaTarget(conn)
        assert upgrade(target, PG_MIGRATIONS[:1]).after == 1
        conn.execute("INSERT INTO users(user_id, created) VALUES ('alice', 1)")
        report = upgrade(target, PG_MIGRATIONS)
        assert (report.before, report.after) == (1, len(PG_MIGRATIONS))
        assert len(PG_MIGRATIONS) == SCHEMA_VERSION  # the backends number their steps alike
        assert conn.execute("SELECT user_id FROM users").fetchall() == [("alice",)]
        assert conn.execute("SELECT to_regclass('group_applications')").fetchone() != (None,)
        assert upgrade(target, PG_MIGRATIONS).applied == 0
        conn.execute("UPDATE meta SET value=%s WHERE key='schema'", (len(PG_MIGRATIONS) + 1,))
        with pytest.raises(SchemaTooNew):
            upgrade(target, PG_MIGRATIONS)


def test_the_postgres_search_index_step_indexes_the_messages_already_stored(
    postgres: PostgresCluster,
) -> None:
    with psycopg.connect(postgres.fresh_schema(), autocommit=True) as conn:
        target = PostgresSchemaTarget(conn)
        upgrade(target, PG_MIGRATIONS[:5])
        insert = (
            "INSERT INTO messages(conv_id, seq, message_id, sender, client_msg_id, time, kind, "
            "body, recalled, version) VALUES (1, %s, %s, 'alice', %s, 1, %s, %s, %s, %s)"
        )
        rows = [
            (1, "text", '{"text": "Grüße aus 北京"}', 0),
            (2, "text", '{"text": "recalled words"}', 1),
            (3, "tip", '{"tip": "member_joined"}', 0),
        ]
        for seq, kind, body, recalled in rows:
            conn.execute(insert, (seq, f"m{seq}", f"c{seq}", kind, body, recalled, seq))
        upgrade(target, PG_MIGRATIONS)

        def hits(query: str) -> list[int]:
            found = conn.execute(
                "SELECT seq FROM message_words WHERE words @@ %s::tsquery ORDER BY seq", (query,)
            )
            return [row[0] for row in found]

        assert hits("'grusse'") == hits("'北' <-> '京'") == hits("'gru':*") == [1]
        assert hits("'recalled'") == hits("'member':*") == []


def test_a_failing_postgres_step_changes_nothing(postgres: PostgresCluster) -> None:
    def broken(conn: Any) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("step failed")

    with psycopg.connect(postgres.fresh_schema(), autocommit=True) as conn:
        target = PostgresSchemaTarget(conn)
        steps = [*PG_MIGRATIONS, Migration(len(PG_MIGRATIONS) + 1, "broken", broken)]
        with pytest.raises(RuntimeError, match="step failed"):
            upgrade(target, steps)
        assert target.current() == len(PG_MIGRATIONS)
        assert conn.execute("SELECT to_regclass('half_done')").fetchone() == (None,)
