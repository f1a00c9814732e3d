"""The people side of the local store: profiles (mine and others'), friends, friend requests,
friend groups and the block list, as the server's feed and snapshot describe them.

The feed carries each row's current state, so applying it is an upsert or a delete; the writes
here run inside a store ``Batch`` and note in its delta which parts changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import msgspec

from messenger.core.store.delta import StoreDelta
from messenger.protocol.frames import (
    AnyChange,
    BlockChange,
    FriendChange,
    FriendGroupChange,
    FriendRequestChange,
    ProfileChange,
)
from messenger.protocol.models import Profile
from messenger.protocol.social import Contacts, Friend, FriendRequest

PEOPLE_DDL = """
CREATE TABLE IF NOT EXISTS friends (
    user_id TEXT PRIMARY KEY,
    data    BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS friend_requests (
    sender   TEXT NOT NULL,
    receiver TEXT NOT NULL,
    data     BLOB NOT NULL,
    PRIMARY KEY (sender, receiver)
);
CREATE TABLE IF NOT EXISTS friend_groups (
    name TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS blocked_users (
    user_id TEXT PRIMARY KEY
);
"""
# A profile's full form next to the cached nickname (users.profile, JSON).
PEOPLE_MIGRATION = "ALTER TABLE users ADD COLUMN profile BLOB;\n" + PEOPLE_DDL

FRIENDS, REQUESTS, GROUPS, BLOCKS = "friends", "requests", "groups", "blocks"
PEOPLE_CHANGES = (ProfileChange, FriendChange, FriendRequestChange, FriendGroupChange, BlockChange)

_enc = msgspec.json.Encoder()
_friend = msgspec.json.Decoder(Friend).decode
_request = msgspec.json.Decoder(FriendRequest).decode
_profile = msgspec.json.Decoder(Profile).decode


def put_profile(conn: sqlite3.Connection, delta: StoreDelta, profile: Profile, now: int) -> None:
    old = conn.execute("SELECT profile FROM users WHERE user_id = ?", (profile.user_id,))
    row = old.fetchone()
    data = _enc.encode(profile)
    if row is not None and row[0] == data:
        return
    conn.execute(
        "INSERT INTO users(user_id, nickname, fetched_at, profile) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET nickname = excluded.nickname, "
        "fetched_at = excluded.fetched_at, profile = excluded.profile",
        (profile.user_id, profile.nickname, now, data),
    )
    delta.profiles.append(profile)


def apply_change(conn: sqlite3.Connection, delta: StoreDelta, change: AnyChange, now: int) -> None:
    if isinstance(change, ProfileChange):
        put_profile(conn, delta, change.profile, now)
    elif isinstance(change, FriendChange):
        if change.removed:
            conn.execute("DELETE FROM friends WHERE user_id = ?", (change.friend.user_id,))
        else:
            conn.execute(
                "INSERT OR REPLACE INTO friends(user_id, data) VALUES (?, ?)",
                (change.friend.user_id, _enc.encode(change.friend)),
            )
        delta.people.add(FRIENDS)
    elif isinstance(change, FriendRequestChange):
        r = change.request
        if change.removed:
            conn.execute(
                "DELETE FROM friend_requests WHERE sender = ? AND receiver = ?",
                (r.sender, r.receiver),
            )
        else:
            conn.execute(
                "INSERT OR REPLACE INTO friend_requests(sender, receiver, data) VALUES (?, ?, ?)",
                (r.sender, r.receiver, _enc.encode(r)),
            )
        delta.people.add(REQUESTS)
    elif isinstance(change, FriendGroupChange):
        if change.removed:
            conn.execute("DELETE FROM friend_groups WHERE name = ?", (change.name,))
        else:
            conn.execute("INSERT OR IGNORE INTO friend_groups(name) VALUES (?)", (change.name,))
        delta.people.add(GROUPS)
    elif isinstance(change, BlockChange):
        if change.blocked:
            conn.execute(
                "INSERT OR IGNORE INTO blocked_users(user_id) VALUES (?)", (change.user_id,)
            )
        else:
            conn.execute("DELETE FROM blocked_users WHERE user_id = ?", (change.user_id,))
        delta.people.add(BLOCKS)


def apply_contacts(conn: sqlite3.Connection, delta: StoreDelta, snap: Contacts, now: int) -> None:
    """Replace the people side with a snapshot (a new device, or after clearing the cache)."""
    for table in ("friends", "friend_requests", "friend_groups", "blocked_users"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany(
        "INSERT INTO friends(user_id, data) VALUES (?, ?)",
        [(f.user_id, _enc.encode(f)) for f in snap.friends],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO friend_requests(sender, receiver, data) VALUES (?, ?, ?)",
        [(r.sender, r.receiver, _enc.encode(r)) for r in snap.requests],
    )
    conn.executemany("INSERT INTO friend_groups(name) VALUES (?)", [(g.name,) for g in snap.groups])
    conn.executemany("INSERT INTO blocked_users(user_id) VALUES (?)", [(u,) for u in snap.blocked])
    quiet = StoreDelta()  # a snapshot's profiles are a first load, not changes to announce
    for profile in [snap.me, *snap.profiles]:
        put_profile(conn, quiet, profile, now)
    delta.people.update((FRIENDS, REQUESTS, GROUPS, BLOCKS))


def friends(conn: sqlite3.Connection) -> list[Friend]:
    return [_friend(r[0]) for r in conn.execute("SELECT data FROM friends")]


def requests(conn: sqlite3.Connection) -> list[FriendRequest]:
    rows = conn.execute("SELECT data FROM friend_requests")
    return sorted((_request(r[0]) for r in rows), key=lambda r: -r.time)


def group_names(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM friend_groups ORDER BY name")]


def blocked(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT user_id FROM blocked_users ORDER BY user_id")]


def full_profiles(conn: sqlite3.Connection, user_ids: Sequence[str]) -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    ids = list(dict.fromkeys(user_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for user_id, nickname, data in conn.execute(
            f"SELECT user_id, nickname, profile FROM users WHERE user_id IN ({marks})", chunk
        ):
            found[user_id] = _profile(data) if data else Profile(user_id=user_id, nickname=nickname)
    return found


def remarks(conn: sqlite3.Connection) -> dict[str, str]:
    return {f.user_id: f.remark for f in friends(conn) if f.remark}


def is_people_change(change: AnyChange) -> bool:
    return isinstance(change, PEOPLE_CHANGES)


def ids_of(changes: Iterable[AnyChange]) -> list[str]:
    """The users whose profiles a device may want after these changes (new friends, requests)."""
    wanted: list[str] = []
    for change in changes:
        if isinstance(change, FriendChange) and not change.removed:
            wanted.append(change.friend.user_id)
        elif isinstance(change, FriendRequestChange) and not change.removed:
            wanted += [change.request.sender, change.request.receiver]
    return wanted
