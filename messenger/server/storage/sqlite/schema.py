"""The server's SQLite schema.

One row per message per conversation (never per member), one row per participant per
conversation holding that user's own state of it, and a global version counter in ``meta``.
"""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.groups_schema import apply_group_schema
from messenger.server.storage.sqlite.people_schema import apply_people_schema

SCHEMA_VERSION = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta(key, value) VALUES ('version', 0), ('schema', 1);

CREATE TABLE IF NOT EXISTS users (
    user_id       TEXT PRIMARY KEY,
    nickname      TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    created       INTEGER NOT NULL,
    banned        INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    device_name    TEXT NOT NULL DEFAULT '',
    platform       TEXT NOT NULL DEFAULT '',
    created        INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    revoked_reason TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id, revoked_reason, created);

-- kind: 'c2c' (key = 'userA|userB', sorted) or 'group' (key = group ID)
CREATE TABLE IF NOT EXISTS conversations (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL UNIQUE,
    last_seq  INTEGER NOT NULL DEFAULT 0,
    last_time INTEGER NOT NULL DEFAULT 0,
    version   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS conversations_version ON conversations(version);

-- one user's membership of a conversation and their own state of it
CREATE TABLE IF NOT EXISTS participants (
    conv_id         INTEGER NOT NULL,
    user_id         TEXT NOT NULL,
    conversation_id TEXT NOT NULL,          -- as this user sees it: C2C<peer> / GROUP<id>
    kind            TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'member',
    join_time       INTEGER NOT NULL DEFAULT 0,
    name_card       TEXT NOT NULL DEFAULT '',
    joined_seq      INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    read_version    INTEGER NOT NULL DEFAULT 0,
    pinned          INTEGER NOT NULL DEFAULT 0,
    pin_time        INTEGER NOT NULL DEFAULT 0,
    remind          TEXT NOT NULL DEFAULT 'notify',
    hidden_seq      INTEGER NOT NULL DEFAULT -1,
    cleared_seq     INTEGER NOT NULL DEFAULT 0,
    marked_unread   INTEGER NOT NULL DEFAULT 0,
    draft_text      TEXT NOT NULL DEFAULT '',
    draft_time      INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conv_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS participants_user ON participants(user_id, version);
CREATE INDEX IF NOT EXISTS participants_conversation_id ON participants(user_id, conversation_id);

CREATE TABLE IF NOT EXISTS messages (
    conv_id       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    message_id    TEXT NOT NULL,
    sender        TEXT NOT NULL,
    client_msg_id TEXT NOT NULL,
    time          INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,            -- JSON
    mentions      TEXT NOT NULL DEFAULT '', -- JSON list of user IDs, '' when none
    mention_all   INTEGER NOT NULL DEFAULT 0,
    reply_to      TEXT,                     -- JSON
    recalled      INTEGER NOT NULL DEFAULT 0,
    recalled_by   TEXT,
    recall_time   INTEGER,
    version       INTEGER NOT NULL,
    PRIMARY KEY (conv_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS messages_id ON messages(message_id);
CREATE UNIQUE INDEX IF NOT EXISTS messages_client_id ON messages(sender, client_msg_id);
CREATE INDEX IF NOT EXISTS messages_version ON messages(conv_id, version);

CREATE TABLE IF NOT EXISTS groups (
    conv_id      INTEGER PRIMARY KEY,
    group_id     TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    create_time  INTEGER NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    notification TEXT NOT NULL DEFAULT '',
    max_members  INTEGER NOT NULL,
    member_count INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0
);
"""


def apply_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(_TABLES)
    apply_people_schema(conn)
    apply_group_schema(conn)
    row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if row is None or int(row[0]) > SCHEMA_VERSION:
        raise RuntimeError("this database was written by a newer server")
