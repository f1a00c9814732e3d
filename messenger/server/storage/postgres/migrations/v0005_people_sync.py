"""Schema 5 on PostgreSQL: users by version and the status text (see
``sqlite/migrations/v0005_people_sync.py``)."""

from __future__ import annotations

from typing import Any

SQL = """
CREATE INDEX IF NOT EXISTS users_version ON users(version);
ALTER TABLE profiles ADD COLUMN IF NOT EXISTS status_text TEXT NOT NULL DEFAULT '';
"""


def upgrade(conn: Any) -> None:
    conn.execute(SQL)
