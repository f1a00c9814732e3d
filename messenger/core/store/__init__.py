"""The per-account local store (SQLite + FTS5)."""

from messenger.core.store.delta import StoreDelta
from messenger.core.store.store import OutboxEntry, PendingDraft, Store

__all__ = ["OutboxEntry", "PendingDraft", "Store", "StoreDelta"]
