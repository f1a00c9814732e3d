"""The SQLite storage implementation."""
