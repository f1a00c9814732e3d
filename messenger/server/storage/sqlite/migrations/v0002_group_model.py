"""Schema 2: the group model (avatar, join option, mute, custom fields, pinned messages,
dismissal, topics; members' mute and custom fields), join applications and departures.

Databases stamped schema 1 by servers from before the runner may already hold some of it, so
each column is added only when missing.
"""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.script import run_script

_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "groups": (
        ("avatar", "TEXT NOT NULL DEFAULT ''"),
        ("join_option", "TEXT NOT NULL DEFAULT 'forbidden'"),
        ("mute_all", "INTEGER NOT NULL DEFAULT 0"),
        ("custom", "TEXT NOT NULL DEFAULT ''"),  # JSON object, '' when empty
        ("pinned", "TEXT NOT NULL DEFAULT ''"),  # JSON list of message IDs, '' when none
        ("dismissed", "INTEGER NOT NULL DEFAULT 0"),
        ("parent", "TEXT NOT NULL DEFAULT ''"),  # a topic: its community's group ID
    ),
    "participants": (
        ("mute_until", "INTEGER NOT NULL DEFAULT 0"),
        ("custom", "TEXT NOT NULL DEFAULT ''"),
    ),
}

SQL = """
-- join applications; the first owner or admin to handle one wins (status moves once)
CREATE TABLE IF NOT EXISTS group_applications (
    id          INTEGER PRIMARY KEY,
    conv_id     INTEGER NOT NULL,
    applicant   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    time        INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending',
    handled_by  TEXT NOT NULL DEFAULT '',
    handle_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS group_applications_pending
    ON group_applications(conv_id, status, applicant);

-- a user who left a group (quit, kicked, dismissed): their devices sync the departure
CREATE TABLE IF NOT EXISTS group_departures (
    conv_id INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (user_id, conv_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_departures_version ON group_departures(user_id, version);
CREATE INDEX IF NOT EXISTS groups_parent ON groups(parent);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for table, columns in _COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, decl in columns:
            if name not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
    run_script(conn, SQL)
