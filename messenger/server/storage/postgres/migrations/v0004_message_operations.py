"""Schema 4 on PostgreSQL: the message operations (see
``sqlite/migrations/v0004_message_operations.py``)."""

from __future__ import annotations

from typing import Any

SQL = """
ALTER TABLE messages ADD COLUMN IF NOT EXISTS edit_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS reactions TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN IF NOT EXISTS forwarded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS pins TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS pins_version BIGINT NOT NULL DEFAULT 0;

-- messages a user deleted for themselves (their devices show a placeholder, nobody else's)
CREATE TABLE IF NOT EXISTS hidden_messages (
    user_id TEXT NOT NULL,
    conv_id BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (user_id, conv_id, seq)
);
CREATE INDEX IF NOT EXISTS hidden_messages_version ON hidden_messages(user_id, version);

-- the content of merged forwards, stored once however often the card is sent on
CREATE TABLE IF NOT EXISTS bundles (
    bundle_id TEXT PRIMARY KEY,
    owner     TEXT NOT NULL,
    created   BIGINT NOT NULL,
    content   BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_pins ON conversations(pins_version)
    WHERE pins_version > 0;
"""


def upgrade(conn: Any) -> None:
    conn.execute(SQL)
