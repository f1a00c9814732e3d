"""The storage tests run on every backend: ``storage`` is an open ``Storage`` on a fresh
database of each (SQLite in a temporary file, PostgreSQL in a fresh schema of the run's
throw-away cluster); ``open_storage`` opens more of the same backend, on the same database or
a new one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from messenger.server.storage.base import Storage
from messenger.server.storage.postgres.storage import PostgresStorage
from messenger.server.storage.sqlite.storage import SqliteStorage

BACKENDS = ("sqlite", "postgresql")

OpenStorage = Callable[[str | None], Awaitable[tuple[Storage, str]]]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def open_storage(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[OpenStorage]:
    """``await open_storage(None)``: a storage on a new database, and that database's address;
    ``await open_storage(address)``: another storage on the same one."""
    opened: list[Storage] = []

    async def open_one(where: str | None) -> tuple[Storage, str]:
        storage: Storage
        if backend == "sqlite":
            where = where or str(tmp_path / f"db{len(opened)}.sqlite3")
            storage = SqliteStorage(Path(where), synchronous="NORMAL")
        else:
            where = where or request.getfixturevalue("postgres").fresh_schema()
            storage = PostgresStorage(where)
        await storage.open()
        opened.append(storage)
        return storage, where

    yield open_one
    for storage in opened:
        await storage.close()


@pytest.fixture
async def storage(open_storage: OpenStorage) -> Storage:
    opened, _ = await open_storage(None)
    return opened
