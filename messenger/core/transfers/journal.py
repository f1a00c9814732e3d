"""Transfers kept on disk (a small SQLite file of the account), so that unfinished uploads are
taken up again after a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import msgspec

from messenger.core.transfers.models import Transfer

_encode = msgspec.json.encode
_decode = msgspec.json.Decoder(Transfer).decode


class TransferJournal:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        # Saved on the event loop: no fsync per change (WAL keeps it safe from a crash of the app;
        # a power cut may lose the last state change, and the server's offset is the truth anyway).
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS transfers (transfer_id TEXT PRIMARY KEY, value BLOB)"
        )

    def save(self, transfer: Transfer) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO transfers (transfer_id, value) VALUES (?, ?)",
            (transfer.transfer_id, _encode(transfer)),
        )

    def delete(self, transfer_id: str) -> None:
        self._conn.execute("DELETE FROM transfers WHERE transfer_id = ?", (transfer_id,))

    def load(self) -> list[Transfer]:
        rows = self._conn.execute("SELECT value FROM transfers ORDER BY rowid")
        return [_decode(r[0]) for r in rows]

    def close(self) -> None:
        self._conn.close()
