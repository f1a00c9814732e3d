"""``MediaIndex`` on SQLite (and, through the dialect, on PostgreSQL): the functions run by the
writer (writes) or a reader thread (reads). Each read is one statement, and each write a few,
because on PostgreSQL every statement is a round trip."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

import msgspec

from messenger.protocol.errors import UploadIncomplete
from messenger.protocol.models import ImageVariant, MediaInfo
from messenger.server.storage.media_index import (
    ImportedIndex,
    MediaIndex,
    MediaRow,
    MediaUse,
    UploadLookup,
    UploadRow,
)
from messenger.server.storage.sqlite.database import SqliteDatabase, WriteTxn

T = TypeVar("T")

_variants = msgspec.json.Decoder(list[ImageVariant])
_MEDIA = "m.media_id, m.size, m.mime, m.width, m.height, m.variants, m.cleaned, m.created"
_UPLOAD = "upload_id, owner, kind, size, sha256, created"

_LOOKUP = (
    f"SELECT {_MEDIA}, EXISTS (SELECT 1 FROM media_owners o WHERE o.media_id = ? "
    "AND o.user_id = ?), u.upload_id, u.created FROM (SELECT 1 AS one) AS here "
    "LEFT JOIN media m ON m.media_id = ? "
    "LEFT JOIN uploads u ON u.owner = ? AND u.sha256 = ? AND u.kind = ? AND u.size = ?"
)
_USE = (
    f"SELECT {_MEDIA}, EXISTS (SELECT 1 FROM media_owners o WHERE o.media_id = ? "
    "AND o.user_id = ?), u.upload_id, u.owner, u.kind, u.size, u.sha256, u.created "
    "FROM (SELECT 1 AS one) AS here LEFT JOIN media m ON m.media_id = ? "
    "LEFT JOIN uploads u ON u.upload_id = "
    "(SELECT upload_id FROM uploads WHERE owner = ? AND sha256 = ? LIMIT 1)"
)
_ADD_MEDIA = (
    "INSERT INTO media(media_id, size, mime, width, height, variants, cleaned, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(media_id) DO UPDATE "
    "SET created = max(media.created, excluded.created) "  # stored again: its clock restarts
    "RETURNING media_id, size, mime, width, height, variants, cleaned, created"
)


def _media(row: Sequence[Any]) -> MediaRow | None:
    if row[0] is None:
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


def encode_variants(variants: list[ImageVariant]) -> str:
    return msgspec.json.encode(variants).decode()


# -- reads ---------------------------------------------------------------------------------------
def lookup_upload(
    conn: sqlite3.Connection, owner: str, sha256: str, kind: str, size: int
) -> UploadLookup:
    row = conn.execute(_LOOKUP, (sha256, owner, sha256, owner, sha256, kind, size)).fetchone()
    upload = UploadRow(row[9], owner, kind, size, sha256, row[10]) if row[9] else None
    return UploadLookup(_media(row), bool(row[8]), upload)


def media_uses(conn: sqlite3.Connection, user_id: str, media_ids: list[str]) -> list[MediaUse]:
    uses = []
    for media_id in media_ids:
        row = conn.execute(_USE, (media_id, user_id, media_id, user_id, media_id)).fetchone()
        pending = UploadRow(*row[9:15]) if row[9] else None
        uses.append(MediaUse(_media(row), bool(row[8]), pending))
    return uses


def get_upload(conn: sqlite3.Connection, upload_id: str) -> UploadRow | None:
    row = conn.execute(f"SELECT {_UPLOAD} FROM uploads WHERE upload_id = ?", (upload_id,))
    found = row.fetchone()
    return UploadRow(*found) if found else None


def get_media(conn: sqlite3.Connection, media_id: str) -> MediaRow | None:
    row = conn.execute(f"SELECT {_MEDIA} FROM media m WHERE m.media_id = ?", (media_id,))
    found = row.fetchone()
    return _media(found) if found else None


def stale_uploads(conn: sqlite3.Connection, before: int) -> list[str]:
    rows = conn.execute("SELECT upload_id FROM uploads WHERE created < ?", (before,))
    return [r[0] for r in rows]


# -- writes --------------------------------------------------------------------------------------
def _record(txn: WriteTxn, row: UploadRow, limit: int) -> UploadRow | None:
    added = txn.conn.execute(
        f"INSERT INTO uploads({_UPLOAD}) SELECT ?, ?, ?, ?, ?, ? "
        "WHERE (SELECT COUNT(*) FROM uploads WHERE owner = ?) < ?",
        (row.upload_id, row.owner, row.kind, row.size, row.sha256, row.created, row.owner, limit),
    ).rowcount
    return row if added else None


def _claim(txn: WriteTxn, media_id: str, now: int) -> bool:
    """A kept file's clock restarts at ``now`` (False: it is not kept)."""
    return bool(
        txn.conn.execute(
            "UPDATE media SET created = max(created, ?) WHERE media_id = ?", (now, media_id)
        ).rowcount
    )


def start_upload(txn: WriteTxn, row: UploadRow, limit: int) -> UploadLookup:
    found = lookup_upload(txn.conn, row.owner, row.sha256, row.kind, row.size)
    media = found.media
    if media is not None and media.info.size == row.size:
        _claim(txn, row.sha256, row.created)
        return replace(found, media=replace(media, created=max(media.created, row.created)))
    if found.upload is not None:
        return found
    return UploadLookup(found.media, found.owner, _record(txn, row, limit))


def add_upload(txn: WriteTxn, row: UploadRow, limit: int) -> UploadRow | None:
    found = txn.conn.execute(
        f"SELECT {_UPLOAD} FROM uploads WHERE owner = ? AND sha256 = ? AND kind = ? AND size = ?",
        (row.owner, row.sha256, row.kind, row.size),
    ).fetchone()
    if found:
        return UploadRow(*found)
    return _record(txn, row, limit)


def drop_upload(txn: WriteTxn, upload_id: str) -> None:
    txn.conn.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))


def complete_upload(
    txn: WriteTxn,
    upload: UploadRow,
    info: MediaInfo,
    cleaned: bool,
    now: int,
    place: Callable[[], None] | None = None,
) -> MediaRow:
    if place is not None:  # (in the write: no collection of these bytes can come between)
        place()
    conn = txn.conn
    row = conn.execute(
        _ADD_MEDIA,
        (
            info.media_id,
            info.size,
            info.mime,
            info.width,
            info.height,
            encode_variants(info.variants),
            int(cleaned),
            now,
        ),
    ).fetchone()
    _add_owner(txn, info.media_id, upload.owner)
    drop_upload(txn, upload.upload_id)
    stored = _media(row)
    assert stored is not None
    return stored


def _add_owner(txn: WriteTxn, media_id: str, user_id: str) -> None:
    txn.conn.execute(
        "INSERT OR IGNORE INTO media_owners(media_id, user_id) VALUES (?, ?)", (media_id, user_id)
    )


def add_owner(txn: WriteTxn, media_id: str, user_id: str, now: int) -> bool:
    if not _claim(txn, media_id, now):
        return False
    _add_owner(txn, media_id, user_id)
    return True


def check_kept(conn: sqlite3.Connection, media_ids: Sequence[str]) -> None:
    """Refuse a message naming a file that is not kept (collected after the send checked it):
    its sender uploads the file again and sends the same message (called by the job that
    stores it, before the message's files are recorded)."""
    wanted = set(media_ids)
    marks = ", ".join("?" * len(wanted))
    kept = {
        r[0]
        for r in conn.execute(f"SELECT media_id FROM media WHERE media_id IN ({marks})", [*wanted])
    }
    for media_id in media_ids:
        if media_id not in kept:
            raise UploadIncomplete(
                "the file is no longer kept: upload it again", offset=0, media_id=media_id
            )


def add_refs(conn: sqlite3.Connection, media_ids: Sequence[str], message_id: str) -> None:
    """The message ``message_id`` uses these files (called by the job that stores it)."""
    conn.executemany(
        "INSERT OR IGNORE INTO media_refs(media_id, message_id) VALUES (?, ?)",
        [(media_id, message_id) for media_id in media_ids],
    )


def drop_unused_media(txn: WriteTxn, before: int) -> list[str]:
    conn = txn.conn
    dropped = [
        r[0]
        for r in conn.execute(
            "DELETE FROM media WHERE created < ? AND NOT EXISTS "
            "(SELECT 1 FROM media_refs r WHERE r.media_id = media.media_id) RETURNING media_id",
            (before,),
        ).fetchall()
    ]
    if dropped:
        conn.executemany("DELETE FROM media_owners WHERE media_id = ?", [(m,) for m in dropped])
    return dropped


def remove_dropped(
    txn: WriteTxn, media_ids: Sequence[str], remove: Callable[[str], None]
) -> list[str]:
    marks = ", ".join("?" * len(media_ids))
    found = txn.conn.execute(f"SELECT media_id FROM media WHERE media_id IN ({marks})", media_ids)
    kept = {r[0] for r in found}
    removed = [media_id for media_id in media_ids if media_id not in kept]
    for media_id in removed:
        remove(media_id)
    return removed


def import_index(txn: WriteTxn, rows: ImportedIndex) -> None:
    conn = txn.conn
    conn.executemany(
        f"INSERT OR IGNORE INTO uploads({_UPLOAD}) VALUES (?, ?, ?, ?, ?, ?)",
        [(u.upload_id, u.owner, u.kind, u.size, u.sha256, u.created) for u in rows.uploads],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO media(media_id, size, mime, width, height, variants, cleaned, "
        "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                m.info.media_id,
                m.info.size,
                m.info.mime,
                m.info.width,
                m.info.height,
                encode_variants(m.info.variants),
                int(m.cleaned),
                m.created,
            )
            for m in rows.media
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO media_owners(media_id, user_id) VALUES (?, ?)", rows.owners
    )
    conn.executemany(
        "INSERT OR IGNORE INTO media_refs(media_id, message_id) VALUES (?, ?)", rows.refs
    )


class SqliteMediaIndex(MediaIndex):
    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    async def _write(self, fn: Callable[[WriteTxn], T]) -> T:
        return await self.db.write(fn)

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        # one statement per fact: no transaction needed around them
        return await self.db.read(lambda conn: fn(conn, *args), snapshot=False)

    async def lookup_upload(self, owner: str, sha256: str, kind: str, size: int) -> UploadLookup:
        return await self._read(lookup_upload, owner, sha256, kind, size)

    async def start_upload(self, row: UploadRow, limit: int) -> UploadLookup:
        return await self._write(partial(start_upload, row=row, limit=limit))

    async def add_upload(self, row: UploadRow, limit: int) -> UploadRow | None:
        return await self._write(partial(add_upload, row=row, limit=limit))

    async def get_upload(self, upload_id: str) -> UploadRow | None:
        return await self._read(get_upload, upload_id)

    async def drop_upload(self, upload_id: str) -> None:
        await self._write(partial(drop_upload, upload_id=upload_id))

    async def complete_upload(
        self,
        upload: UploadRow,
        info: MediaInfo,
        cleaned: bool,
        now: int,
        place: Callable[[], None] | None = None,
    ) -> MediaRow:
        job = partial(
            complete_upload, upload=upload, info=info, cleaned=cleaned, now=now, place=place
        )
        return await self._write(job)

    async def get_media(self, media_id: str) -> MediaRow | None:
        return await self._read(get_media, media_id)

    async def add_owner(self, media_id: str, user_id: str, now: int) -> bool:
        return await self._write(partial(add_owner, media_id=media_id, user_id=user_id, now=now))

    async def media_uses(self, user_id: str, media_ids: Sequence[str]) -> list[MediaUse]:
        return await self._read(media_uses, user_id, list(media_ids))

    async def stale_uploads(self, before: int) -> list[str]:
        return await self._read(stale_uploads, before)

    async def drop_unused_media(self, before: int) -> list[str]:
        return await self._write(partial(drop_unused_media, before=before))

    async def remove_dropped(
        self, media_ids: Sequence[str], remove: Callable[[str], None]
    ) -> list[str]:
        if not media_ids:
            return []
        return await self._write(partial(remove_dropped, media_ids=list(media_ids), remove=remove))

    async def import_index(self, rows: ImportedIndex) -> None:
        await self._write(partial(import_index, rows=rows))
