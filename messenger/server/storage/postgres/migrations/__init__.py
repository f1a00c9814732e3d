"""The PostgreSQL schema's steps, oldest first, numbered like ``sqlite/migrations/`` (see
``storage/migrations.py``)."""

from __future__ import annotations

from typing import Any

from messenger.server.storage.migrations import Migration, collect
from messenger.server.storage.postgres.migrations import (
    v0001_baseline,
    v0002_group_model,
    v0003_search_index,
    v0004_message_operations,
    v0005_people_sync,
    v0006_postgres_search_index,
    v0007_media_index,
)

MIGRATIONS: tuple[Migration[Any], ...] = collect(
    v0001_baseline,
    v0002_group_model,
    v0003_search_index,
    v0004_message_operations,
    v0005_people_sync,
    v0006_postgres_search_index,
    v0007_media_index,
)
