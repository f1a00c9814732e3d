"""Schema 7: the media index (``storage/media_index.py``) moves into the server's database, out
of the media folder's own SQLite file, so that every node of a deployment shares one index. An
existing folder's file is imported by the server at start (``media/legacy_index.py``)."""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.script import run_script

SQL = """
-- an unfinished upload: its bytes so far are media/partial/<upload_id>
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY,
    owner     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    size      INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    created   INTEGER NOT NULL,
    UNIQUE (owner, sha256, kind, size)
);
CREATE INDEX IF NOT EXISTS uploads_created ON uploads(created);
-- a kept file (media/files/ab/<media_id>), named by its SHA-256
CREATE TABLE IF NOT EXISTS media (
    media_id  TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    mime      TEXT NOT NULL,
    width     INTEGER NOT NULL DEFAULT 0,
    height    INTEGER NOT NULL DEFAULT 0,
    variants  TEXT,                          -- JSON list of ImageVariant
    cleaned   INTEGER NOT NULL DEFAULT 0,
    created   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS media_created ON media(created);
-- who uploaded (or proved they hold) each file
CREATE TABLE IF NOT EXISTS media_owners (
    media_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (media_id, user_id)
) WITHOUT ROWID;
-- which messages use each file (a file no message uses is collected)
CREATE TABLE IF NOT EXISTS media_refs (
    media_id   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (media_id, message_id)
) WITHOUT ROWID;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
