"""``Storage`` on PostgreSQL: the SQLite implementation's operations on the PostgreSQL engine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from messenger.protocol.models import SearchHit
from messenger.server.storage.base import OnCommit
from messenger.server.storage.postgres import messages, search
from messenger.server.storage.postgres.database import PostgresDatabase
from messenger.server.storage.postgres.schema import apply_schema
from messenger.server.storage.records import FeedPage, NewMessage, SearchFilter, StoredMessage
from messenger.server.storage.sqlite.media_index import SqliteMediaIndex
from messenger.server.storage.sqlite.people import SqlitePeopleStorage
from messenger.server.storage.sqlite.storage import SqliteStorage


class PostgresStorage(SqliteStorage):
    db: PostgresDatabase

    def __init__(
        self,
        dsn: str,
        *,
        readers: int = 4,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        self.db = PostgresDatabase(dsn, readers=readers, on_batch=on_batch)
        self._people = SqlitePeopleStorage(self.db)
        self._media = SqliteMediaIndex(self.db)

    async def open(self) -> None:
        self.db.open(apply_schema)

    @property
    def head(self) -> int:
        """The last version committed by this node, or by any node as of the newest feed page
        this node read (other nodes' writes move the counter too)."""
        return self.db.version

    def insert_message(
        self, new: NewMessage, on_commit: OnCommit[StoredMessage] = None
    ) -> asyncio.Future[StoredMessage]:
        job = partial(messages.insert_message, new=new)
        return self.db.write(job, on_commit, atomic=True)

    async def feed(self, user_id: str, since: int, limit: int) -> FeedPage:
        page = await super().feed(user_id, since, limit)
        self.db.observe(page.next_version)
        return page

    async def search_messages(
        self, user_id: str, search_filter: SearchFilter
    ) -> tuple[list[SearchHit], bool]:
        return await self._read(search.search, user_id, search_filter)
