"""The server's SQLite schema: brought to the newest step by the migration runner
(``storage/migrations.py``) when the server opens its database. The steps are in
``sqlite/migrations/``; the schema number and the global version counter live in ``meta``."""

from __future__ import annotations

import sqlite3

from messenger.server.storage.migrations import UpgradeReport, upgrade
from messenger.server.storage.sqlite.migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


class SqliteSchemaTarget:
    """The runner's view of one SQLite connection (in autocommit mode)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")  # one writer at a time: other servers wait

    def current(self) -> int:
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if has_meta is None:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return int(row[0]) if row else 0

    def stamp(self, version: int) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('schema', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (version,),
        )

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def apply_schema(conn: sqlite3.Connection) -> UpgradeReport:
    return upgrade(SqliteSchemaTarget(conn), MIGRATIONS)
