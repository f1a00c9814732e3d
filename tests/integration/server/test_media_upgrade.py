"""A server started on a data folder written before the media index moved into the database.

``data/media_before_schema7.tar.gz`` is the folder of a server of schema 6 (its database
``messenger.sqlite3`` and its media folder, whose index was ``media/media.sqlite3``), stopped
after alice sent bob a file and a photo with GPS, stored a third file no message uses and
stopped an upload at byte 10 of 30. The new server takes the old index in once at start:
downloads, dedupe, the clean copy of the photo and the half-done upload all work as before,
and the old index file is kept, renamed, never read again.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.media import sha256
from tests.helpers.postgres import PostgresCluster
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess
from tests.integration.server.test_media import begin, fetch, put, status_of

BEFORE = Path(__file__).parent / "data" / "media_before_schema7.tar.gz"
MINUTES = b"minutes of the meeting\n" * 2000  # sent to bob as a file
HALF = b"0123456789" * 3  # its upload stopped after 10 bytes
HALF_UPLOAD = "6252e43f0edb159e9249bcbf6823de62"
PHOTO = "f47e7ed805ca752387f78923c3b63241839c14b860bf90c68c43e8d67ad5ec3f"


def unpack(data: Path) -> None:
    data.mkdir()
    with tarfile.open(BEFORE) as packed:
        packed.extractall(data, filter="data")
    assert (data / "media" / "media.sqlite3").exists()


@pytest.fixture
def old_folder(tmp_path: Path) -> Iterator[ServerProcess]:
    data = tmp_path / "data"
    unpack(data)
    # (its own SQLite database, whichever database the rest of the suite runs on)
    server = ServerProcess(
        data, "--database", str(data / "messenger.sqlite3"), "--sqlite-synchronous", "NORMAL"
    )
    try:
        yield server.start()
    finally:
        server.stop()


async def test_the_old_media_index_is_taken_in_once_and_everything_works_as_before(
    old_folder: ServerProcess,
) -> None:
    media = old_folder.data_dir / "media"
    assert not (media / "media.sqlite3").exists()
    assert (media / "media.sqlite3.imported").exists()
    alice = await RawDevice(old_folder.url, "alice").sign_in()
    bob = await RawDevice(old_folder.url, "bob").sign_in()
    try:
        page = await bob.history("C2Calice")
        file_msg, photo_msg = page.messages
        got = await fetch(bob, sha256(MINUTES), file_msg, "C2Calice")
        assert got.status_code == 200 and got.content == MINUTES
        # the photo's "cleaned" flag came along: others get the copy without GPS
        clean = (media / "thumbs" / PHOTO[:2] / f"{PHOTO}-clean.jpg").read_bytes()
        shown = await fetch(bob, PHOTO, photo_msg, "C2Calice")
        assert shown.status_code == 200 and shown.content == clean
        small = await fetch(bob, PHOTO, photo_msg, "C2Calice", variant="small")
        assert small.status_code == 200

        # alice still owns what she uploaded; bob must prove he holds the bytes
        mine = await begin(alice, "file", MINUTES)
        assert mine.complete and mine.challenge is None
        theirs = await begin(bob, "file", MINUTES)
        assert theirs.challenge is not None and not theirs.complete
        # the upload stopped at byte 10 goes on from there
        resumed = await begin(alice, "file", HALF)
        assert (resumed.upload_id, resumed.offset) == (HALF_UPLOAD, 10)
        done = status_of(await put(alice, HALF_UPLOAD, 10, HALF[10:]))
        assert done.complete and done.media is not None and done.media.media_id == sha256(HALF)
    finally:
        await alice.aclose()
        await bob.aclose()

    old_folder.restart()  # the next start has nothing to take in and knows it all
    assert not (media / "media.sqlite3").exists()
    alice = await RawDevice(old_folder.url, "alice").sign_in()
    try:
        assert (await begin(alice, "file", HALF)).complete
    finally:
        await alice.aclose()


async def test_a_node_on_postgresql_takes_the_old_index_of_a_shared_folder_into_the_database(
    tmp_path: Path, postgres: PostgresCluster
) -> None:
    """The same folder as the media folder of a node on PostgreSQL (``--media-path``): the old
    index goes into PostgreSQL, where a second node finds it."""
    old = tmp_path / "old"
    unpack(old)
    dsn = postgres.fresh_schema()
    nodes = [
        ServerProcess(tmp_path / f"node{n}", "--database", dsn, "--media-path", str(old))
        for n in (1, 2)
    ]
    try:
        nodes[0].start()
        assert not (old / "media" / "media.sqlite3").exists()
        nodes[1].start()
        alice = await RawDevice(nodes[1].url, "alice").sign_in()
        try:
            assert (await begin(alice, "file", MINUTES)).complete  # her file, known on node two
            resumed = await begin(alice, "file", HALF)
            assert (resumed.upload_id, resumed.offset) == (HALF_UPLOAD, 10)
        finally:
            await alice.aclose()
    finally:
        for node in nodes:
            node.stop()
