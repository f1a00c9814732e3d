"""Users and device sessions."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from messenger.protocol.errors import AlreadyExists, TooManyDevices, UserNotFound
from messenger.server.storage.records import NewSession, SessionRecord, UserRecord
from messenger.server.storage.sqlite.database import WriteTxn

_SESSION_COLUMNS = (
    "token_hash, user_id, device_id, device_name, platform, created, expires_at, revoked_reason"
)


def _user(row: Any) -> UserRecord:
    return UserRecord(row[0], row[1], row[2], row[3], bool(row[4]))


def get_user(conn: sqlite3.Connection, user_id: str) -> UserRecord | None:
    row = conn.execute(
        "SELECT user_id, nickname, password_hash, created, banned FROM users WHERE user_id=?",
        (user_id,),
    ).fetchone()
    return _user(row) if row else None


def create_user(
    txn: WriteTxn, user_id: str, nickname: str, password_hash: str | None, *, exist_ok: bool
) -> tuple[UserRecord, bool]:
    """Create a user; returns it and whether it is new. ``exist_ok`` leaves an existing one as is."""
    existing = get_user(txn.conn, user_id)
    if existing is not None:
        if not exist_ok:
            raise AlreadyExists(f"user {user_id!r} already exists", user_id=user_id)
        return existing, False
    now = int(time.time() * 1000)
    txn.conn.execute(
        "INSERT INTO users(user_id, nickname, password_hash, created, version) VALUES (?,?,?,?,?)",
        (user_id, nickname or user_id, password_hash, now, txn.next_version()),
    )
    record = get_user(txn.conn, user_id)
    assert record is not None
    return record, True


def set_password(txn: WriteTxn, user_id: str, password_hash: str) -> None:
    cur = txn.conn.execute(
        "UPDATE users SET password_hash=? WHERE user_id=?", (password_hash, user_id)
    )
    if cur.rowcount == 0:
        raise UserNotFound(f"no user {user_id!r}")


def set_banned(txn: WriteTxn, user_id: str, banned: bool) -> list[SessionRecord]:
    """Ban or unban; a ban ends every session of the user (returned, to be kicked)."""
    cur = txn.conn.execute("UPDATE users SET banned=? WHERE user_id=?", (int(banned), user_id))
    if cur.rowcount == 0:
        raise UserNotFound(f"no user {user_id!r}")
    if not banned:
        return []
    ended = active_sessions(txn.conn, user_id)
    txn.conn.execute(
        "UPDATE sessions SET revoked_reason='banned' WHERE user_id=? AND revoked_reason IS NULL",
        (user_id,),
    )
    return ended


def _session(row: Any) -> SessionRecord:
    return SessionRecord(*row)


def active_sessions(conn: sqlite3.Connection, user_id: str) -> list[SessionRecord]:
    now = int(time.time() * 1000)
    rows = conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE user_id=? AND revoked_reason IS NULL "
        "AND expires_at>? ORDER BY created",
        (user_id, now),
    ).fetchall()
    return [_session(r) for r in rows]


def get_session(conn: sqlite3.Connection, token_hash: str) -> SessionRecord | None:
    row = conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE token_hash=?", (token_hash,)
    ).fetchone()
    return _session(row) if row else None


def open_session(
    txn: WriteTxn, session: SessionRecord, *, device_limit: int, policy: str
) -> NewSession:
    """Record a device's new session under the device policy.

    The same device signing in again replaces its old session. Beyond ``device_limit`` other
    devices, ``kick_oldest`` ends the oldest sessions and ``reject_new`` refuses this one.
    """
    conn = txn.conn
    current = active_sessions(conn, session.user_id)
    replaced = [s for s in current if s.device_id == session.device_id]
    others = [s for s in current if s.device_id != session.device_id]
    excess = len(others) + 1 - device_limit
    kicked: list[SessionRecord] = []
    if excess > 0:
        if policy == "reject_new":
            raise TooManyDevices(
                f"this account is signed in on {len(others)} devices; the limit is {device_limit}",
                limit=device_limit,
            )
        kicked = others[:excess]
    for s in replaced:
        conn.execute(
            "UPDATE sessions SET revoked_reason='replaced' WHERE token_hash=?", (s.token_hash,)
        )
    for s in kicked:
        conn.execute(
            "UPDATE sessions SET revoked_reason='other_device' WHERE token_hash=?", (s.token_hash,)
        )
    conn.execute(
        f"INSERT INTO sessions({_SESSION_COLUMNS}) VALUES (?,?,?,?,?,?,?,NULL)",
        (
            session.token_hash,
            session.user_id,
            session.device_id,
            session.device_name,
            session.platform,
            session.created,
            session.expires_at,
        ),
    )
    return NewSession(session, replaced, kicked)


def revoke_session(txn: WriteTxn, token_hash: str, reason: str) -> SessionRecord | None:
    conn = txn.conn
    found = get_session(conn, token_hash)
    if found is None or found.revoked_reason is not None:
        return None
    conn.execute("UPDATE sessions SET revoked_reason=? WHERE token_hash=?", (reason, token_hash))
    return found


def extend_session(txn: WriteTxn, token_hash: str, expires_at: int) -> None:
    txn.conn.execute(
        "UPDATE sessions SET expires_at=? WHERE token_hash=? AND revoked_reason IS NULL",
        (expires_at, token_hash),
    )
