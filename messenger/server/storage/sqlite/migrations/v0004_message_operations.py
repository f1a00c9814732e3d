"""Schema 4: the message operations. Messages gain an edit time, their reactions and a
forwarded mark; a C2C conversation its pins; ``hidden_messages`` holds what each user deleted
for themselves; ``bundles`` the content of merged forwards, stored once."""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.script import run_script

_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "messages": (
        ("edit_time", "INTEGER NOT NULL DEFAULT 0"),
        ("reactions", "TEXT NOT NULL DEFAULT ''"),  # JSON list of {emoji, users}, '' when none
        ("forwarded", "INTEGER NOT NULL DEFAULT 0"),
    ),
    "conversations": (
        ("pins", "TEXT NOT NULL DEFAULT ''"),  # C2C: JSON list of message IDs, '' when none
        ("pins_version", "INTEGER NOT NULL DEFAULT 0"),
    ),
}

SQL = """
-- messages a user deleted for themselves (their devices show a placeholder, nobody else's)
CREATE TABLE IF NOT EXISTS hidden_messages (
    user_id TEXT NOT NULL,
    conv_id INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (user_id, conv_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hidden_messages_version ON hidden_messages(user_id, version);

-- the content of merged forwards, stored once however often the card is sent on
CREATE TABLE IF NOT EXISTS bundles (
    bundle_id TEXT PRIMARY KEY,
    owner     TEXT NOT NULL,
    created   INTEGER NOT NULL,
    content   BLOB NOT NULL          -- JSON list of BundleItem
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conversations_pins ON conversations(pins_version)
    WHERE pins_version > 0;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for table, columns in _COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, decl in columns:
            if name not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
    run_script(conn, SQL)
