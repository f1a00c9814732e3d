"""Collection of unused files against uploads and sends on another node, on both backends: two
media services ("nodes") over one real database and one shared media folder, the file first
stored two hours before (the orphan time is one hour) and used by no message. A step of one node
is held open while the other node collects, so each interleaving happens every run.

What a user would notice if the collector won: a file the server said it already had (or had
just received) is gone when the message is sent or downloaded; a message names a file that no
longer exists."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from messenger.protocol import errors
from messenger.protocol.bodies import FileBody
from messenger.protocol.models import PossessionProof, UploadRequest
from messenger.protocol.possession import possession_digest
from messenger.server.media.service import MediaService, media_ids_of
from messenger.server.storage.base import Storage
from messenger.server.storage.postgres.storage import PostgresStorage
from messenger.server.storage.records import NewMessage, c2c_key
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.storage import SqliteStorage
from tests.helpers.media import ORPHAN_MS, collecting_media, sha256
from tests.helpers.storage_data import new_message

HOUR = ORPHAN_MS
DATA = b"the bytes of a file stored two hours ago and used by no message"


@dataclass
class Node:
    storage: Storage
    media: MediaService


@pytest.fixture(params=("sqlite", "postgresql"))
async def nodes(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[Node]]:
    """Two nodes of one deployment: one database, one media folder."""
    dsn = request.getfixturevalue("postgres").fresh_schema() if request.param != "sqlite" else ""
    made: list[Node] = []
    for _ in range(2):
        storage: Storage
        if dsn:
            storage = PostgresStorage(dsn)
        else:
            storage = SqliteStorage(tmp_path / "db.sqlite3", synchronous="NORMAL")
        await storage.open()
        media = await collecting_media(tmp_path / "media", storage.media)
        made.append(Node(storage, media))
    for user in ("alice", "bob"):
        await made[0].storage.create_user(user, user.title(), None, exist_ok=True)
    yield made
    for node in made:
        await node.storage.close()


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


def request(data: bytes = DATA, proof: PossessionProof | None = None) -> UploadRequest:
    return UploadRequest(kind="file", size=len(data), sha256=sha256(data), proof=proof)


async def stored_long_ago(node: Node, data: bytes = DATA) -> str:
    """Alice uploads ``data`` through ``node``; then two hours pass (the file's clock is set
    back: nothing else in the index changes)."""
    status = await node.media.begin("alice", request(data))
    done = await node.media.write("alice", status.upload_id, 0, chunks(data))
    assert done.complete
    media_id = sha256(data)

    def set_back(txn: WriteTxn) -> None:
        txn.conn.execute(
            "UPDATE media SET created = created - ? WHERE media_id = ?", (2 * HOUR, media_id)
        )

    await node.storage.db.write(set_back)  # type: ignore[attr-defined]
    return media_id


def message_with(sender: str, media_id: str, body: FileBody) -> NewMessage:
    message = new_message(sender, "c2c", c2c_key("alice", "bob"), None, "")
    fields = {"media_id": media_id, "name": body.name, "size": body.size}
    return replace(message, kind="file", body=fields, media_ids=media_ids_of(body))


async def send(node: Node, sender: str, media_id: str) -> None:
    """The send path of a file message: the check of the file, then the message stored."""
    body = await node.media.attach(sender, FileBody(media_id=media_id, name="a", size=len(DATA)))
    assert isinstance(body, FileBody)
    await node.storage.insert_message(message_with(sender, media_id, body))


async def assert_kept(node: Node, media_id: str) -> None:
    assert await node.storage.media.get_media(media_id) is not None
    assert node.media.files.file_path(media_id).read_bytes() == DATA


def held(
    target: Any, name: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[asyncio.Event, asyncio.Event]:
    """Make ``target.name`` (a coroutine method) stop at its start until released; answers
    (entered, release) events."""
    entered, release = asyncio.Event(), asyncio.Event()
    real: Callable[..., Awaitable[Any]] = getattr(target, name)

    async def waiting(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        await release.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(target, name, waiting)
    return entered, release


# -- (a) the upload is told "already have it", then the other node collects --------------------------
async def test_a_file_the_owner_is_told_is_kept_survives_the_next_collection(
    nodes: list[Node],
) -> None:
    one, two = nodes
    media_id = await stored_long_ago(one)

    status = await one.media.begin("alice", request())  # the same bytes again: nothing to send
    assert status.complete and status.media is not None
    await two.media.collect()  # the other node's collector, at the real time

    await assert_kept(one, media_id)
    await send(one, "alice", media_id)


async def test_a_file_another_user_proved_they_hold_survives_the_next_collection(
    nodes: list[Node],
) -> None:
    one, two = nodes
    media_id = await stored_long_ago(one)

    asked = await one.media.begin("bob", request())
    assert asked.challenge is not None
    challenge = asked.challenge
    part = DATA[challenge.offset : challenge.offset + challenge.length]
    proof = PossessionProof(challenge=challenge, digest=possession_digest(challenge.nonce, part))
    status = await one.media.begin("bob", request(proof=proof))
    assert status.complete
    await two.media.collect()

    await assert_kept(one, media_id)
    await send(one, "bob", media_id)


async def test_bytes_received_again_are_not_collected_while_they_are_recorded(
    nodes: list[Node], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob uploads the same bytes the usual way (his proof is wrong); his node has checked them
    and is about to record the file when the other node collects the old one."""
    import asyncio

    one, two = nodes
    media_id = await stored_long_ago(one)
    asked = await one.media.begin("bob", request())
    assert asked.challenge is not None
    wrong = PossessionProof(challenge=asked.challenge, digest="0" * 64)
    upload = await one.media.begin("bob", request(proof=wrong))
    assert upload.upload_id
    entered, release = held(one.media.index, "complete_upload", monkeypatch)

    writing = asyncio.create_task(one.media.write("bob", upload.upload_id, 0, chunks(DATA)))
    await entered.wait()
    await two.media.collect()
    release.set()
    done = await writing

    assert done.complete
    await assert_kept(one, media_id)
    await send(one, "bob", media_id)
    await assert_kept(two, media_id)


# -- (b) the file is checked for a send, then collected before the message is stored ----------------
async def test_a_message_is_never_stored_naming_a_file_collected_after_its_check(
    nodes: list[Node],
) -> None:
    one, two = nodes
    media_id = await stored_long_ago(one)
    body = await one.media.attach("alice", FileBody(media_id=media_id, name="a", size=len(DATA)))
    assert isinstance(body, FileBody)
    await two.media.collect()  # between the check and the message's transaction

    message = message_with("alice", media_id, body)
    with pytest.raises(errors.UploadIncomplete) as refused:
        await one.storage.insert_message(message)
    assert refused.value.details == {"offset": 0, "media_id": media_id}
    assert await one.storage.media.get_media(media_id) is None

    # what the client does then: upload again and send the same message
    status = await two.media.begin("alice", request())
    await two.media.write("alice", status.upload_id, 0, chunks(DATA))
    assert not (await one.storage.insert_message(message)).duplicate
    await assert_kept(one, media_id)
    assert await two.media.collect() == 0  # in use now: kept however old


# -- an unfinished upload resumed on another node ---------------------------------------------------
async def test_an_old_upload_receiving_bytes_on_another_node_is_not_collected(
    nodes: list[Node],
) -> None:
    """Begun two hours ago, resumed now: while one node receives its bytes, the other node's
    collector leaves it alone, and it completes."""
    one, two = nodes
    begun = await one.media.begin("alice", request())

    def set_back(txn: WriteTxn) -> None:
        txn.conn.execute("UPDATE uploads SET created = created - ?", (2 * HOUR,))

    await one.storage.db.write(set_back)  # type: ignore[attr-defined]
    halfway, rest = asyncio.Event(), asyncio.Event()

    async def resumed() -> AsyncIterator[bytes]:
        yield DATA[:20]
        halfway.set()
        await rest.wait()
        yield DATA[20:]

    writing = asyncio.create_task(one.media.write("alice", begun.upload_id, 0, resumed()))
    await halfway.wait()
    assert await two.media.collect() == 0
    rest.set()
    assert (await writing).complete
    await assert_kept(one, sha256(DATA))


async def test_an_old_upload_that_got_bytes_lately_waits_for_the_orphan_time_from_them(
    nodes: list[Node],
) -> None:
    one, two = nodes
    begun = await one.media.begin("alice", request())
    await one.media.write("alice", begun.upload_id, 0, chunks(DATA[:20]))

    def set_back(txn: WriteTxn) -> None:
        txn.conn.execute("UPDATE uploads SET created = created - ?", (2 * HOUR,))

    await one.storage.db.write(set_back)  # type: ignore[attr-defined]
    assert await two.media.collect() == 0  # its last bytes came just now
    status = await two.media.status("alice", begun.upload_id)
    assert status.offset == 20
    later = await two.media.collect(now_ms=int(time.time() * 1000) + HOUR + 1)
    assert later == 1 and await two.storage.media.get_upload(begun.upload_id) is None


# -- what the races left behind before --------------------------------------------------------------
async def test_a_recorded_file_whose_bytes_are_gone_is_uploaded_again_and_serves_its_message(
    nodes: list[Node],
) -> None:
    """A message names a file whose record outlived its bytes (what the completion race left
    on a server before the fix): the next upload of those bytes is not told "already have it";
    it sends them, and the message's file downloads again."""
    one, two = nodes
    media_id = await stored_long_ago(one)
    await send(one, "alice", media_id)
    one.media.files.file_path(media_id).unlink()

    for user in ("alice", "bob"):  # the owner, and someone who would be asked for a proof
        status = await two.media.begin(user, request())
        assert not status.complete and status.upload_id and status.challenge is None
    status = await two.media.begin("bob", request())
    done = await two.media.write("bob", status.upload_id, 0, chunks(DATA))

    assert done.complete and done.media is not None and done.media.media_id == media_id
    await assert_kept(one, media_id)
