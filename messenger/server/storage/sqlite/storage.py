"""``Storage`` on SQLite: each operation is a function of a connection, run by the writer (writes,
batched) or a reader thread (reads, one snapshot each)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from messenger.protocol.errors import ConversationNotFound
from messenger.protocol.kinds import uncounted_sql
from messenger.protocol.models import (
    ConversationList,
    ConversationSummary,
    GroupApplication,
    GroupInfo,
    MemberPage,
    Message,
    SearchHit,
    StateUpdate,
)
from messenger.server.storage import records as r
from messenger.server.storage.base import OnCommit, Storage
from messenger.server.storage.op_records import (
    EditOp,
    HideOutcome,
    OpOutcome,
    PinsOutcome,
    ReactOp,
)
from messenger.server.storage.records import c2c_key
from messenger.server.storage.sqlite import (
    accounts,
    conversations,
    feed,
    group_ops,
    groups,
    messages,
    notices,
    search,
)
from messenger.server.storage.sqlite import operations as ops
from messenger.server.storage.sqlite.database import SqliteDatabase, WriteTxn
from messenger.server.storage.sqlite.media_index import SqliteMediaIndex
from messenger.server.storage.sqlite.people import SqlitePeopleStorage
from messenger.server.storage.sqlite.schema import apply_schema
from messenger.server.storage.sqlite.states import head_version

T = TypeVar("T")


class SqliteStorage(Storage):
    def __init__(
        self,
        path: Path,
        *,
        synchronous: str = "FULL",
        readers: int = 2,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        self.db = SqliteDatabase(path, synchronous=synchronous, readers=readers, on_batch=on_batch)
        self._people = SqlitePeopleStorage(self.db)
        self._media = SqliteMediaIndex(self.db)

    @property
    def people(self) -> SqlitePeopleStorage:
        return self._people

    @property
    def media(self) -> SqliteMediaIndex:
        return self._media

    async def open(self) -> None:
        self.db.open(apply_schema)

    async def close(self) -> None:
        await self.db.close()

    @property
    def head(self) -> int:
        return self.db.version

    async def _write(self, fn: Callable[[WriteTxn], T], on_commit: OnCommit[T] = None) -> T:
        return await self.db.write(fn, on_commit)

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        return await self.db.read(lambda conn: fn(conn, *args))

    # -- accounts ----------------------------------------------------------------------------------
    async def get_user(self, user_id: str) -> r.UserRecord | None:
        return await self._read(accounts.get_user, user_id)

    async def create_user(
        self, user_id: str, nickname: str, password_hash: str | None, *, exist_ok: bool = False
    ) -> tuple[r.UserRecord, bool]:
        return await self._write(
            partial(
                accounts.create_user,
                user_id=user_id,
                nickname=nickname,
                password_hash=password_hash,
                exist_ok=exist_ok,
            )
        )

    async def set_password(self, user_id: str, password_hash: str) -> None:
        await self._write(
            partial(accounts.set_password, user_id=user_id, password_hash=password_hash)
        )

    async def set_banned(
        self, user_id: str, banned: bool, on_commit: OnCommit[list[r.SessionRecord]] = None
    ) -> list[r.SessionRecord]:
        return await self._write(
            partial(accounts.set_banned, user_id=user_id, banned=banned), on_commit
        )

    async def open_session(
        self,
        session: r.SessionRecord,
        *,
        device_limit: int,
        policy: str,
        on_commit: OnCommit[r.NewSession] = None,
    ) -> r.NewSession:
        return await self._write(
            partial(
                accounts.open_session, session=session, device_limit=device_limit, policy=policy
            ),
            on_commit,
        )

    async def get_session(self, token_hash: str) -> r.SessionRecord | None:
        return await self._read(accounts.get_session, token_hash)

    async def revoke_session(
        self, token_hash: str, reason: str, on_commit: OnCommit[r.SessionRecord | None] = None
    ) -> r.SessionRecord | None:
        return await self._write(
            partial(accounts.revoke_session, token_hash=token_hash, reason=reason), on_commit
        )

    async def extend_session(self, token_hash: str, expires_at: int) -> None:
        await self._write(
            partial(accounts.extend_session, token_hash=token_hash, expires_at=expires_at)
        )

    # -- messages ----------------------------------------------------------------------------------
    def insert_message(
        self, new: r.NewMessage, on_commit: OnCommit[r.StoredMessage] = None
    ) -> asyncio.Future[r.StoredMessage]:
        return self.db.write(partial(messages.insert_message, new=new), on_commit)

    async def recall_message(
        self, request: r.RecallRequest, on_commit: OnCommit[r.RecallOutcome] = None
    ) -> r.RecallOutcome:
        return await self._write(partial(messages.recall_message, request=request), on_commit)

    async def history(
        self,
        *,
        conv_id: int,
        kind: str,
        key: str,
        user_id: str,
        before_seq: int | None,
        after_seq: int | None,
        limit: int,
        only_kind: str = "",
    ) -> tuple[list[Message], bool]:
        def run(conn: Any) -> tuple[list[Message], bool]:
            row = conn.execute(
                "SELECT cleared_seq, joined_seq FROM participants WHERE conv_id=? AND user_id=?",
                (conv_id, user_id),
            ).fetchone()
            if row is None:
                raise ConversationNotFound("you are not in this conversation")
            page, more = messages.history(
                conn,
                conv_id=conv_id,
                kind=kind,
                key=key,
                floor_seq=max(row),
                before_seq=before_seq,
                after_seq=after_seq,
                limit=limit,
                only_kind=only_kind,
            )
            return ops.mark_hidden(conn, user_id, conv_id, page), more

        return await self.db.read(run)

    async def search_messages(
        self, user_id: str, search_filter: r.SearchFilter
    ) -> tuple[list[SearchHit], bool]:
        return await self._read(search.search, user_id, search_filter)

    async def first_seq_since(self, conv_id: int, user_id: str, time_ms: int) -> int | None:
        return await self._read(messages.first_seq_since, conv_id, user_id, time_ms)

    async def message_by_id(self, conv_id: int, message_id: str, kind: str, key: str) -> Message:
        return await self._read(messages.load_message, conv_id, message_id, kind, key)

    # -- conversations -----------------------------------------------------------------------------
    async def find_c2c(self, a: str, b: str) -> int | None:
        def run(conn: Any) -> int | None:
            row = conn.execute(
                "SELECT id FROM conversations WHERE key=? AND kind='c2c'", (c2c_key(a, b),)
            ).fetchone()
            return int(row[0]) if row else None

        return await self.db.read(run)

    async def find_system(self, user_id: str) -> int | None:
        return await self._read(notices.find_system, user_id)

    async def ensure_system(self, user_id: str) -> int:
        return await self._write(partial(notices.get_or_create_system, user_id=user_id))

    async def ensure_c2c(self, key: str) -> int:
        return await self._write(partial(messages.get_or_create_c2c, key=key))

    async def members(self, conv_id: int) -> r.ConversationMembers:
        return await self._read(groups.members_of, conv_id)

    async def mark_read(
        self,
        conv_id: int,
        key: str,
        user_id: str,
        seq: int | None,
        on_commit: OnCommit[r.ReadOutcome] = None,
    ) -> r.ReadOutcome:
        return await self._write(
            partial(conversations.mark_read, conv_id=conv_id, key=key, user_id=user_id, seq=seq),
            on_commit,
        )

    async def update_state(
        self,
        conv_id: int,
        user_id: str,
        update: StateUpdate,
        on_commit: OnCommit[r.StateOutcome] = None,
    ) -> r.StateOutcome:
        return await self._write(
            partial(conversations.update_state, conv_id=conv_id, user_id=user_id, update=update),
            on_commit,
        )

    async def hide(
        self, conv_id: int, user_id: str, on_commit: OnCommit[r.StateOutcome] = None
    ) -> r.StateOutcome:
        return await self._write(
            partial(conversations.hide, conv_id=conv_id, user_id=user_id), on_commit
        )

    async def clear(
        self, conv_id: int, user_id: str, on_commit: OnCommit[r.StateOutcome] = None
    ) -> r.StateOutcome:
        return await self._write(
            partial(conversations.clear, conv_id=conv_id, user_id=user_id), on_commit
        )

    async def set_draft(
        self,
        conv_id: int,
        user_id: str,
        text: str,
        edit_time: int,
        on_commit: OnCommit[tuple[r.StateOutcome, bool]] = None,
    ) -> tuple[r.StateOutcome, bool]:
        return await self._write(
            partial(
                conversations.set_draft,
                conv_id=conv_id,
                user_id=user_id,
                text=text,
                edit_time=edit_time,
            ),
            on_commit,
        )

    async def conversation_list(self, user_id: str) -> ConversationList:
        return await self.db.read(
            lambda conn: conversations.conversation_list(conn, user_id, head_version(conn))
        )

    async def conversation_summary(self, conv_id: int, user_id: str) -> ConversationSummary:
        return await self._read(conversations.conversation_summary, conv_id, user_id)

    async def feed(self, user_id: str, since: int, limit: int) -> r.FeedPage:
        return await self._read(feed.feed_page, user_id, since, limit)

    async def read_cursors(self, conv_id: int) -> dict[str, tuple[int, int]]:
        def run(conn: Any) -> dict[str, tuple[int, int]]:
            return {
                u: (rs, js)
                for u, rs, js in conn.execute(
                    "SELECT user_id, read_seq, joined_seq FROM participants WHERE conv_id=?",
                    (conv_id,),
                )
            }

        return await self.db.read(run)

    async def senders_between(self, conv_id: int, after_seq: int, upto_seq: int) -> dict[int, str]:
        def run(conn: Any) -> dict[int, str]:
            return {
                seq: sender
                for seq, sender in conn.execute(
                    "SELECT seq, sender FROM messages WHERE conv_id=? AND seq>? AND seq<=? "
                    f"AND {uncounted_sql()} AND recalled=0 ORDER BY seq DESC LIMIT 500",
                    (conv_id, after_seq, upto_seq),
                )
            }

        return await self.db.read(run)

    # -- groups ------------------------------------------------------------------------------------
    async def group_by_id(self, group_id: str) -> tuple[int, GroupInfo]:
        return await self._read(groups.group_by_id, group_id)

    async def groups_of(self, user_id: str) -> list[GroupInfo]:
        return await self._read(groups.groups_of, user_id)

    async def create_group(
        self, group: r.NewGroup, on_commit: OnCommit[r.GroupOutcome] = None
    ) -> r.GroupOutcome:
        return await self._write(partial(groups.create_group, group=group), on_commit)

    async def add_members(
        self, request: r.NewMembers, on_commit: OnCommit[r.GroupOutcome] = None
    ) -> r.GroupOutcome:
        return await self._write(partial(groups.add_members, request=request), on_commit)

    async def list_members(self, conv_id: int, offset: int, limit: int) -> MemberPage:
        return await self._read(groups.list_members, conv_id, offset, limit)

    async def group_op(self, op: r.GroupOp, on_commit: OnCommit[r.GroupEdit] = None) -> r.GroupEdit:
        return await self._write(partial(group_ops.run_group_op, op=op), on_commit)

    async def topics(self, group_id: str) -> list[GroupInfo]:
        def run(conn: Any) -> list[GroupInfo]:
            return [groups.group_row(conn, c) for c, _ in groups.topics_of(conn, group_id)]

        return await self._read(run)

    async def live_rooms_of(self, user_id: str) -> list[str]:
        return await self._read(group_ops.live_room_of, user_id)

    async def pending_applications(self, conv_id: int, group_id: str) -> list[GroupApplication]:
        rows = await self._read(group_ops.applications_of, conv_id, group_id)
        return [
            GroupApplication(
                application_id=i,
                group_id=group_id,
                applicant=a,
                note=n,
                time=t,
                status=s,
                handled_by=h,
            )
            for i, a, n, t, s, h in rows
        ]

    # -- message operations ------------------------------------------------------------------------
    async def edit_message(self, op: EditOp, on_commit: OnCommit[OpOutcome] = None) -> OpOutcome:
        return await self._write(partial(ops.edit_message, op=op), on_commit)

    async def react(self, op: ReactOp, on_commit: OnCommit[OpOutcome] = None) -> OpOutcome:
        return await self._write(partial(ops.react, op=op), on_commit)

    async def hide_messages(
        self,
        conv_id: int,
        kind: str,
        key: str,
        user_id: str,
        message_ids: list[str],
        on_commit: OnCommit[HideOutcome] = None,
    ) -> HideOutcome:
        return await self._write(
            partial(
                ops.hide_messages,
                conv_id=conv_id,
                kind=kind,
                key=key,
                user_id=user_id,
                message_ids=message_ids,
            ),
            on_commit,
        )

    async def put_bundle(self, bundle_id: str, owner: str, content: bytes) -> None:
        await self._write(
            partial(ops.put_bundle, bundle_id=bundle_id, owner=owner, content=content)
        )

    async def get_bundle(self, bundle_id: str) -> tuple[str, bytes] | None:
        return await self._read(ops.get_bundle, bundle_id)

    async def c2c_pins(self, conv_id: int) -> list[str]:
        return await self._read(ops.c2c_pins, conv_id)

    async def set_c2c_pin(
        self,
        conv_id: int,
        kind: str,
        key: str,
        message_id: str,
        pin: bool,
        limit: int,
        on_commit: OnCommit[PinsOutcome] = None,
    ) -> PinsOutcome:
        return await self._write(
            partial(
                ops.set_c2c_pin,
                conv_id=conv_id,
                kind=kind,
                key=key,
                message_id=message_id,
                pin=pin,
                limit=limit,
            ),
            on_commit,
        )
