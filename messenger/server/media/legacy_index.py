"""The media index of servers before schema 7 was a SQLite file in the media folder
(``media/media.sqlite3``). At start its rows are copied into the server's database, a few
thousand at a time, and the file is renamed ``media.sqlite3.imported`` (kept, not deleted: an
operator may still want it). Repeating the import changes nothing, so nodes starting at once
on a shared folder may both run it; the first to finish renames the file."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

import msgspec

from messenger.protocol.models import ImageVariant, MediaInfo
from messenger.server.storage.media_index import ImportedIndex, MediaIndex, MediaRow, UploadRow

log = logging.getLogger(__name__)

LEGACY_NAME = "media.sqlite3"
IMPORTED_SUFFIX = ".imported"
_CHUNK = 5000
_variants = msgspec.json.Decoder(list[ImageVariant])

# table: (its columns, its key), read in key order a chunk at a time
_TABLES = {
    "uploads": ("upload_id, owner, kind, size, sha256, created", "upload_id"),
    "media": ("media_id, size, mime, width, height, variants, cleaned, created", "media_id"),
    "media_owners": ("media_id, user_id", "media_id, user_id"),
    "media_refs": ("media_id, message_id", "media_id, message_id"),
}


def _chunk(conn: sqlite3.Connection, table: str, after: tuple[Any, ...] | None) -> list[Any]:
    columns, key = _TABLES[table]
    if after is None:
        sql = f"SELECT {columns} FROM {table} ORDER BY {key} LIMIT ?"
        return conn.execute(sql, (_CHUNK,)).fetchall()
    marks = ", ".join("?" for _ in after)
    sql = f"SELECT {columns} FROM {table} WHERE ({key}) > ({marks}) ORDER BY {key} LIMIT ?"
    return conn.execute(sql, (*after, _CHUNK)).fetchall()


def _media_row(row: Any) -> MediaRow:
    variants = _variants.decode(row[5]) if row[5] else []
    info = MediaInfo(
        media_id=row[0], size=row[1], mime=row[2], width=row[3], height=row[4], variants=variants
    )
    return MediaRow(info, bool(row[6]), row[7])


def _as_rows(table: str, rows: list[Any]) -> ImportedIndex:
    found = ImportedIndex([], [], [], [])
    if table == "uploads":
        found.uploads = [UploadRow(*row) for row in rows]
    elif table == "media":
        found.media = [_media_row(row) for row in rows]
    elif table == "media_owners":
        found.owners = [(row[0], row[1]) for row in rows]
    else:
        found.refs = [(row[0], row[1]) for row in rows]
    return found


def _key_of(table: str, row: Any) -> tuple[Any, ...]:
    return tuple(row[: len(_TABLES[table][1].split(","))])


async def import_legacy_index(root: Path, index: MediaIndex) -> int:
    """Copy the rows of ``root/media.sqlite3`` into ``index`` and rename the file; the rows
    copied (0 when there is no such file)."""
    path = root / LEGACY_NAME
    if not path.exists():
        return 0
    try:  # (mode=rw: a file renamed meanwhile by another node is not made again, empty)
        conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, check_same_thread=False)
    except sqlite3.OperationalError:
        if not path.exists():
            return 0
        raise
    copied = 0
    try:
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in _TABLES:
            if table not in have:
                continue
            after: tuple[Any, ...] | None = None
            while True:
                rows = await asyncio.to_thread(_chunk, conn, table, after)
                if not rows:
                    break
                await index.import_index(_as_rows(table, rows))
                copied += len(rows)
                after = _key_of(table, rows[-1])
    finally:
        conn.close()
    try:
        path.rename(path.with_name(LEGACY_NAME + IMPORTED_SUFFIX))
    except FileNotFoundError:
        pass  # another node finished first
    for leftover in ("-wal", "-shm"):
        path.with_name(LEGACY_NAME + leftover).unlink(missing_ok=True)
    log.info("imported the media index of %s into the database (%d rows)", path, copied)
    return copied
