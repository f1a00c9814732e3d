"""Schema 6 on PostgreSQL: the full-text index of messages (``postgres/search_index.py``).

``message_words`` holds each searchable message's words as a ``tsvector`` (GIN-indexed), written
by the server's writer in the batch that stores or changes the message; messages are found by
version to do so. The messages already stored are indexed here, a thousand at a time, before
the GIN index is built.
"""

from __future__ import annotations

from typing import Any

from messenger.server.storage.postgres.search_index import message_document

SQL = """
CREATE TABLE IF NOT EXISTS message_words (
    conv_id BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    words   TSVECTOR NOT NULL,
    PRIMARY KEY (conv_id, seq)
);
CREATE INDEX IF NOT EXISTS messages_by_version ON messages(version);
"""
# built once the stored messages are in (faster than entry by entry, and no pending list)
INDEX = "CREATE INDEX IF NOT EXISTS message_words_words ON message_words USING GIN (words)"

_CHUNK = 1000


def upgrade(conn: Any) -> None:
    conn.execute(SQL)
    after: tuple[int, int] = (-1, -1)
    while True:
        rows = conn.execute(
            "SELECT conv_id, seq, kind, body FROM messages WHERE recalled = 0 "
            "AND (conv_id, seq) > (%s, %s) ORDER BY conv_id, seq LIMIT %s",
            (*after, _CHUNK),
        ).fetchall()
        if not rows:
            conn.execute(INDEX)
            return
        found = [
            (conv_id, seq, words)
            for conv_id, seq, kind, body in rows
            if (words := message_document(kind, body))
        ]
        if found:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO message_words(conv_id, seq, words) VALUES (%s, %s, %s::tsvector) "
                    "ON CONFLICT (conv_id, seq) DO NOTHING",
                    found,
                )
        after = (rows[-1][0], rows[-1][1])
