"""Unfinished uploads and files no message uses are collected after the orphan time; files in
use are kept. Offered names never carry a path."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from messenger.protocol.bodies import FileBody
from messenger.protocol.models import Limits, UploadRequest
from messenger.server.media.names import safe_name
from messenger.server.media.service import MediaService
from tests.helpers.media import sha256

HOUR = 3600 * 1000


@pytest.fixture
def service(tmp_path: Path) -> MediaService:
    media = MediaService(
        tmp_path / "media",
        Limits(),
        secret=b"k" * 32,
        max_pixels=10_000,
        orphan_ms=HOUR,
        link_ms=60_000,
    )
    media.open()
    return media


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def stored(service: MediaService, data: bytes) -> None:
    req = UploadRequest(kind="file", size=len(data), sha256=sha256(data))
    status = await service.begin("alice", req)
    await service.write("alice", status.upload_id, 0, chunks(data))


async def test_collection_drops_stale_uploads_and_unused_files_only(service: MediaService) -> None:
    await stored(service, b"used by a message")
    await stored(service, b"never used")
    half = UploadRequest(kind="file", size=100, sha256=sha256(b"x" * 100))
    pending = await service.begin("alice", half)
    await service.write("alice", pending.upload_id, 0, chunks(b"x" * 40))
    body = FileBody(media_id=sha256(b"used by a message"), name="a", size=1)
    service.attach("alice", body, "m1")
    store = service.store

    assert service.collect() == 0  # nothing is old yet
    dropped = service.collect(now_ms=int(time.time() * 1000) + HOUR + 1)

    assert dropped == 2
    assert store.get_media(sha256(b"never used")) is None
    assert not store.file_path(sha256(b"never used")).exists()
    assert store.get_upload(pending.upload_id) is None
    assert not store.partial_path(pending.upload_id).exists()
    assert store.get_media(sha256(b"used by a message")) is not None
    assert store.file_path(sha256(b"used by a message")).exists()


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
