"""Profiles: the nickname lives in ``users``, the rest in ``profiles``; ``users.version`` is the
profile's version. Also user search and last-seen times."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import msgspec

from messenger.protocol.errors import UserNotFound
from messenger.protocol.models import AllowType, Gender, Profile
from messenger.protocol.social import ProfileUpdate
from messenger.server.storage.sqlite.database import WriteTxn

PROFILE_SELECT = (
    "SELECT u.user_id, u.nickname, u.version, p.avatar, p.gender, p.birthday, p.location, "
    "p.signature, p.language, p.allow_type, p.hide_last_seen, p.custom "
    "FROM users u LEFT JOIN profiles p ON p.user_id = u.user_id"
)
_decode_custom = msgspec.json.Decoder(dict[str, str]).decode
_IN_CHUNK = 500


def profile_from_row(r: Any) -> Profile:
    if r[3] is None:  # no profile row yet: the defaults
        return Profile(user_id=r[0], nickname=r[1], version=r[2])
    return Profile(
        user_id=r[0],
        nickname=r[1],
        version=r[2],
        avatar=r[3],
        gender=Gender(r[4]),
        birthday=r[5],
        location=r[6],
        signature=r[7],
        language=r[8],
        allow_type=AllowType(r[9]),
        hide_last_seen=bool(r[10]),
        custom=_decode_custom(r[11]),
    )


def get_profile(conn: sqlite3.Connection, user_id: str) -> Profile | None:
    row = conn.execute(PROFILE_SELECT + " WHERE u.user_id=?", (user_id,)).fetchone()
    return profile_from_row(row) if row else None


def get_profiles(conn: sqlite3.Connection, user_ids: Sequence[str]) -> list[Profile]:
    ids = list(dict.fromkeys(user_ids))
    found: list[Profile] = []
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(PROFILE_SELECT + f" WHERE u.user_id IN ({marks})", chunk).fetchall()
        found.extend(profile_from_row(r) for r in rows)
    return found


def update_profile(txn: WriteTxn, user_id: str, update: ProfileUpdate) -> Profile:
    """Apply the given fields (custom keys merge; an empty value removes a key)."""
    current = get_profile(txn.conn, user_id)
    if current is None:
        raise UserNotFound(f"no user {user_id!r}", user_id=user_id)
    custom = dict(current.custom)
    for key, value in (update.custom or {}).items():
        if value:
            custom[key] = value
        else:
            custom.pop(key, None)

    def pick(new: Any, old: Any) -> Any:
        return old if new is None else new

    version = txn.next_version()
    txn.conn.execute(
        "UPDATE users SET nickname=?, version=? WHERE user_id=?",
        (pick(update.nickname, current.nickname), version, user_id),
    )
    txn.conn.execute(
        "INSERT INTO profiles(user_id, avatar, gender, birthday, location, signature, language, "
        "allow_type, hide_last_seen, custom) VALUES (?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(user_id) DO UPDATE SET avatar=excluded.avatar, gender=excluded.gender, "
        "birthday=excluded.birthday, location=excluded.location, signature=excluded.signature, "
        "language=excluded.language, allow_type=excluded.allow_type, "
        "hide_last_seen=excluded.hide_last_seen, custom=excluded.custom",
        (
            user_id,
            pick(update.avatar, current.avatar),
            str(pick(update.gender, current.gender)),
            pick(update.birthday, current.birthday),
            pick(update.location, current.location),
            pick(update.signature, current.signature),
            pick(update.language, current.language),
            str(pick(update.allow_type, current.allow_type)),
            int(pick(update.hide_last_seen, current.hide_last_seen)),
            msgspec.json.encode(custom).decode(),
        ),
    )
    profile = get_profile(txn.conn, user_id)
    assert profile is not None
    return profile


def watchers(conn: sqlite3.Connection, user_id: str) -> list[str]:
    """Who sees ``user_id``'s profile and presence change: whoever has them in their friend
    list (the user's own devices are added by the caller)."""
    rows = conn.execute(
        "SELECT owner FROM friends WHERE friend=? AND deleted=0", (user_id,)
    ).fetchall()
    return [r[0] for r in rows if r[0] != user_id]


def watchers_of(conn: sqlite3.Connection, user_ids: Sequence[str]) -> dict[str, list[str]]:
    """``watchers`` of many users at once (a batch of presence changes)."""
    found: dict[str, list[str]] = {}
    ids = list(dict.fromkeys(user_ids))
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        for friend, owner in conn.execute(
            f"SELECT friend, owner FROM friends WHERE friend IN ({marks}) AND deleted=0", chunk
        ):
            if owner != friend:
                found.setdefault(friend, []).append(owner)
    return found


def set_last_seen_many(txn: WriteTxn, when: dict[str, int]) -> None:
    txn.conn.executemany(
        "INSERT INTO profiles(user_id, last_seen) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET last_seen=excluded.last_seen",
        list(when.items()),
    )


def group_peers(conn: sqlite3.Connection, user_id: str) -> list[str]:
    """Members of the groups ``user_id`` is in (pushed a profile change live; the feed has it
    for those offline, ``friends.feed_sources``)."""
    rows = conn.execute(
        "SELECT DISTINCT peer.user_id FROM participants me "
        "JOIN participants peer ON peer.conv_id = me.conv_id "
        "WHERE me.user_id=? AND me.kind='group' AND peer.user_id!=?",
        (user_id, user_id),
    ).fetchall()
    return [r[0] for r in rows]


def search_users(
    conn: sqlite3.Connection, query: str, offset: int, limit: int
) -> tuple[list[Profile], bool]:
    """Exact ID first (whatever their policy), then nicknames that start with the query, then
    those that contain it (case-insensitive), skipping users who chose "nobody"."""
    needle = query.casefold()
    rows = conn.execute(
        PROFILE_SELECT + " WHERE u.user_id=? OR ("
        "instr(lower(u.nickname), ?) > 0 AND coalesce(p.allow_type, 'approval') != 'nobody') "
        "ORDER BY u.user_id!=?, instr(lower(u.nickname), ?)!=1, u.nickname, u.user_id "
        "LIMIT ? OFFSET ?",
        (query, needle, query, needle, limit + 1, offset),
    ).fetchall()
    found = [profile_from_row(r) for r in rows]
    return found[:limit], len(found) > limit


def set_status_text(txn: WriteTxn, user_id: str, text: str) -> None:
    txn.conn.execute(
        "INSERT INTO profiles(user_id, status_text) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET status_text=excluded.status_text",
        (user_id, text),
    )


def status_texts(conn: sqlite3.Connection, user_ids: Sequence[str]) -> dict[str, str]:
    """``user_id → status text`` of those who set one."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        for user_id, text in conn.execute(
            f"SELECT user_id, status_text FROM profiles "
            f"WHERE user_id IN ({marks}) AND status_text != ''",
            chunk,
        ):
            found[user_id] = str(text)
    return found


def last_seen(conn: sqlite3.Connection, user_ids: Sequence[str]) -> dict[str, tuple[int, bool]]:
    """``user_id → (last_seen, hide_last_seen)`` of those with a profile row."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[str, tuple[int, bool]] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        for user_id, seen, hide in conn.execute(
            f"SELECT user_id, last_seen, hide_last_seen FROM profiles WHERE user_id IN ({marks})",
            chunk,
        ):
            found[user_id] = (int(seen), bool(hide))
    return found
