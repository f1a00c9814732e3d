"""The per-account SQLite schema."""

from __future__ import annotations

import sqlite3

from messenger.core.store.people import PEOPLE_DDL, PEOPLE_MIGRATION
from messenger.protocol.fulltext import indexed_tags, indexed_words

SCHEMA_VERSION = 5

# The search index follows the messages table by itself: triggers index a message when it is
# stored, index it again when its kind, body or recall changes (an edit, a recall) and drop it
# when it is deleted, whichever code path does it. ``indexed_words`` / ``indexed_tags`` are
# Python functions given to every connection (``connect``). rowid = messages.id.
_SEARCH_INDEX = """
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(words, tags, tokenize = 'unicode61');
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages
WHEN new.recalled = 0 AND indexed_words(new.kind, new.body) <> '' BEGIN
    INSERT INTO messages_fts (rowid, words, tags)
    VALUES (new.id, indexed_words(new.kind, new.body), indexed_tags(new.kind, new.body));
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF kind, body, recalled ON messages
WHEN old.kind IS NOT new.kind OR old.body IS NOT new.body OR old.recalled IS NOT new.recalled
BEGIN
    DELETE FROM messages_fts WHERE rowid = old.id;
    INSERT INTO messages_fts (rowid, words, tags)
    SELECT new.id, indexed_words(new.kind, new.body), indexed_tags(new.kind, new.body)
    WHERE new.recalled = 0 AND indexed_words(new.kind, new.body) <> '';
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = old.id;
END;
"""

# 4 → 5: the index of one column (kept by hand) becomes words + tags kept by triggers; the
# stored messages are indexed again; an index on time serves jump-to-date and time filters.
_SEARCH_MIGRATION = f"""
DROP TABLE IF EXISTS messages_fts;
{_SEARCH_INDEX}
INSERT INTO messages_fts (rowid, words, tags)
SELECT id, indexed_words(kind, body), indexed_tags(kind, body) FROM messages
WHERE recalled = 0 AND indexed_words(kind, body) <> '';
CREATE INDEX IF NOT EXISTS messages_by_time ON messages(conversation_id, time);
"""

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
    is_self         INTEGER NOT NULL
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


# Upgrades from each older schema version to the next.
_MIGRATIONS = {
    4: _SEARCH_MIGRATION,
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
            f"BEGIN; {_DDL} {PEOPLE_DDL} {_SEARCH_INDEX} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        )
        version = SCHEMA_VERSION
    for old in range(version, SCHEMA_VERSION):
        conn.executescript(f"BEGIN; {_MIGRATIONS[old]} PRAGMA user_version = {old + 1}; COMMIT;")
    return conn
