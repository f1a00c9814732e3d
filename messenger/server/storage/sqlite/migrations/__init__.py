"""The SQLite schema's steps, oldest first (see ``storage/migrations.py``; to add one, write the
next ``vNNNN_what.py`` here and in ``postgres/migrations/``, and list it below)."""

from __future__ import annotations

import sqlite3

from messenger.server.storage.migrations import Migration, collect
from messenger.server.storage.sqlite.migrations import (
    v0001_baseline,
    v0002_group_model,
    v0003_search_index,
    v0004_message_operations,
    v0005_people_sync,
    v0006_postgres_search_index,
    v0007_media_index,
)

MIGRATIONS: tuple[Migration[sqlite3.Connection], ...] = collect(
    v0001_baseline,
    v0002_group_model,
    v0003_search_index,
    v0004_message_operations,
    v0005_people_sync,
    v0006_postgres_search_index,
    v0007_media_index,
)
