"""Schema 6 on SQLite: nothing to add (PostgreSQL's step 6 gives its messages the full-text
index that SQLite's step 3 gave them here)."""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    pass
