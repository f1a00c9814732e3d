"""Schema 5: users by version, so a device's sync finds the profiles changed since its version
(its friends' and the members' of its groups) without reading every user; and the custom status
text kept with the profile (it outlives a restart and is the same on every node)."""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.script import run_script

SQL = "CREATE INDEX IF NOT EXISTS users_version ON users(version);"


def upgrade(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(profiles)")}
    if "status_text" not in columns:
        conn.execute("ALTER TABLE profiles ADD COLUMN status_text TEXT NOT NULL DEFAULT ''")
    run_script(conn, SQL)
