"""The per-account SQLite schema."""

from __future__ import annotations

import sqlite3

from messenger.core.store.people import PEOPLE_DDL, PEOPLE_MIGRATION
from messenger.core.store.search_index import ADD_PREFIXES, REBUILD, SEARCH_INDEX
from messenger.protocol.fulltext import indexed_tags, indexed_words

SCHEMA_VERSION = 8

_DDL = """
CREATE TABLE IF NOT EXISTS kv (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- Messages as this device knows them. My own messages exist as a local echo (no message_id,
-- no seq) until the server acknowledges them; (client_msg_id) of my own messages is unique so
-- the ack or a synced copy updates the echo instead of adding a second row.
CREATE TABLE IF NOT EXISTS messages (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    message_id      TEXT,
    seq             INTEGER,
    client_msg_id   TEXT NOT NULL,
    conv_type       TEXT NOT NULL,
    target          TEXT NOT NULL,
    sender          TEXT NOT NULL,
    time            INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    body            BLOB NOT NULL,
    mentions        BLOB,
    mention_all     INTEGER NOT NULL DEFAULT 0,
    reply_to        BLOB,
    recalled        INTEGER NOT NULL DEFAULT 0,
    recalled_by     TEXT,
    recall_time     INTEGER,
    version         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL,
    error           BLOB,
    is_self         INTEGER NOT NULL,
    edit_time       INTEGER NOT NULL DEFAULT 0,
    reactions       BLOB,
    forwarded       INTEGER NOT NULL DEFAULT 0,
    deleted         INTEGER NOT NULL DEFAULT 0  -- deleted for me: a placeholder keeps its seq
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_message_id ON messages(message_id);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_seq ON messages(conversation_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS messages_own ON messages(client_msg_id) WHERE is_self = 1;

-- One row per conversation: my synced state plus what the list shows.
CREATE TABLE IF NOT EXISTS conversations (
    conversation_id TEXT PRIMARY KEY,
    conv_type       TEXT NOT NULL,
    target          TEXT NOT NULL,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    last_id         INTEGER,              -- messages.id of the message the list previews
    activity_time   INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    peer_read_seq   INTEGER NOT NULL DEFAULT 0,
    pinned          INTEGER NOT NULL DEFAULT 0,
    pin_time        INTEGER NOT NULL DEFAULT 0,
    remind          TEXT NOT NULL DEFAULT 'notify',
    hidden_seq      INTEGER NOT NULL DEFAULT -1,
    cleared_seq     INTEGER NOT NULL DEFAULT 0,
    marked_unread   INTEGER NOT NULL DEFAULT 0,
    draft_text      TEXT NOT NULL DEFAULT '',
    draft_time      INTEGER NOT NULL DEFAULT 0,
    draft_dirty     INTEGER NOT NULL DEFAULT 0,   -- edited here, not yet saved on the server
    unread_count    INTEGER NOT NULL DEFAULT 0,
    unread_at_seq   INTEGER NOT NULL DEFAULT 0,   -- the server's count covers seqs up to here
    mention_seqs    BLOB NOT NULL DEFAULT '[]',
    unread_version  INTEGER NOT NULL DEFAULT 0,   -- the count reflects changes up to here
    joined_seq      INTEGER NOT NULL DEFAULT 0,   -- groups: my history starts after it
    state_version   INTEGER NOT NULL DEFAULT 0,
    group_name      TEXT NOT NULL DEFAULT '',
    member_count    INTEGER NOT NULL DEFAULT 0
);

-- Messages this device owes the server, in creation order. A refused one stays, marked
-- failed, until it is resent or superseded by the server's copy.
CREATE TABLE IF NOT EXISTS outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    client_msg_id   TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    request         BLOB NOT NULL,
    failed          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_by_conversation ON outbox(conversation_id, id);

CREATE TABLE IF NOT EXISTS groups (
    group_id TEXT PRIMARY KEY,
    info     BLOB NOT NULL,
    member   INTEGER NOT NULL,
    version  INTEGER NOT NULL
);

-- Other users' public profiles, as last fetched (names shown offline and at once on launch).
CREATE TABLE IF NOT EXISTS users (
    user_id    TEXT PRIMARY KEY,
    nickname   TEXT NOT NULL DEFAULT '',
    fetched_at INTEGER NOT NULL DEFAULT 0,
    profile    BLOB
);

CREATE INDEX IF NOT EXISTS messages_by_time ON messages(conversation_id, time);
"""


# The message operations' own tables (schema 7).
_OPS_DDL = """
-- Texts I sent from this device, so that a recall keeps them here for "Re-edit".
CREATE TABLE IF NOT EXISTS sent_here (
    client_msg_id TEXT PRIMARY KEY
);
-- Recalled texts of mine, kept privately on the device that sent them.
CREATE TABLE IF NOT EXISTS recalled_drafts (
    message_id      TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    text            TEXT NOT NULL,
    mentions        BLOB,
    mention_all     INTEGER NOT NULL DEFAULT 0,
    reply_to        BLOB,
    time            INTEGER NOT NULL
);
-- Pinned messages per conversation (C2C from the feed, groups from their profile).
CREATE TABLE IF NOT EXISTS conversation_pins (
    conversation_id TEXT PRIMARY KEY,
    pinned          BLOB NOT NULL
);
"""

# Upgrades from each older schema version to the next.
_MIGRATIONS = {
    # 4 → 5 → 6: one index kept by hand became one kept by triggers, keyed by time
    4: "",
    5: REBUILD,
    6: """
        ALTER TABLE messages ADD COLUMN edit_time INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN reactions BLOB;
        ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
    """
    + _OPS_DDL,
    7: ADD_PREFIXES,  # the search index lists words by their first one and two characters
    3: PEOPLE_MIGRATION,
    1: """
        ALTER TABLE conversations RENAME COLUMN count_version TO unread_version;
        ALTER TABLE conversations ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS outbox_by_conversation ON outbox(conversation_id, id);
    """,
    2: """
        CREATE TABLE IF NOT EXISTS users (
            user_id    TEXT PRIMARY KEY,
            nickname   TEXT NOT NULL DEFAULT '',
            fetched_at INTEGER NOT NULL DEFAULT 0
        );
    """,
}


def connect(path: str) -> sqlite3.Connection:
    """Open (and create or migrate) the store database in autocommit mode."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("indexed_words", 2, indexed_words, deterministic=True)
    conn.create_function("indexed_tags", 2, indexed_tags, deterministic=True)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA busy_timeout = 5000")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        conn.close()
        raise RuntimeError(f"store {path} was written by a newer version (schema {version})")
    if version == 0:
        conn.executescript(
            f"BEGIN; {_DDL} {PEOPLE_DDL} {SEARCH_INDEX} {_OPS_DDL} "
            f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        )
        version = SCHEMA_VERSION
    for old in range(version, SCHEMA_VERSION):
        conn.executescript(f"BEGIN; {_MIGRATIONS[old]} PRAGMA user_version = {old + 1}; COMMIT;")
    return conn
