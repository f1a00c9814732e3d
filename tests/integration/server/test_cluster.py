"""Several nodes of one deployment: real server processes over one PostgreSQL database and one
Redis, with the clients of a conversation connected to different nodes. Messages reach every
member exactly once and in order whichever node they were sent to; kicks, bans, block lists and
membership changes made on one node hold on the others; a node killed and restarted loses
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from messenger.core import MessageState
from messenger.protocol import errors, frames
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.postgres import PostgresCluster
from tests.helpers.raw import RawDevice, usersig
from tests.helpers.redis_server import RedisProcess
from tests.helpers.server import ServerProcess

OwnServer = Callable[..., ServerProcess]
Nodes = Callable[..., list[ServerProcess]]


@pytest.fixture
def nodes(own_server: OwnServer, postgres: PostgresCluster, redis: RedisProcess) -> Nodes:
    """``nodes(n, *args)``: n nodes of one deployment (one database, one Redis)."""

    def start(count: int = 2, *args: str, **kw: object) -> list[ServerProcess]:
        dsn = postgres.fresh_schema()
        return [
            own_server("--database", dsn, "--redis", redis.url, *args, **kw) for _ in range(count)
        ]

    return start


@pytest.fixture
async def clients(tmp_path: Path) -> AsyncIterator[Devices]:
    made = Devices("", tmp_path / "clients")
    yield made
    await made.aclose()


async def _holds(device: Device, conversation_id: str, count: int) -> bool:
    return len(await device.texts(conversation_id)) == count


async def _on(url: str, user_id: str, devices: list[RawDevice], **kw: object) -> RawDevice:
    device = await RawDevice(url, user_id, **kw).sign_in()  # type: ignore[arg-type]
    devices.append(device)
    return device


async def test_a_conversation_across_nodes_arrives_once_and_in_order(
    nodes: Nodes, clients: Devices
) -> None:
    one, two = nodes(2)
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await clients.sign_in(alice_id, url=one.url)
    bob = await clients.sign_in(bob_id, url=two.url)
    carol = await clients.sign_in(carol_id, url=two.url)
    group = await alice.client.create_group("Across", [bob_id, carol_id])
    gconv = "GROUP" + group.group_id

    for i in range(10):
        await alice.client.send_text("C2C" + bob_id, f"a{i}")
        await bob.client.send_text("C2C" + alice_id, f"b{i}")
        await (alice if i % 2 else carol).client.send_text(gconv, f"g{i}")

    async def c2c_done() -> bool:
        mine = await alice.texts("C2C" + bob_id)
        return len(mine) == 20 and mine == await bob.texts("C2C" + alice_id)

    await clients.until(c2c_done, within=20)
    # Alice and carol send at once: the server's seq order decides, the same for everyone,
    # each sender's own order kept.
    await clients.until(lambda: _holds(alice, gconv, 10), within=20)
    seen = await alice.texts(gconv)
    assert sorted(seen) == [f"g{i}" for i in range(10)]
    assert [t for t in seen if int(t[1]) % 2] == [f"g{i}" for i in range(1, 10, 2)]
    assert [t for t in seen if not int(t[1]) % 2] == [f"g{i}" for i in range(0, 10, 2)]
    for device in (bob, carol):
        await clients.until_equal(lambda d=device: d.texts(gconv), seen)
    mine = await alice.texts("C2C" + bob_id)
    assert [t for t in mine if t.startswith("a")] == [f"a{i}" for i in range(10)]
    assert [t for t in mine if t.startswith("b")] == [f"b{i}" for i in range(10)]
    for device in (alice, bob, carol):  # exactly once: as many rows as the server's seqs
        seqs = [m.seq for m in await device.history(gconv)]
        assert seqs == sorted(set(seqs))
    state = await bob.client.conversation(gconv)
    assert state is not None and state.unread_count == 10  # none of them his own


async def test_a_kick_or_a_ban_on_one_node_ends_the_session_on_another(
    nodes: Nodes, raw_devices: list[RawDevice]
) -> None:
    one, two = nodes(2, "--device-limit", "1")
    dave = uid("dave")
    first = await _on(one.url, dave, raw_devices)
    await first.connect()

    await _on(two.url, dave, raw_devices)  # one device allowed: the oldest is signed out

    kicked = await first.next_of(frames.Kicked, within=10)
    assert kicked.reason == "other_device"
    assert await asyncio.wait_for(first.closed, 10) == frames.CLOSE_KICKED
    with pytest.raises(errors.SessionRevoked):
        await first.call("me")  # node one forgot the session too

    latest = await _on(one.url, dave, raw_devices)
    await latest.connect()
    admin = RawDevice(two.url, "administrator")
    raw_devices.append(admin)
    response = await admin.http.post(
        f"/v1/admin/users/{dave}/ban",
        headers={"Authorization": f"UserSig administrator:{usersig('administrator')}"},
    )
    assert response.status_code == 200, response.text
    assert (await latest.next_of(frames.Kicked, within=10)).reason == "banned"


async def test_membership_and_block_changes_on_one_node_hold_on_the_other(
    nodes: Nodes, raw_devices: list[RawDevice]
) -> None:
    one, two = nodes(2)
    owner, talker, newcomer = uid("owner"), uid("talker"), uid("newcomer")
    o = await _on(one.url, owner, raw_devices)
    t = await _on(two.url, talker, raw_devices)
    n = await _on(one.url, newcomer, raw_devices)
    await n.connect()
    group = await o.call("create_group", body={"name": "Cache", "members": [talker]})
    gconv = "GROUP" + group.group_id
    await t.send(gconv, "before")  # node two now has the members cached

    await o.call("add_members", group_id=group.group_id, body={"user_ids": [newcomer]})
    await asyncio.sleep(0.3)  # (the invalidation travels like any wake-up)
    sent = await t.send(gconv, "after")  # node two must know the newcomer is a member now
    change = await n.wait_for(
        lambda f: (
            isinstance(f, frames.Changes)
            and any(
                isinstance(c, frames.MessageChange) and c.message.message_id == sent.message_id
                for c in f.changes
            )
        ),
        within=10,
    )
    assert change is not None

    await t.send("C2C" + owner, "hello")  # node two caches who the owner blocked (nobody)
    await o.call("block", user_id=talker)
    await asyncio.sleep(0.3)
    with pytest.raises(errors.BlockedByPeer):
        await t.send("C2C" + owner, "are you there?")


@pytest.mark.timeout(120)
async def test_a_node_killed_and_restarted_loses_nothing(nodes: Nodes, clients: Devices) -> None:
    one, two = nodes(2)
    erin_id, fay_id = uid("erin"), uid("fay")
    erin = await clients.sign_in(erin_id, url=one.url)
    fay = await clients.sign_in(fay_id, url=two.url)
    await erin.client.send_text("C2C" + fay_id, "before")
    await clients.until_equal(lambda: fay.texts("C2C" + erin_id), ["before"])

    two.kill()  # SIGKILL: fay's node is gone
    for i in range(5):
        await erin.client.send_text("C2C" + fay_id, f"while down {i}")
    two.start()  # same port: fay's client reconnects and catches up from the database

    expected = ["before", *(f"while down {i}" for i in range(5))]
    await clients.until_equal(lambda: fay.texts("C2C" + erin_id), expected, within=60)
    await fay.client.send_text("C2C" + erin_id, "back")
    await clients.until_equal(lambda: erin.texts("C2C" + fay_id), [*expected, "back"])


async def test_who_asked_for_a_status_on_one_node_hears_its_changes_from_another(
    nodes: Nodes, raw_devices: list[RawDevice]
) -> None:
    one, two = nodes(2)
    curious, gina = uid("curious"), uid("gina")  # not friends: a subscription, not a watch
    asker = await _on(one.url, curious, raw_devices)
    await asker.connect()
    subject = await _on(two.url, gina, raw_devices)
    (before,) = (await asker.call("presence", query={"user_ids": gina})).statuses
    assert not before.online

    await subject.connect()
    came = await asker.next_of(frames.Presence, within=10)
    assert [(s.user_id, s.online) for s in came.statuses] == [(gina, True)]
    await subject.aclose()
    went = await asker.next_of(frames.Presence, within=10)
    assert [(s.user_id, s.online) for s in went.statuses] == [(gina, False)]


async def test_a_file_uploaded_on_one_node_downloads_from_another(
    nodes: Nodes, tmp_path: Path
) -> None:
    """Media on a folder every node reaches (``--media-path``): a file sent through node one
    downloads whole from node two, and the same bytes offered to node two are not uploaded again."""
    from tests.helpers.media import sha256
    from tests.integration.server.test_media import begin, fetch, send, upload

    shared = tmp_path / "shared-media"
    one, two = nodes(2, "--media-path", str(shared))
    made: list[RawDevice] = []
    alice = await _on(one.url, uid("alice"), made)
    bob = await _on(two.url, uid("bob"), made)
    data = b"minutes of the meeting " * 5_000
    status = await upload(alice, "file", data)
    assert status.complete
    body = {"media_id": sha256(data), "name": "minutes.txt", "size": len(data)}
    sent = await send(alice, "C2C" + bob.user_id, "file", body)

    got = await fetch(bob, sha256(data), sent, "C2C" + alice.user_id)
    assert got.status_code == 200 and got.content == data
    assert not (shared / "media" / "media.sqlite3").exists()  # the index is in the database
    again = await begin(bob, "file", data)  # node two knows the file node one stored
    assert again.challenge is not None and not again.complete
    for device in made:
        await device.aclose()


async def test_the_media_index_is_in_the_database_and_the_shared_folder_holds_only_files(
    nodes: Nodes, tmp_path: Path
) -> None:
    """Over PostgreSQL the nodes share the index through the database, not through a file in
    the shared folder: an upload begun through node one goes on through node two from where it
    stopped, and the bytes it is finished with are known to node one without a second upload."""
    from tests.helpers.media import sha256
    from tests.integration.server.test_media import begin, put, status_of

    shared = tmp_path / "shared-media"
    one, two = nodes(2, "--media-path", str(shared))
    made: list[RawDevice] = []
    alice_one = await _on(one.url, uid("alice"), made)
    alice_two = await _on(two.url, alice_one.user_id, made)
    data = b"slides of the talk " * 20_000
    begun = await begin(alice_one, "file", data)
    part = status_of(await put(alice_one, begun.upload_id, 0, data[:100_000]))
    assert part.offset == 100_000 and not part.complete

    resumed = await begin(alice_two, "file", data)  # the same bytes, through the other node
    assert (resumed.upload_id, resumed.offset) == (begun.upload_id, 100_000)
    done = status_of(await put(alice_two, resumed.upload_id, 100_000, data[100_000:]))
    assert done.complete and done.media is not None and done.media.media_id == sha256(data)
    known = await begin(alice_one, "file", data)  # node one: already hers, nothing to send
    assert known.complete and known.upload_id == ""

    media = shared / "media"
    assert sorted(p.name for p in media.iterdir()) == ["files", "partial", "thumbs"]
    assert not list((media / "partial").iterdir())
    for device in made:
        await device.aclose()


async def test_an_upload_receives_bytes_through_one_node_at_a_time(
    nodes: Nodes, tmp_path: Path
) -> None:
    """While node one receives an upload's bytes, the same upload's bytes sent through node two
    are refused (as on one node: ``upload_offset_mismatch``) instead of landing in the middle of
    the shared partial file; once node one is done, the upload is whole and correct."""
    from tests.helpers.media import sha256
    from tests.integration.server.test_media import begin, put, refused, status_of

    shared = tmp_path / "shared-media"
    one, two = nodes(2, "--media-path", str(shared))
    made: list[RawDevice] = []
    alice_one = await _on(one.url, uid("alice"), made)
    alice_two = await _on(two.url, alice_one.user_id, made)
    data = bytes(range(256)) * 12_000  # 3 MB
    begun = await begin(alice_one, "file", data)
    more = asyncio.Event()

    async def slowly() -> AsyncIterator[bytes]:
        yield data[: 2 << 20]
        await more.wait()
        yield data[2 << 20 :]

    sending = asyncio.create_task(put_stream(alice_one, begun.upload_id, slowly()))
    for _ in range(100):  # until node two sees node one's first bytes in the shared folder
        status = await alice_two.call("upload_status", upload_id=begun.upload_id)
        if status.offset:
            break
        await asyncio.sleep(0.05)
    assert status.offset > 0

    meanwhile = await put(alice_two, begun.upload_id, status.offset, data[status.offset :])
    error = refused(meanwhile)
    assert isinstance(error, errors.UploadOffsetMismatch), error
    assert "another connection" in error.message
    more.set()
    done = status_of(await sending)
    assert done.complete and done.media is not None and done.media.media_id == sha256(data)
    for device in made:
        await device.aclose()


async def put_stream(device: RawDevice, upload_id: str, body: AsyncIterator[bytes]) -> Any:
    return await device.http.put(
        f"/v1/uploads/{upload_id}",
        content=body,
        headers={"Authorization": f"Bearer {device.token}", "Upload-Offset": "0"},
    )


async def _sent(device: Device, conversation_id: str, text: str) -> bool:
    return any(
        m.text == text and m.seq > 0 and m.state is MessageState.SENT
        for m in await device.history(conversation_id)
    )


async def _unread(device: Device, conversation_id: str) -> int | None:
    conversation = await device.client.conversation(conversation_id)
    return None if conversation is None else conversation.unread_count


async def test_my_reply_reads_the_chat_at_once_while_another_nodes_commit_is_unannounced(
    own_server: OwnServer, postgres: PostgresCluster, redis: RedisProcess, clients: Devices
) -> None:
    """Sending reads what came before (the server moves my cursor to my message). Its state
    change reaches my device with the acknowledgement, not only with the live push: with
    several nodes the push waits until every lower version is announced, and a node that
    committed a version and died before announcing it holds it back for seconds."""
    dsn = postgres.fresh_schema()
    one, two = (own_server("--database", dsn, "--redis", redis.url) for _ in range(2))
    alice = await clients.sign_in(uid("alice"), url=one.url)
    bob = await clients.sign_in(uid("bob"), url=two.url)
    chat = "C2C" + bob.user_id
    await bob.client.send_text("C2C" + alice.user_id, "are you there?")
    await clients.until_equal(lambda: _unread(alice, chat), 1)

    # a writer on a third node commits a version and is killed before it announces it
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
    await alice.client.send_text(chat, "yes")
    await clients.until(lambda: _sent(alice, chat, "yes"), what="the acknowledgement")

    assert await _unread(alice, chat) == 0  # as the server says, with nothing unread left
    raw = await RawDevice(two.url, alice.user_id).sign_in()
    try:
        listed = await raw.call("conversations")
        (state,) = [s.state for s in listed.conversations if s.state.conversation_id == chat]
        assert (state.unread_count, state.read_seq) == (0, 2)
    finally:
        await raw.aclose()
