"""The change feed against a real SQLite file: pages of any size cut the feed without skipping or
repeating anything, whichever of its sources (messages, my states, peers' read cursors, my
groups, and the people side: profiles, friends, requests, friend groups, blocks) a change comes
from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from messenger.protocol import frames
from messenger.server.storage.sqlite.storage import SqliteStorage
from tests.helpers.storage_data import populate


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    s = SqliteStorage(tmp_path / "feed.sqlite3", synchronous="NORMAL")
    await s.open()
    yield s
    await s.close()


def wire(changes: list[Any]) -> list[Any]:
    return [msgspec.to_builtins(c) for c in changes]


async def test_pages_of_every_size_cut_the_feed_exactly(storage: SqliteStorage) -> None:
    await populate(storage)
    full = await storage.feed("alice", 0, 100_000)
    assert not full.has_more and full.next_version == storage.head
    kinds = {type(c) for c in full.changes}
    assert kinds == {
        frames.MessageChange,
        frames.StateChange,
        frames.PeerReadChange,
        frames.GroupChange,
        frames.ProfileChange,
        frames.FriendChange,
        frames.FriendRequestChange,
        frames.FriendGroupChange,
        frames.BlockChange,
        frames.PinsChange,
    }
    profiles = [c.profile.nickname for c in full.changes if isinstance(c, frames.ProfileChange)]
    # carol is no friend of alice's but shares the group "team" with her: her profile is seen too
    assert "Bobby" in profiles and "not alice's friend" in profiles
    versions = [c.v for c in full.changes]
    assert versions == sorted(set(versions))
    for limit in range(1, len(full.changes) + 2):
        got: list[Any] = []
        since = 0
        while True:
            page = await storage.feed("alice", since, limit)
            assert len(page.changes) <= limit
            assert all(c.v > since for c in page.changes)
            got.extend(page.changes)
            assert page.next_version >= since
            since = page.next_version
            if not page.has_more:
                break
            assert page.changes, "a page that has more must make progress"
        assert wire(got) == wire(full.changes), f"limit {limit}"
        assert since == storage.head


async def test_any_starting_version_gives_exactly_what_follows(storage: SqliteStorage) -> None:
    await populate(storage)
    full = (await storage.feed("alice", 0, 100_000)).changes
    for since in range(storage.head + 1):
        page = await storage.feed("alice", since, 100_000)
        assert wire(page.changes) == wire([c for c in full if c.v > since]), since


async def test_what_alice_may_not_see_is_not_in_her_feed(storage: SqliteStorage) -> None:
    await populate(storage)
    changes = (await storage.feed("alice", 0, 100_000)).changes
    texts = [c.message.body.get("text") for c in changes if isinstance(c, frames.MessageChange)]
    # group messages before she joined (g5 was posted right after she was added) stay hidden
    assert [t for t in texts if t and t.startswith("g")] == [f"g{i}" for i in range(5, 12)]
    assert texts[-5:] == [f"t{i}" for i in range(5)]
    assert all(c.group.group_id == "team" for c in changes if isinstance(c, frames.GroupChange))
    peer_reads = [c for c in changes if isinstance(c, frames.PeerReadChange)]
    assert [p.conversation_id for p in peer_reads] == ["C2Cbob"]
    bob_feed = (await storage.feed("bob", 0, 100_000)).changes
    assert not any(
        isinstance(c, frames.StateChange)
        and c.state.conversation_id.endswith("alice")
        and c.state.pinned
        for c in bob_feed
    ), "alice's pin is hers alone"


async def test_an_empty_feed_and_a_future_since(storage: SqliteStorage) -> None:
    await populate(storage)
    await storage.create_user("dave", "dave", None)
    page = await storage.feed("dave", 0, 10)  # nothing but the new account's own profile
    assert [type(c) for c in page.changes] == [frames.ProfileChange]
    assert (page.has_more, page.next_version) == (False, storage.head)
    page = await storage.feed("dave", storage.head, 10)
    assert (page.changes, page.has_more, page.next_version) == ([], False, storage.head)
    page = await storage.feed("alice", storage.head + 5, 10)
    assert (page.changes, page.has_more) == ([], False)
