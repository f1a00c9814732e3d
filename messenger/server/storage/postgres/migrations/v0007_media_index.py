"""Schema 7 on PostgreSQL: the media index (see ``sqlite/migrations/v0007_media_index.py``)."""

from __future__ import annotations

from typing import Any

SQL = """
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY,
    owner     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    size      BIGINT NOT NULL,
    sha256    TEXT NOT NULL,
    created   BIGINT NOT NULL,
    UNIQUE (owner, sha256, kind, size)
);
CREATE INDEX IF NOT EXISTS uploads_created ON uploads(created);
CREATE TABLE IF NOT EXISTS media (
    media_id  TEXT PRIMARY KEY,
    size      BIGINT NOT NULL,
    mime      TEXT NOT NULL,
    width     BIGINT NOT NULL DEFAULT 0,
    height    BIGINT NOT NULL DEFAULT 0,
    variants  TEXT,
    cleaned   BIGINT NOT NULL DEFAULT 0,
    created   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS media_created ON media(created);
CREATE TABLE IF NOT EXISTS media_owners (
    media_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (media_id, user_id)
);
CREATE TABLE IF NOT EXISTS media_refs (
    media_id   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (media_id, message_id)
);
"""


def upgrade(conn: Any) -> None:
    conn.execute(SQL)
