"""Schema 1: accounts, sessions, conversations with each participant's own state, messages,
groups, and the people side (profiles, friends, requests, friend groups, blocks).

One row per message per conversation (never per member), one row per participant per
conversation holding that user's own state of it, and the global version counter in ``meta``.
Every row a user's devices must learn of carries a version from that counter; a deletion keeps
its row as a tombstone so that a device that was offline hears of it.
"""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.script import run_script

SQL = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta(key, value) VALUES ('version', 0);

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

-- the people side

CREATE TABLE IF NOT EXISTS profiles (
    user_id        TEXT PRIMARY KEY,
    avatar         TEXT NOT NULL DEFAULT '',
    gender         TEXT NOT NULL DEFAULT 'unknown',
    birthday       INTEGER NOT NULL DEFAULT 0,
    location       TEXT NOT NULL DEFAULT '',
    signature      TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT '',
    allow_type     TEXT NOT NULL DEFAULT 'approval',
    hide_last_seen INTEGER NOT NULL DEFAULT 0,
    custom         TEXT NOT NULL DEFAULT '{}',
    last_seen      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- owner's list holds friend (directed); groups: JSON list of owner's friend-group names
CREATE TABLE IF NOT EXISTS friends (
    owner    TEXT NOT NULL,
    friend   TEXT NOT NULL,
    remark   TEXT NOT NULL DEFAULT '',
    groups   TEXT NOT NULL DEFAULT '[]',
    source   TEXT NOT NULL DEFAULT '',
    add_time INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0,
    version  INTEGER NOT NULL,
    PRIMARY KEY (owner, friend)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS friends_version ON friends(owner, version);
CREATE INDEX IF NOT EXISTS friends_reverse ON friends(friend, deleted);

-- one row per (sender, receiver); state 'pending' or 'closed' (accepted, refused, deleted)
CREATE TABLE IF NOT EXISTS friend_requests (
    sender   TEXT NOT NULL,
    receiver TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    source   TEXT NOT NULL DEFAULT '',
    remark   TEXT NOT NULL DEFAULT '',
    grp      TEXT NOT NULL DEFAULT '',
    time     INTEGER NOT NULL,
    state    TEXT NOT NULL,
    unread   INTEGER NOT NULL DEFAULT 1,
    version  INTEGER NOT NULL,
    PRIMARY KEY (sender, receiver)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS requests_sender ON friend_requests(sender, version);
CREATE INDEX IF NOT EXISTS requests_receiver ON friend_requests(receiver, version);

CREATE TABLE IF NOT EXISTS friend_groups (
    owner   TEXT NOT NULL,
    name    TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    PRIMARY KEY (owner, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS friend_groups_version ON friend_groups(owner, version);

CREATE TABLE IF NOT EXISTS blocks (
    owner   TEXT NOT NULL,
    target  TEXT NOT NULL,
    blocked INTEGER NOT NULL,
    time    INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (owner, target)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_version ON blocks(owner, version);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
