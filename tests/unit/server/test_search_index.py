"""The server's search index: filled once for a database written before it, then kept by
triggers (an edited body is found by its new words only)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from messenger.protocol.fulltext import search_expression
from messenger.server.storage.sqlite.database import connect
from messenger.server.storage.sqlite.schema import SCHEMA_VERSION, apply_schema


def _insert(conn: sqlite3.Connection, seq: int, text: str) -> None:
    conn.execute(
        "INSERT INTO messages(conv_id, seq, message_id, sender, client_msg_id, time, kind, body, "
        "version) VALUES (7, ?, ?, 'bob', ?, 1000, 'text', ?, 1)",
        (seq, f"m{seq}", f"c{seq}", f'{{"text": "{text}"}}'),
    )


def _found(conn: sqlite3.Connection, query: str) -> list[int]:
    rows = conn.execute(
        "SELECT rowid & 4294967295 FROM message_index WHERE message_index MATCH ? ORDER BY rowid",
        (search_expression(query),),
    )
    return [r[0] for r in rows]


def test_an_older_database_is_indexed_when_opened(tmp_path: Path) -> None:
    conn = connect(tmp_path / "server.sqlite3")
    apply_schema(conn)
    conn.executescript(
        "DROP TRIGGER message_index_insert; DROP TRIGGER message_index_update;"
        "DROP TRIGGER message_index_delete; DROP TABLE message_index;"
        "UPDATE meta SET value = 2 WHERE key = 'schema';"
    )
    _insert(conn, 1, "旧消息 before the index")
    apply_schema(conn)
    assert conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == SCHEMA_VERSION
    _insert(conn, 2, "after the index")
    assert _found(conn, "消息") == [1]
    assert _found(conn, "index") == [1, 2]


def test_a_changed_body_is_found_by_its_new_words(tmp_path: Path) -> None:
    conn = connect(tmp_path / "server.sqlite3")
    apply_schema(conn)
    _insert(conn, 1, "meet at the station")
    conn.execute('UPDATE messages SET body = \'{"text": "meet at 车站"}\' WHERE seq = 1')
    assert _found(conn, "station") == []
    assert _found(conn, "车站 meet") == [1]
    conn.execute("UPDATE messages SET recalled = 1, body = '{}' WHERE seq = 1")
    assert _found(conn, "meet") == []
