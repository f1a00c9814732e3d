"""Where uploads and files are kept: a small SQLite database of facts next to the files, all
under the server's ``media`` folder and all named by the server (content hashes and random
upload IDs), never by anything a client sent.

    media/media.sqlite3     uploads, files, who uploaded each file, which messages use it
    media/partial/<upload>  bytes received so far (its size is the upload's offset)
    media/files/ab/<sha256> complete files
    media/thumbs/ab/<sha256>-small.jpg, -large.jpg, -clean.<ext>
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import msgspec

from messenger.protocol.models import ImageVariant, MediaInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY,
    owner     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    size      INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    created   INTEGER NOT NULL,
    UNIQUE (owner, sha256, kind, size)
);
CREATE TABLE IF NOT EXISTS media (
    media_id  TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    mime      TEXT NOT NULL,
    width     INTEGER NOT NULL DEFAULT 0,
    height    INTEGER NOT NULL DEFAULT 0,
    variants  BLOB,
    cleaned   INTEGER NOT NULL DEFAULT 0,
    created   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS media_owners (
    media_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (media_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS media_refs (
    media_id   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (media_id, message_id)
) WITHOUT ROWID;
"""

_variants = msgspec.json.Decoder(list[ImageVariant])


@dataclass(frozen=True, slots=True)
class UploadRow:
    upload_id: str
    owner: str
    kind: str
    size: int
    sha256: str
    created: int


@dataclass(frozen=True, slots=True)
class MediaRow:
    info: MediaInfo
    cleaned: bool
    created: int


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.partial_dir = root / "partial"
        self.files_dir = root / "files"
        self.thumbs_dir = root / "thumbs"
        self._conn: sqlite3.Connection | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def open(self) -> None:
        for folder in (self.partial_dir, self.files_dir, self.thumbs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.root / "media.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        self._conn = conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None, "media store is not open"
        return self._conn

    # -- paths (server-made names only) -----------------------------------------------------------
    def partial_path(self, upload_id: str) -> Path:
        return self.partial_dir / upload_id

    def file_path(self, media_id: str) -> Path:
        return self.files_dir / media_id[:2] / media_id

    def thumb_dir(self, media_id: str) -> Path:
        return self.thumbs_dir / media_id[:2]

    def thumb_path(self, media_id: str, variant: str) -> Path | None:
        folder = self.thumb_dir(media_id)
        for found in folder.glob(f"{media_id}-{variant}.*") if folder.exists() else ():
            return found
        return None

    def received(self, upload_id: str) -> int:
        """Bytes stored so far: the partial file's size (true after a restart too)."""
        try:
            return self.partial_path(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    # -- uploads --------------------------------------------------------------------------------------
    def find_upload(self, owner: str, sha256: str, kind: str, size: int) -> UploadRow | None:
        row = self.conn.execute(
            "SELECT upload_id, owner, kind, size, sha256, created FROM uploads "
            "WHERE owner=? AND sha256=? AND kind=? AND size=?",
            (owner, sha256, kind, size),
        ).fetchone()
        return UploadRow(*row) if row else None

    def upload_of_hash(self, owner: str, sha256: str) -> UploadRow | None:
        row = self.conn.execute(
            "SELECT upload_id, owner, kind, size, sha256, created FROM uploads "
            "WHERE owner=? AND sha256=? LIMIT 1",
            (owner, sha256),
        ).fetchone()
        return UploadRow(*row) if row else None

    def get_upload(self, upload_id: str) -> UploadRow | None:
        row = self.conn.execute(
            "SELECT upload_id, owner, kind, size, sha256, created FROM uploads WHERE upload_id=?",
            (upload_id,),
        ).fetchone()
        return UploadRow(*row) if row else None

    def add_upload(self, row: UploadRow) -> None:
        self.conn.execute(
            "INSERT INTO uploads(upload_id, owner, kind, size, sha256, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (row.upload_id, row.owner, row.kind, row.size, row.sha256, row.created),
        )
        self.partial_path(row.upload_id).touch()

    def drop_upload(self, upload_id: str) -> None:
        self.conn.execute("DELETE FROM uploads WHERE upload_id=?", (upload_id,))
        self.partial_path(upload_id).unlink(missing_ok=True)

    def open_uploads_of(self, owner: str) -> int:
        (count,) = self.conn.execute(
            "SELECT COUNT(*) FROM uploads WHERE owner=?", (owner,)
        ).fetchone()
        return int(count)

    # -- files ------------------------------------------------------------------------------------------
    def get_media(self, media_id: str) -> MediaRow | None:
        row = self.conn.execute(
            "SELECT media_id, size, mime, width, height, variants, cleaned, created FROM media "
            "WHERE media_id=?",
            (media_id,),
        ).fetchone()
        if row is None:
            return None
        info = MediaInfo(
            media_id=row[0],
            size=row[1],
            mime=row[2],
            width=row[3],
            height=row[4],
            variants=_variants.decode(row[5]) if row[5] else [],
        )
        return MediaRow(info, bool(row[6]), row[7])

    def add_media(self, info: MediaInfo, cleaned: bool, created: int) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO media(media_id, size, mime, width, height, variants, cleaned, "
            "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                info.media_id,
                info.size,
                info.mime,
                info.width,
                info.height,
                msgspec.json.encode(info.variants),
                int(cleaned),
                created,
            ),
        )

    def add_owner(self, media_id: str, user_id: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO media_owners(media_id, user_id) VALUES (?, ?)",
            (media_id, user_id),
        )

    def is_owner(self, media_id: str, user_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM media_owners WHERE media_id=? AND user_id=?", (media_id, user_id)
        ).fetchone()
        return row is not None

    def add_ref(self, media_id: str, message_id: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO media_refs(media_id, message_id) VALUES (?, ?)",
            (media_id, message_id),
        )

    # -- collection ---------------------------------------------------------------------------------
    def stale_uploads(self, before: int) -> list[str]:
        rows = self.conn.execute("SELECT upload_id FROM uploads WHERE created<?", (before,))
        return [r[0] for r in rows]

    def unused_media(self, before: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT media_id FROM media m WHERE created<? AND NOT EXISTS "
            "(SELECT 1 FROM media_refs r WHERE r.media_id=m.media_id)",
            (before,),
        )
        return [r[0] for r in rows]

    def drop_media(self, media_id: str) -> None:
        self.conn.execute("DELETE FROM media WHERE media_id=?", (media_id,))
        self.conn.execute("DELETE FROM media_owners WHERE media_id=?", (media_id,))
        self.file_path(media_id).unlink(missing_ok=True)
        folder = self.thumb_dir(media_id)
        if folder.exists():
            for thumb in folder.glob(f"{media_id}-*"):
                thumb.unlink(missing_ok=True)


def place_file(source: Path, target: Path) -> None:
    """Move a finished upload into place (same file system: an atomic rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
