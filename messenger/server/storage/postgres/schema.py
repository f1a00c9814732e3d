"""The server's PostgreSQL schema, brought to the newest step by the migration runner. Servers
starting at once take turns: each step's transaction first takes an advisory lock."""

from __future__ import annotations

from typing import Any

import psycopg

from messenger.server.storage.migrations import UpgradeReport, upgrade
from messenger.server.storage.postgres.migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)
_MIGRATION_LOCK = 0x6D736772  # any constant of this server's own: "msgr"


class PostgresSchemaTarget:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn  # in autocommit mode

    def begin(self) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))

    def current(self) -> int:
        row = self.conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
        if row is None or not row[0]:
            return 0
        found = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return int(found[0]) if found else 0

    def stamp(self, version: int) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('schema', %s) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (version,),
        )

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.conn.execute("ROLLBACK")


def apply_schema(conn: psycopg.Connection[Any]) -> UpgradeReport:
    return upgrade(PostgresSchemaTarget(conn), MIGRATIONS)
