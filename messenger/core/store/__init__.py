"""The per-account local store (SQLite + FTS5)."""

from messenger.core.store.delta import StoreDelta
from messenger.core.store.store import (
    CachedProfile,
    OutboxEntry,
    PendingDraft,
    RecalledDraft,
    SearchGroup,
    Store,
)

__all__ = [
    "CachedProfile",
    "OutboxEntry",
    "PendingDraft",
    "RecalledDraft",
    "SearchGroup",
    "Store",
    "StoreDelta",
]
