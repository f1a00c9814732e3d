"""The SQL translated for PostgreSQL: what differs from SQLite, and nothing else."""

from __future__ import annotations

from messenger.server.storage.postgres.dialect import to_postgres


def test_placeholders_and_percent_signs() -> None:
    assert to_postgres("SELECT a FROM t WHERE b=? AND c LIKE '5%'") == (
        "SELECT a FROM t WHERE b=%s AND c LIKE '5%%'"
    )


def test_scalar_max_and_min_become_greatest_and_least_aggregates_stay() -> None:
    assert to_postgres("SELECT max(a, min(b, c)), MAX(v), min(x) FROM t") == (
        "SELECT GREATEST(a, LEAST(b, c)), MAX(v), min(x) FROM t"
    )
    assert to_postgres("SELECT max(coalesce(a, 0)) FROM t") == "SELECT max(coalesce(a, 0)) FROM t"


def test_insert_or_ignore_and_instr() -> None:
    assert to_postgres("INSERT OR IGNORE INTO t(a) VALUES (?)") == (
        "INSERT INTO t(a) VALUES (%s) ON CONFLICT DO NOTHING"
    )
    assert to_postgres("INSERT OR IGNORE INTO t(a) VALUES (?) RETURNING a") == (
        "INSERT INTO t(a) VALUES (%s) ON CONFLICT DO NOTHING RETURNING a"
    )
    assert to_postgres("SELECT instr(lower(n), ?) FROM u") == "SELECT strpos(lower(n), %s) FROM u"
