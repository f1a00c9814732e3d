"""Unfinished uploads and files no message uses are collected after the orphan time; files in
use are kept (the index in a real SQLite storage). Offered names never carry a path."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from messenger.protocol.bodies import FileBody
from messenger.protocol.models import UploadRequest
from messenger.server.media.names import safe_name
from messenger.server.media.service import MediaService, media_ids_of
from messenger.server.storage.records import c2c_key
from messenger.server.storage.sqlite.storage import SqliteStorage
from tests.helpers.media import ORPHAN_MS, collecting_media, sha256
from tests.helpers.storage_data import new_message

HOUR = ORPHAN_MS


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    opened = SqliteStorage(tmp_path / "db.sqlite3", synchronous="NORMAL")
    await opened.open()
    yield opened
    await opened.close()


@pytest.fixture
async def service(tmp_path: Path, storage: SqliteStorage) -> MediaService:
    return await collecting_media(tmp_path / "media", storage.media)


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def stored(service: MediaService, data: bytes) -> None:
    req = UploadRequest(kind="file", size=len(data), sha256=sha256(data))
    status = await service.begin("alice", req)
    await service.write("alice", status.upload_id, 0, chunks(data))


async def test_collection_drops_stale_uploads_and_unused_files_only(
    service: MediaService, storage: SqliteStorage
) -> None:
    await stored(service, b"used by a message")
    await stored(service, b"never used")
    half = UploadRequest(kind="file", size=100, sha256=sha256(b"x" * 100))
    pending = await service.begin("alice", half)
    await service.write("alice", pending.upload_id, 0, chunks(b"x" * 40))
    used = FileBody(media_id=sha256(b"used by a message"), name="a", size=1)
    body = await service.attach("alice", used)
    await storage.create_user("alice", "Alice", None)
    await storage.create_user("bob", "Bob", None)
    message = new_message("alice", "c2c", c2c_key("alice", "bob"), None, "")
    await storage.insert_message(
        replace(message, kind="file", body={"name": "a"}, media_ids=media_ids_of(body))
    )
    files, index = service.files, storage.media

    assert await service.collect() == 0  # nothing is old yet
    dropped = await service.collect(now_ms=int(time.time() * 1000) + HOUR + 1)

    assert dropped == 2
    assert await index.get_media(sha256(b"never used")) is None
    assert not files.file_path(sha256(b"never used")).exists()
    assert await index.get_upload(pending.upload_id) is None
    assert not files.partial_path(pending.upload_id).exists()
    assert await index.get_media(sha256(b"used by a message")) is not None
    assert files.file_path(sha256(b"used by a message")).exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("../../x", "x"),
        ("/abs/path/y.txt", "y.txt"),
        ("dir\\sub\\z.doc", "z.doc"),
        ("nul\x00byte", "nulbyte"),
        ("\u202eexe.txt", "exe.txt"),
        ("...", "fallback"),
        (".hidden", "hidden"),
        ("文件.txt", "文件.txt"),
        ("a" * 300, "a" * 120),
    ],
)
def test_safe_names(name: str, expected: str) -> None:
    assert safe_name(name, "fallback") == expected
