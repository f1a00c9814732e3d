"""Run a script of several SQL statements inside the caller's transaction (``executescript``
would commit it first)."""

from __future__ import annotations

import sqlite3


def statements(script: str) -> list[str]:
    done: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            done.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise ValueError(f"an SQL script ends inside a statement: {pending.strip()[:80]}")
    return done


def run_script(conn: sqlite3.Connection, script: str) -> None:
    for statement in statements(script):
        conn.execute(statement)
