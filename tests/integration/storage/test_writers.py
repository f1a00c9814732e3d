"""Versions across writers: several servers write to one PostgreSQL database. A server whose
commit is held back on purpose (after it drew its version, before it commits) must not let a
device syncing "after V" see a later version while the earlier one is still to come: the
other server's write waits, and both land in version order."""

from __future__ import annotations

import asyncio
import threading

import pytest

from messenger.protocol import errors, frames
from messenger.server.storage.postgres.storage import PostgresStorage
from messenger.server.storage.records import c2c_key
from tests.helpers.postgres import PostgresCluster
from tests.helpers.storage_data import new_message

AB = c2c_key("alice", "bob")
BC = c2c_key("bob", "carol")


async def test_a_delayed_commit_is_never_skipped_by_a_later_version(
    postgres: PostgresCluster,
) -> None:
    dsn = postgres.fresh_schema()
    node_a, node_b, reader = PostgresStorage(dsn), PostgresStorage(dsn), PostgresStorage(dsn)
    for node in (node_a, node_b, reader):
        await node.open()
    try:
        await node_a.create_user("alice", "Alice", None)
        await node_b.create_user("bob", "Bob", None)
        await node_b.create_user("carol", "Carol", None)
        first = await node_a.insert_message(new_message("alice", "c2c", AB, None, "hello"))
        other = await node_b.insert_message(new_message("carol", "c2c", BC, None, "hi"))
        synced = (await reader.feed("bob", 0, 100)).next_version

        at_gate, release = threading.Event(), threading.Event()

        def hold_back() -> None:  # node A's writer thread, versions drawn, not committed
            at_gate.set()
            release.wait(30)

        node_a.db.commit_gate = hold_back
        slow = asyncio.ensure_future(
            node_a.insert_message(new_message("alice", "c2c", AB, first.conv_id, "from node A"))
        )
        assert await asyncio.to_thread(at_gate.wait, 30)
        node_a.db.commit_gate = None
        fast = asyncio.ensure_future(  # another conversation of bob's: no row in common
            node_b.insert_message(new_message("carol", "c2c", BC, other.conv_id, "from node B"))
        )
        seen_while_held = []
        for _ in range(5):  # a device of bob's syncs again and again meanwhile
            await asyncio.sleep(0.05)
            page = await reader.feed("bob", synced, 100)
            seen_while_held.extend(page.changes)
            assert page.next_version == synced  # the horizon does not move past A's version
        assert not seen_while_held and not fast.done()

        release.set()
        a_msg, b_msg = await slow, await fast
        assert a_msg.message.version < b_msg.message.version
        page = await reader.feed("bob", synced, 100)
        texts = [
            c.message.body["text"] for c in page.changes if isinstance(c, frames.MessageChange)
        ]
        assert texts == ["from node A", "from node B"]
        versions = [c.v for c in page.changes]
        assert versions == sorted(versions) and page.next_version >= b_msg.message.version
    finally:
        release.set()
        for node in (node_a, node_b, reader):
            await node.close()


async def test_writers_on_several_nodes_share_one_counter(postgres: PostgresCluster) -> None:
    dsn = postgres.fresh_schema()
    nodes = [PostgresStorage(dsn) for _ in range(3)]
    for node in nodes:
        await node.open()
    try:
        await nodes[0].create_user("alice", "Alice", None)
        await nodes[1].create_user("bob", "Bob", None)
        first = await nodes[2].insert_message(new_message("alice", "c2c", AB, None, "0"))
        sends = [
            nodes[i % 3].insert_message(new_message("alice", "c2c", AB, first.conv_id, f"{i}"))
            for i in range(1, 151)
        ]
        stored = await asyncio.gather(*sends)
        versions = sorted(s.message.version for s in stored)
        assert len(set(versions)) == 150
        assert sorted(s.message.seq for s in stored) == list(range(2, 152))  # no gap, no repeat
        page = await nodes[0].feed("bob", 0, 1000)
        got = [c for c in page.changes if isinstance(c, frames.MessageChange)]
        assert len(got) == 151 and [c.v for c in got] == sorted(c.v for c in got)
        later = await nodes[1].insert_message(new_message("bob", "c2c", AB, first.conv_id, "x"))
        assert nodes[2].head < later.message.version  # node 2 has not heard of it yet
        await nodes[2].feed("alice", 0, 1000)
        assert nodes[2].head >= later.message.version  # its reads tell it the horizon
    finally:
        for node in nodes:
            await node.close()


async def test_text_with_a_nul_character_is_refused_and_nothing_is_stored(
    postgres: PostgresCluster,
) -> None:
    """PostgreSQL's text cannot hold U+0000 (SQLite's can): a typed refusal, not a failure."""
    storage = PostgresStorage(postgres.fresh_schema())
    await storage.open()
    try:
        await storage.create_user("alice", "Alice", None)
        await storage.create_user("bob", "Bob", None)
        sent = await storage.insert_message(new_message("alice", "c2c", AB, None, "hi"))
        head = storage.head
        with pytest.raises(errors.InvalidParameter) as refused:
            await storage.set_draft(sent.conv_id, "alice", "bad\x00draft", 10)
        assert refused.value.details == {"reason": "nul"}
        assert storage.head == head
        state = await storage.conversation_summary(sent.conv_id, "alice")
        assert state.state.draft_text == ""
        saved, _ = await storage.set_draft(sent.conv_id, "alice", "good draft", 11)
        assert saved.state.draft_text == "good draft"  # the writer goes on
    finally:
        await storage.close()


@pytest.mark.expected_log("messenger.server.storage.sqlite.database", "write (batch|job)")
async def test_a_restarted_database_costs_only_the_writes_in_flight() -> None:
    with PostgresCluster.start(durable=True) as cluster:  # (fsync off would lose commits)
        storage = PostgresStorage(cluster.fresh_schema())
        await storage.open()
        try:
            await storage.create_user("alice", "Alice", None)
            await storage.create_user("bob", "Bob", None)
            first = await storage.insert_message(new_message("alice", "c2c", AB, None, "1"))
            await asyncio.to_thread(cluster.restart)
            for attempt in range(50):  # the first write after the restart may fail; not more
                try:
                    again = await storage.insert_message(
                        new_message("alice", "c2c", AB, first.conv_id, "2")
                    )
                    break
                except errors.ServerError:
                    assert attempt < 2
                    await asyncio.sleep(0.1)
            assert again.message.seq == 2 and again.message.version > first.message.version
            page = await storage.feed("bob", 0, 100)  # the readers reconnect too
            texts = [
                c.message.body["text"] for c in page.changes if isinstance(c, frames.MessageChange)
            ]
            assert texts == ["1", "2"]
        finally:
            await storage.close()
