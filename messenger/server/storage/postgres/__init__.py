"""PostgreSQL beside SQLite: the same queries (``storage/sqlite/``, written in the dialect both
accept, translated where they differ), another engine, its own migrations."""
