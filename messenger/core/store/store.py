"""The per-account local store: SQLite (WAL) on one dedicated thread, behind async methods.

Every call runs on the store's single-thread executor, so the one connection is only ever used
from that thread and writes never block the event loop. Writes run in one transaction each and
return a ``StoreDelta`` describing what they changed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import msgspec

from messenger.core.models import Accepted, Conversation, LocalMessage
from messenger.core.store import people, schema
from messenger.core.store.delta import StoreDelta
from messenger.core.store.rows import (
    CONVERSATION_SELECT,
    MESSAGE_COLUMNS,
    TOTAL_UNREAD,
    VISIBLE,
    conversation_from_row,
    message_from_row,
)
from messenger.core.store.search_index import conversation_phrase, time_key
from messenger.core.store.writer import OUTBOX_HELD, Batch, kv_get, kv_set, load_conversations
from messenger.protocol.bounds import MAX_INT
from messenger.protocol.errors import ClientClosed, InvalidParameter
from messenger.protocol.frames import (
    AnyChange,
    GroupChange,
    MessageChange,
    PeerReadChange,
    PinsChange,
    StateChange,
)
from messenger.protocol.fulltext import RANKED_MATCHES, SearchKind, search_expression
from messenger.protocol.models import (
    ConversationList,
    ConversationState,
    ErrorBody,
    GroupInfo,
    Limits,
    Message,
    Profile,
    ReplyRef,
    SendRequest,
)
from messenger.protocol.social import Contacts, Friend, FriendRequest

T = TypeVar("T")
log = logging.getLogger(__name__)

_IN_CHUNK = 500  # ids per ``IN (...)`` query, well under SQLite's parameter limit
_SYNC_VERSION = "sync_version"
_LIMITS = "limits"
_SESSION_TOKEN = "session_token"
_M_COLUMNS = ", ".join("m." + name.strip() for name in MESSAGE_COLUMNS.split(","))
_decode_request = msgspec.json.Decoder(SendRequest).decode
_decode_limits = msgspec.json.Decoder(Limits).decode
_encode = msgspec.json.Encoder().encode
_decode_profile = msgspec.json.Decoder(Profile).decode
_decode_group = msgspec.json.Decoder(GroupInfo).decode


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    client_msg_id: str
    conversation_id: str
    request: SendRequest


@dataclass(frozen=True, slots=True)
class CachedProfile:
    profile: Profile
    fetched_at: int  # when the server last answered for it (ms)


@dataclass(frozen=True, slots=True)
class SearchGroup:
    """One conversation's part of a search: how many messages were found and the newest few."""

    conversation_id: str
    count: int
    messages: tuple[LocalMessage, ...]  # newest first

    @property
    def newest(self) -> LocalMessage:
        return self.messages[0]


@dataclass(frozen=True, slots=True)
class RecalledDraft:
    """What "Re-edit" puts back in the composer."""

    conversation_id: str
    text: str
    mentions: tuple[str, ...]
    mention_all: bool
    reply_to: ReplyRef | None


@dataclass(frozen=True, slots=True)
class PendingDraft:
    conversation_id: str
    text: str
    edit_time: int


class Store:
    def __init__(self, path: Path, user_id: str) -> None:
        self.path = path
        self.user_id = user_id
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._total: int | None = None  # last total unread reported

    # -- lifecycle -------------------------------------------------------------------------------
    async def open(self) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"store-{self.user_id}")
        await self._run(self._open)

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = schema.connect(str(self.path))
        self._total = int(self._conn.execute(TOTAL_UNREAD).fetchone()[0])

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        conn, self._conn = self._conn, None
        if conn is not None:
            await asyncio.get_running_loop().run_in_executor(executor, conn.close)
        executor.shutdown(wait=True)

    async def _run(self, fn: Callable[[], T]) -> T:
        if self._executor is None:
            raise ClientClosed("the store is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ClientClosed("the store is closed")
        return self._conn

    def _write(self, apply: Callable[[Batch], T]) -> tuple[T, StoreDelta]:
        """Run ``apply`` in one transaction; report what it changed."""
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            batch = Batch(conn, self.user_id)
            result = apply(batch)
            batch.finish(self._total)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if batch.delta.total_unread is not None:
            self._total = batch.delta.total_unread
        return result, batch.delta

    async def _write_delta(self, apply: Callable[[Batch], object]) -> StoreDelta:
        return (await self._run(lambda: self._write(apply)))[1]

    # -- key/value -------------------------------------------------------------------------------
    async def sync_version(self) -> int | None:
        def read() -> int | None:
            value = kv_get(self._db(), _SYNC_VERSION)
            return None if value is None else int(value)

        return await self._run(read)

    async def limits(self) -> Limits | None:
        value = await self._run(lambda: kv_get(self._db(), _LIMITS))
        return None if value is None else _decode_limits(value)

    async def session_token(self) -> str | None:
        value = await self._run(lambda: kv_get(self._db(), _SESSION_TOKEN))
        return None if value is None else value.decode()

    async def save_session(self, token: str | None, limits: Limits | None = None) -> None:
        def save() -> None:
            conn = self._db()
            if token is None:
                conn.execute("DELETE FROM kv WHERE key = ?", (_SESSION_TOKEN,))
            else:
                kv_set(conn, _SESSION_TOKEN, token.encode())
            if limits is not None:
                kv_set(conn, _LIMITS, msgspec.json.encode(limits))

        await self._run(save)

    # -- sync ------------------------------------------------------------------------------------
    async def apply_snapshot(self, snapshot: ConversationList) -> StoreDelta:
        """A new device's starting point; the sync version becomes the snapshot's."""

        def apply(batch: Batch) -> None:
            for summary in snapshot.conversations:
                state = summary.state
                batch.put_state(state)
                if summary.last_message is not None:
                    batch.put_message(summary.last_message)
                batch.put_summary_fields(
                    state.conversation_id,
                    summary.last_seq,
                    summary.group_name,
                    summary.member_count,
                )
                if summary.peer_read_seq:
                    batch.put_peer_read(state.conversation_id, summary.peer_read_seq)
            _advance_version(batch, snapshot.version)

        return await self._write_delta(apply)

    async def apply_changes(self, changes: Sequence[AnyChange]) -> StoreDelta:
        """Apply a page of the change feed and, in the same transaction, advance the version.

        A change the store cannot take (a number out of range, a malformed value) is skipped
        with a log line and the rest applied. The page is first applied whole, as one
        transaction; only if a change refuses is it rolled back and applied again change by
        change, each in a savepoint (a savepoint per change costs more than the changes)."""

        def whole() -> StoreDelta:
            try:
                return self._write(lambda batch: _apply_page(batch, changes, careful=False))[1]
            except _Refused:
                return self._write(lambda batch: _apply_page(batch, changes, careful=True))[1]

        return await self._run(whole)

    async def apply_contacts(self, snapshot: Contacts) -> StoreDelta:
        """A new device's people side (taken after the conversation snapshot: the feed from that
        snapshot's version replays what changed in between)."""
        return await self._write_delta(
            lambda batch: people.apply_contacts(batch.connection, batch.delta, snapshot, _now_ms())
        )

    async def put_full_profiles(self, profiles: Sequence[Profile]) -> StoreDelta:
        def apply(batch: Batch) -> None:
            for profile in profiles:
                people.put_profile(batch.connection, batch.delta, profile, _now_ms())

        return await self._write_delta(apply)

    async def friends(self) -> list[Friend]:
        return await self._run(lambda: people.friends(self._db()))

    async def friend_requests(self) -> list[FriendRequest]:
        return await self._run(lambda: people.requests(self._db()))

    async def friend_groups(self) -> list[str]:
        return await self._run(lambda: people.group_names(self._db()))

    async def groups(self) -> list[GroupInfo]:
        """The groups I am in, as last synced (offline too)."""

        def read() -> list[GroupInfo]:
            rows = self._db().execute("SELECT info FROM groups WHERE member = 1").fetchall()
            return [_decode_group(bytes(r[0])) for r in rows]

        return await self._run(read)

    async def blocked_users(self) -> list[str]:
        return await self._run(lambda: people.blocked(self._db()))

    async def full_profiles(self, user_ids: Sequence[str]) -> dict[str, Profile]:
        return await self._run(lambda: people.full_profiles(self._db(), user_ids))

    async def remarks(self) -> dict[str, str]:
        return await self._run(lambda: people.remarks(self._db()))

    async def set_sync_version(self, version: int) -> None:
        await self._write_delta(lambda batch: _advance_version(batch, version))

    # -- writes outside the feed (REST answers, local actions) -----------------------------------
    async def put_messages(self, messages: Sequence[Message]) -> StoreDelta:
        def apply(batch: Batch) -> None:
            for message in messages:
                batch.put_message(message)

        return await self._write_delta(apply)

    async def put_accepted(self, accepted: Accepted) -> StoreDelta:
        """The server's answer to my send: its copy of my message, then my state of the
        conversation if sending moved my read cursor (the state's own change may come later)."""

        def apply(batch: Batch) -> None:
            batch.put_message(accepted.message)
            if accepted.my_state is not None:
                batch.put_state(accepted.my_state)

        return await self._write_delta(apply)

    async def put_state(self, state: ConversationState) -> StoreDelta:
        return await self._write_delta(lambda batch: batch.put_state(state))

    async def add_outgoing(
        self, message: LocalMessage, request: SendRequest, held: bool = False
    ) -> StoreDelta:
        return await self._write_delta(lambda batch: batch.add_outgoing(message, request, held))

    async def release_outgoing(self, client_msg_id: str) -> bool:
        return (await self._run(lambda: self._write(lambda b: b.release_outgoing(client_msg_id))))[
            0
        ]

    async def fail_outgoing(self, client_msg_id: str, error: ErrorBody) -> StoreDelta:
        return await self._write_delta(lambda batch: batch.fail_outgoing(client_msg_id, error))

    async def requeue(
        self, client_msg_id: str, now: int, held: bool = False
    ) -> tuple[LocalMessage | None, StoreDelta]:
        return await self._run(lambda: self._write(lambda b: b.requeue(client_msg_id, now, held)))

    async def set_local_draft(self, conversation_id: str, text: str, edit_time: int) -> StoreDelta:
        return await self._write_delta(
            lambda batch: batch.set_local_draft(conversation_id, text, edit_time)
        )

    async def mark_draft_saved(self, conversation_id: str, edit_time: int) -> StoreDelta:
        return await self._write_delta(
            lambda batch: batch.mark_draft_saved(conversation_id, edit_time)
        )

    # -- reads -----------------------------------------------------------------------------------
    async def own_message(self, client_msg_id: str) -> LocalMessage | None:
        """My message by its ``client_msg_id``."""

        def read() -> LocalMessage | None:
            found = (
                self._db()
                .execute(
                    f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE client_msg_id = ? AND is_self = 1",
                    (client_msg_id,),
                )
                .fetchone()
            )
            return None if found is None else message_from_row(found)

        return await self._run(read)

    async def outbox(self) -> list[OutboxEntry]:
        """Messages waiting to be sent (not the failed ones), in creation order."""

        def read() -> list[OutboxEntry]:
            rows = self._db().execute(
                "SELECT client_msg_id, conversation_id, request FROM outbox "
                "WHERE failed = 0 ORDER BY id"
            )
            return [OutboxEntry(r[0], r[1], _decode_request(r[2])) for r in rows]

        return await self._run(read)

    async def held_outgoing(self) -> list[tuple[str, str]]:
        """My file messages held until their uploads complete: (conversation, client_msg_id),
        in the order they were written."""

        def read() -> list[tuple[str, str]]:
            rows = self._db().execute(
                "SELECT conversation_id, client_msg_id FROM outbox WHERE failed = ? ORDER BY id",
                (OUTBOX_HELD,),
            )
            return [(r[0], r[1]) for r in rows]

        return await self._run(read)

    async def outbox_conversations(self) -> list[str]:
        """Conversations with messages waiting to be sent."""

        def read() -> list[str]:
            rows = self._db().execute(
                "SELECT DISTINCT conversation_id FROM outbox WHERE failed = 0"
            )
            return [r[0] for r in rows]

        return await self._run(read)

    async def next_outgoing(self, conversation_id: str) -> OutboxEntry | None:
        """The oldest message of the conversation waiting to be sent."""

        def read() -> OutboxEntry | None:
            found = (
                self._db()
                .execute(
                    "SELECT client_msg_id, conversation_id, request FROM outbox "
                    "WHERE conversation_id = ? AND failed = 0 ORDER BY id LIMIT 1",
                    (conversation_id,),
                )
                .fetchone()
            )
            return (
                None
                if found is None
                else OutboxEntry(found[0], found[1], _decode_request(found[2]))
            )

        return await self._run(read)

    async def pending_drafts(self) -> list[PendingDraft]:
        def read() -> list[PendingDraft]:
            rows = self._db().execute(
                "SELECT conversation_id, draft_text, draft_time FROM conversations "
                "WHERE draft_dirty = 1"
            )
            return [PendingDraft(*r) for r in rows]

        return await self._run(read)

    async def conversations(self) -> list[Conversation]:
        """Visible conversations: pinned first (latest pinned first), then by last activity."""

        def read() -> list[Conversation]:
            rows = self._db().execute(
                f"{CONVERSATION_SELECT} WHERE {VISIBLE} "
                "ORDER BY c.pinned DESC, c.pin_time DESC, c.activity_time DESC, "
                "c.conversation_id"
            )
            return [conversation_from_row(r) for r in rows]

        return await self._run(read)

    async def conversation(self, conversation_id: str) -> Conversation | None:
        def read() -> Conversation | None:
            found = list(load_conversations(self._db(), [conversation_id]))
            return found[0] if found else None

        return await self._run(read)

    async def newest_seq(self, conversation_id: str) -> int:
        def read() -> int:
            found = (
                self._db()
                .execute(
                    "SELECT MAX(seq) FROM messages WHERE conversation_id = ?", (conversation_id,)
                )
                .fetchone()
            )
            return int(found[0] or 0)

        return await self._run(read)

    async def neighbour_of_kind(
        self, conversation_id: str, seq: int, kind: str, *, older: bool
    ) -> LocalMessage | None:
        """The nearest stored message of ``kind`` before (``older``) or after ``seq``, not
        recalled nor deleted for me."""
        sign, order = ("<", "DESC") if older else (">", "ASC")
        sql = (
            f"SELECT {_M_COLUMNS} FROM messages m WHERE m.conversation_id = ? AND m.seq {sign} ? "
            f"AND m.kind = ? AND m.recalled = 0 AND m.deleted = 0 ORDER BY m.seq {order} LIMIT 1"
        )

        def read() -> LocalMessage | None:
            row = self._db().execute(sql, (conversation_id, seq, kind)).fetchone()
            return None if row is None else message_from_row(row)

        return await self._run(read)

    async def total_unread(self) -> int:
        return await self._run(lambda: int(self._db().execute(TOTAL_UNREAD).fetchone()[0]))

    async def messages_between(
        self, conversation_id: str, low: int, high: int
    ) -> list[LocalMessage]:
        """Stored messages with ``low <= seq <= high``, ascending."""

        return await self._run(lambda: self._between(conversation_id, low, high))

    def _between(self, conversation_id: str, low: int, high: int) -> list[LocalMessage]:
        rows = self._db().execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages "
            "WHERE conversation_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (conversation_id, low, high),
        )
        return [message_from_row(r) for r in rows]

    async def conversation_with_messages(
        self, conversation_id: str, span: Callable[[Conversation], tuple[int, int]]
    ) -> tuple[Conversation | None, list[LocalMessage], list[LocalMessage]]:
        """In one read: the conversation, its stored messages with ``low <= seq <= high``
        (``span`` of the conversation; ascending) and my unsent ones (none when it is not
        stored)."""

        def read() -> tuple[Conversation | None, list[LocalMessage], list[LocalMessage]]:
            found = list(load_conversations(self._db(), [conversation_id]))
            if not found:
                return None, [], []
            low, high = span(found[0])
            return (
                found[0],
                self._between(conversation_id, low, high),
                self._unsent(conversation_id),
            )

        return await self._run(read)

    async def unsent_messages(self, conversation_id: str) -> list[LocalMessage]:
        """My messages still sending or failed, oldest first."""
        return await self._run(lambda: self._unsent(conversation_id))

    def _unsent(self, conversation_id: str) -> list[LocalMessage]:
        rows = self._db().execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages "
            "WHERE conversation_id = ? AND seq IS NULL ORDER BY time, id",
            (conversation_id,),
        )
        return [message_from_row(r) for r in rows]

    async def put_pins(self, conversation_id: str, pinned: Sequence[str]) -> StoreDelta:
        return await self._write_delta(lambda batch: batch.put_pins(conversation_id, list(pinned)))

    async def pins(self, conversation_id: str) -> list[str] | None:
        """The pinned message IDs of a conversation as last synced (None: never learnt)."""

        def read() -> list[str] | None:
            found = (
                self._db()
                .execute(
                    "SELECT pinned FROM conversation_pins WHERE conversation_id = ?",
                    (conversation_id,),
                )
                .fetchone()
            )
            return None if found is None else msgspec.json.decode(found[0], type=list[str])

        return await self._run(read)

    async def recalled_draft(self, message_id: str) -> RecalledDraft | None:
        """My recalled text as this device sent it (kept here only, for "Re-edit")."""

        def read() -> RecalledDraft | None:
            found = (
                self._db()
                .execute(
                    "SELECT conversation_id, text, mentions, mention_all, reply_to FROM "
                    "recalled_drafts WHERE message_id = ?",
                    (message_id,),
                )
                .fetchone()
            )
            if found is None:
                return None
            conversation_id, text, mentions, mention_all, reply_to = found
            return RecalledDraft(
                conversation_id=conversation_id,
                text=text,
                mentions=msgspec.json.decode(mentions, type=tuple[str, ...]) if mentions else (),
                mention_all=bool(mention_all),
                reply_to=msgspec.json.decode(reply_to, type=ReplyRef) if reply_to else None,
            )

        return await self._run(read)

    async def message(self, message_id: str) -> LocalMessage | None:
        return await self._one("message_id = ?", message_id)

    async def _one(self, where: str, key: str) -> LocalMessage | None:
        def read() -> LocalMessage | None:
            sql = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE {where}"
            found = self._db().execute(sql, (key,)).fetchone()
            return None if found is None else message_from_row(found)

        return await self._run(read)

    # -- other users' profiles -------------------------------------------------------------------
    async def profiles(self, user_ids: Sequence[str]) -> dict[str, CachedProfile]:
        """The stored profiles among ``user_ids`` (missing ones are left out)."""
        wanted = list(dict.fromkeys(user_ids))

        def read() -> dict[str, CachedProfile]:
            found: dict[str, CachedProfile] = {}
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db().execute(
                    "SELECT user_id, nickname, fetched_at, profile FROM users "
                    f"WHERE user_id IN ({marks})",
                    chunk,
                )
                for user_id, nickname, fetched_at, data in rows:
                    profile = (
                        _decode_profile(data)
                        if data
                        else Profile(user_id=user_id, nickname=nickname)
                    )
                    found[user_id] = CachedProfile(profile, fetched_at)
            return found

        return await self._run(read)

    async def put_profiles(self, profiles: Sequence[Profile], fetched_at: int) -> list[Profile]:
        """Store fresh profiles; returns those that are new or changed."""

        def write() -> list[Profile]:
            conn = self._db()
            changed: list[Profile] = []
            conn.execute("BEGIN IMMEDIATE")
            try:
                for profile in profiles:
                    data = _encode(profile)
                    old = conn.execute(
                        "SELECT nickname, profile FROM users WHERE user_id = ?", (profile.user_id,)
                    ).fetchone()
                    if old is None or old[0] != profile.nickname or old[1] != data:
                        changed.append(profile)
                    conn.execute(
                        "INSERT INTO users(user_id, nickname, fetched_at, profile) "
                        "VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(user_id) DO UPDATE SET nickname = excluded.nickname, "
                        "fetched_at = excluded.fetched_at, profile = excluded.profile",
                        (profile.user_id, profile.nickname, fetched_at, data),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return changed

        return await self._run(write)

    async def search(
        self,
        query: str,
        *,
        conversation_id: str | None = None,
        sender: str | None = None,
        kind: SearchKind = "",
        since: int | None = None,
        until: int | None = None,
        by_relevance: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> list[LocalMessage]:
        """Messages whose words have every term of ``query`` (each a prefix), filtered by
        conversation, sender, kind and time (``since`` ≤ time < ``until``, ms); newest first
        (read from the index in that order: a page costs its own rows), or best match first
        with ``by_relevance`` (BM25 among the newest ``RANKED_MATCHES`` matches: pages end
        there); ``offset`` pages on."""
        where = _search_where(query, kind, conversation_id, sender, since, until)
        if where is None:
            return []
        condition, params = where
        newest = (
            "FROM messages_fts f CROSS JOIN messages m ON m.id = f.msg "
            f"WHERE {condition} ORDER BY f.rowid DESC"
        )
        if by_relevance:
            sql = (
                f"SELECT {_M_COLUMNS} FROM (SELECT f.rowid AS key, f.msg, "
                f"bm25(messages_fts) AS score {newest} LIMIT {RANKED_MATCHES}) w "
                "CROSS JOIN messages m ON m.id = w.msg "
                "ORDER BY w.score, w.key DESC LIMIT ? OFFSET ?"
            )
        else:
            sql = f"SELECT {_M_COLUMNS} {newest} LIMIT ? OFFSET ?"
        params += [max(1, limit), max(0, offset)]

        def read() -> list[LocalMessage]:
            return [message_from_row(r) for r in self._db().execute(sql, params)]

        return await self._run(read)

    async def search_conversations(
        self,
        query: str,
        *,
        conversation_id: str | None = None,
        sender: str | None = None,
        kind: SearchKind = "",
        since: int | None = None,
        until: int | None = None,
        limit: int = 50,
        per_conversation: int = 3,
        scan: int = 1000,
    ) -> list[SearchGroup]:
        """The conversations among the newest ``scan`` messages found by ``query`` (same
        filters as ``search``): each with how many of those and its newest few, the most recent
        conversation first (``SearchGroup.count`` is a lower bound when ``scan`` were found)."""
        where = _search_where(query, kind, conversation_id, sender, since, until)
        if where is None:
            return []
        condition, params = where
        scan_sql = (
            "SELECT m.conversation_id, f.rowid FROM messages_fts f "
            f"CROSS JOIN messages m ON m.id = f.msg WHERE {condition} "
            "ORDER BY f.rowid DESC LIMIT ?"
        )

        def read() -> list[SearchGroup]:
            conn = self._db()
            counts: dict[str, int] = {}
            keys: dict[str, list[int]] = {}
            for conversation_id, key in conn.execute(scan_sql, [*params, scan]):
                counts[conversation_id] = counts.get(conversation_id, 0) + 1
                newest = keys.setdefault(conversation_id, [])
                if len(newest) < per_conversation:
                    newest.append(key)
            chosen = dict(list(keys.items())[:limit])  # (first seen: the most recent first)
            wanted = [k for group in chosen.values() for k in group]
            rows: dict[int, LocalMessage] = {}
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT f.rowid, {_M_COLUMNS} FROM messages_fts f CROSS JOIN messages m "
                    f"ON m.id = f.msg WHERE f.rowid IN ({marks})",
                    chunk,
                ):
                    rows[row[0]] = message_from_row(row[1:])
            return [
                SearchGroup(cid, counts[cid], tuple(rows[k] for k in group if k in rows))
                for cid, group in chosen.items()
            ]

        return await self._run(read)

    async def first_seq_since(self, conversation_id: str, time_ms: int) -> tuple[int, bool] | None:
        """The seq of the first cached message at or after ``time_ms`` in the conversation, and
        whether the cache proves it is the first (the message before it is cached too, or it is
        the first of the history); ``None`` when no cached message is that new."""

        def read() -> tuple[int, bool] | None:
            conn = self._db()
            row = conn.execute(
                "SELECT seq FROM messages WHERE conversation_id = ? AND time >= ? "
                "AND seq IS NOT NULL ORDER BY time, seq LIMIT 1",
                (conversation_id, time_ms),
            ).fetchone()
            if row is None:
                return None
            seq = int(row[0])
            floor = conn.execute(
                "SELECT max(cleared_seq, joined_seq) FROM conversations WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            before = conn.execute(
                "SELECT 1 FROM messages WHERE conversation_id = ? AND seq = ?",
                (conversation_id, seq - 1),
            ).fetchone()
            first = floor is not None and seq - 1 <= int(floor[0])
            return seq, before is not None or first

        return await self._run(read)


def _search_where(
    query: str,
    kind: SearchKind,
    conversation_id: str | None,
    sender: str | None,
    since: int | None,
    until: int | None,
) -> tuple[str, list[object]] | None:
    """The WHERE clause (over ``messages_fts f`` and ``messages m``) of a search, or ``None``
    when the query has nothing to search for."""
    expression = search_expression(query, kind)
    if expression is None:
        return None
    if conversation_id is not None:
        expression += " AND " + conversation_phrase(conversation_id)
    condition = "messages_fts MATCH ?"
    params: list[object] = [expression]
    if since is not None:
        condition += " AND f.rowid >= ?"
        params.append(time_key(since))
    if until is not None:
        condition += " AND f.rowid < ?"
        params.append(time_key(until))
    for column, value in (("conversation_id", conversation_id), ("sender", sender)):
        if value is not None:
            condition += f" AND m.{column} = ?"
            params.append(value)
    return condition, params


class _Refused(Exception):
    """A change of the page cannot be taken: apply the page again, change by change."""


# A JSON number of 16 digits or more (2**53 − 1 has 16: shorter ones fit). A string may match
# too ("at:" and digits): then the page is checked value by value, which is only slower.
_LONG_NUMBER = re.compile(rb"[:,\[]-?\d{16}")


def _apply_page(batch: Batch, changes: Sequence[AnyChange], *, careful: bool) -> None:
    """Each change of a page, then the version. Not ``careful``: raise ``_Refused`` at the first
    change that cannot be taken (the caller rolls back). ``careful``: skip it, keep the rest."""
    conn = batch.connection
    long_numbers = careful or _LONG_NUMBER.search(msgspec.json.encode(changes)) is not None
    versions: list[int] = []
    for change in changes:
        if not 0 <= change.v <= MAX_INT or (
            long_numbers and not _in_range(msgspec.to_builtins(change))
        ):
            if not careful:
                raise _Refused
            log.error("skipping change v%r: a number is out of range", change.v)
            continue
        versions.append(change.v)
        if not careful:
            try:
                _apply_change(batch, change)
            except InvalidParameter:
                raise _Refused from None
            continue
        conn.execute("SAVEPOINT change")
        try:
            _apply_change(batch, change)
        except InvalidParameter as exc:  # a server's nonsense must not stall the sync
            conn.execute("ROLLBACK TO change")  # nothing of it is kept
            # (a failure of our own, e.g. a full disk, ends the whole page: not skipped)
            log.error("skipping malformed change v%d: %r", change.v, exc)
        finally:
            conn.execute("RELEASE change")
    if versions:
        _advance_version(batch, max(versions))


def _apply_change(batch: Batch, change: AnyChange) -> None:
    """One change; raises ``InvalidParameter`` before writing anything if it is malformed."""
    if people.is_people_change(change):
        people.apply_change(batch.connection, batch.delta, change, _now_ms())
    elif isinstance(change, MessageChange):
        batch.put_message(change.message, change.v)
    elif isinstance(change, StateChange):
        batch.put_state(change.state)
    elif isinstance(change, PeerReadChange):
        batch.put_peer_read(change.conversation_id, change.read_seq)
    elif isinstance(change, GroupChange):
        batch.put_group(change.group, change.member)
    elif isinstance(change, PinsChange):
        batch.put_pins(change.conversation_id, list(change.pinned))


def _in_range(value: object) -> bool:
    """Whether every integer in a change fits the store (±(2**53 − 1), as the protocol says)."""
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, dict):
        return all(_in_range(v) for v in value.values())
    if isinstance(value, list):
        return all(_in_range(v) for v in value)
    return True


def _advance_version(batch: Batch, version: int) -> None:
    conn = batch.connection
    current = kv_get(conn, _SYNC_VERSION)
    if current is None or int(current) < version:
        kv_set(conn, _SYNC_VERSION, str(version).encode())
