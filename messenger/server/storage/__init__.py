"""Storage: one interface, a SQLite implementation (PostgreSQL comes later)."""
