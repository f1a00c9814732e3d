"""The store file across versions of the client."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from messenger.core.store import Store
from messenger.core.store.schema import SCHEMA_VERSION, connect
from messenger.protocol.models import Profile

from .factories import message, message_change, state, state_change

_PEOPLE_TABLES = "".join(
    f"DROP TABLE {t};" for t in ("friends", "friend_requests", "friend_groups", "blocked_users")
)
# What schema 5 added: the message operations' columns and tables.
_OPS = "".join(
    f"ALTER TABLE messages DROP COLUMN {c};"
    for c in ("edit_time", "reactions", "forwarded", "deleted")
) + "".join(f"DROP TABLE {t};" for t in ("sent_here", "recalled_drafts", "conversation_pins"))


def _downgrade_to_v1(path: Path) -> None:
    """Turn a current store back into what schema 1 wrote."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        "ALTER TABLE conversations RENAME COLUMN unread_version TO count_version;"
        "ALTER TABLE conversations DROP COLUMN joined_seq;"
        "DROP TABLE users;"
        f"{_PEOPLE_TABLES}{_OPS}"
        "PRAGMA user_version = 1;"
    )
    conn.close()


async def test_a_store_of_schema_1_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "alice" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    await store.apply_changes([state_change(state("GROUPg0", version=7, pinned=True))])
    await store.aclose()
    _downgrade_to_v1(path)

    store = Store(path, "alice")
    await store.open()
    await store.apply_changes([state_change(state("GROUPg1", version=8, joined_seq=4))])
    listed = {c.conversation_id: c for c in await store.conversations()}
    await store.aclose()

    assert listed["GROUPg0"].pinned
    assert listed["GROUPg1"].joined_seq == 4
    conn = connect(str(path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


async def test_a_store_of_schema_2_gains_the_profile_cache(tmp_path: Path) -> None:
    path = tmp_path / "alice" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    await store.aclose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(f"DROP TABLE users; {_PEOPLE_TABLES}{_OPS} PRAGMA user_version = 2;")
    conn.close()

    store = Store(path, "alice")
    await store.open()
    changed = await store.put_profiles([Profile(user_id="bob", nickname="Bob")], 5)
    again = await store.put_profiles([Profile(user_id="bob", nickname="Bob")], 9)
    cached = await store.profiles(["bob", "carol"])
    await store.aclose()

    assert [p.user_id for p in changed] == ["bob"]
    assert again == []  # same nickname: nothing to announce
    assert {k: (c.profile.nickname, c.fetched_at) for k, c in cached.items()} == {"bob": ("Bob", 9)}


async def test_a_store_of_schema_3_gains_the_people_tables(tmp_path: Path) -> None:
    path = tmp_path / "alice" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    await store.put_profiles([Profile(user_id="bob", nickname="Bob")], 5)
    await store.aclose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        f"ALTER TABLE users DROP COLUMN profile; {_PEOPLE_TABLES}{_OPS} PRAGMA user_version = 3;"
    )
    conn.close()

    store = Store(path, "alice")
    await store.open()
    assert (await store.profiles(["bob"]))["bob"].profile.nickname == "Bob"  # kept
    assert await store.friends() == [] and await store.blocked_users() == []
    await store.aclose()


async def test_a_store_of_schema_4_indexes_its_messages_again(tmp_path: Path) -> None:
    path = tmp_path / "alice" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    await store.apply_changes([message_change(message(seq=1, text="旧的消息 old words"), 1)])
    await store.aclose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        "DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_update;"
        "DROP TRIGGER messages_fts_delete; DROP TABLE messages_fts; DROP INDEX messages_by_time;"
        "CREATE VIRTUAL TABLE messages_fts USING fts5(text, tokenize = 'unicode61');"
        f"{_OPS} PRAGMA user_version = 4;"
    )
    conn.close()

    store = Store(path, "alice")
    await store.open()
    found = [m.text for m in await store.search("消息 old")]
    await store.apply_changes([message_change(message(seq=2, text="new words"), 2)])
    later = [m.seq for m in await store.search("words")]
    await store.aclose()

    assert found == ["旧的消息 old words"]
    assert later == [2, 1]  # new messages are indexed by the triggers


async def test_a_store_of_schema_5_gains_the_message_operations(tmp_path: Path) -> None:
    path = tmp_path / "alice" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    await store.apply_changes([state_change(state("GROUPg0", version=7, pinned=True))])
    await store.aclose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(f"{_OPS} PRAGMA user_version = 5;")
    conn.close()

    store = Store(path, "alice")
    await store.open()
    assert (await store.conversation("GROUPg0")) is not None  # kept
    assert await store.pins("GROUPg0") is None
    await store.put_pins("GROUPg0", ["m1"])
    assert await store.pins("GROUPg0") == ["m1"]
    assert await store.recalled_draft("m1") is None
    await store.aclose()


async def test_a_store_of_schema_7_keeps_its_index_and_gains_the_prefix_lists(
    tmp_path: Path,
) -> None:
    path = tmp_path / "alice" / "messages.sqlite3"
    store = Store(path, "alice")
    await store.open()
    await store.apply_changes([message_change(message(seq=1, text="旧的消息 meeting notes"), 1)])
    await store.aclose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(  # schema 7's index: the same words, no prefix lists
        "DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_update;"
        "DROP TRIGGER messages_fts_delete;"
        "CREATE VIRTUAL TABLE old_fts USING fts5(words, tags, conv, msg UNINDEXED);"
        "INSERT INTO old_fts (rowid, words, tags, conv, msg) "
        "SELECT rowid, words, tags, conv, msg FROM messages_fts;"
        "DROP TABLE messages_fts; ALTER TABLE old_fts RENAME TO messages_fts;"
        "PRAGMA user_version = 7;"
    )
    conn.close()

    store = Store(path, "alice")
    await store.open()
    found = [m.text for m in await store.search("消息 m")]
    await store.apply_changes([message_change(message(seq=2, text="more meetings"), 2)])
    later = [m.seq for m in await store.search("me")]
    await store.aclose()

    assert found == ["旧的消息 meeting notes"]
    assert later == [2, 1]  # new messages are indexed by the triggers again
    conn = sqlite3.connect(path)
    [table] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
    conn.close()
    assert "prefix = '1 2'" in table
