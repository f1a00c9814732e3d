"""Tables of the people side: profiles beyond the nickname, friends, requests, friend groups and
the block list. Every row a user's devices must learn of carries a version from the one
counter; a deletion keeps its row as a tombstone so a device that was offline hears of it."""

from __future__ import annotations

import sqlite3

PEOPLE_TABLES = """
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


def apply_people_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(PEOPLE_TABLES)
