"""A psycopg connection that speaks the part of ``sqlite3.Connection`` the queries use:
``execute`` and ``executemany`` with ``?`` placeholders, cursors with ``fetchone``,
``fetchall``, ``rowcount`` and iteration. Python booleans are stored as 0/1 like SQLite's,
because the schema keeps flags in integer columns on both engines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format

from messenger.protocol.errors import InvalidParameter
from messenger.server.storage.postgres.dialect import to_postgres


def _refused(exc: psycopg.DataError) -> Exception:
    """PostgreSQL's text cannot hold NUL (SQLite's can): a typed refusal, nothing stored."""
    if "NUL" in str(exc):
        return InvalidParameter("text may not contain the NUL character (U+0000)", reason="nul")
    return exc


def _execute(raw: psycopg.Connection[Any], sql: str, params: Sequence[Any]) -> psycopg.Cursor[Any]:
    try:
        return raw.execute(to_postgres(sql), params)
    except psycopg.DataError as exc:
        raise _refused(exc) from None


class _BoolAsInt(Dumper):
    format = Format.TEXT
    oid = psycopg.postgres.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


def configure(conn: psycopg.Connection[Any]) -> None:
    """Every connection of the server: booleans as integers, autocommit (transactions are
    opened explicitly)."""
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.autocommit = True


def connect(dsn: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(dsn, autocommit=True)
    configure(conn)
    return conn


class PgConnection:
    """The writer's connection: reopened when the server lost it (a database restart)."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self.raw = connect(dsn)

    @property
    def broken(self) -> bool:
        return self.raw.broken or self.raw.closed

    def reconnect(self) -> None:
        try:
            self.raw.close()
        finally:
            self.raw = connect(self._dsn)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return _execute(self.raw, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> psycopg.Cursor[Any]:
        cur = self.raw.cursor()
        try:
            cur.executemany(to_postgres(sql), rows)
        except psycopg.DataError as exc:
            raise _refused(exc) from None
        return cur

    def close(self) -> None:
        self.raw.close()


class PgReadConnection:
    """A pooled connection lent to one read."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return _execute(self.raw, sql, params)
