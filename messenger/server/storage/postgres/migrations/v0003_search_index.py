"""Schema 3 on PostgreSQL: nothing to add. SQLite's step 3 builds an FTS5 index of messages;
on PostgreSQL the search reads the messages themselves (``postgres/search.py``)."""

from __future__ import annotations

from typing import Any


def upgrade(conn: Any) -> None:
    pass
