"""Schema 3: the full-text index of messages (``sqlite/search.py`` searches it).

Triggers keep it: a message is indexed when stored, again when its kind, body or recall changes
(an edit, a recall), and dropped when deleted. Its rowid is ``conv_id << 32 | seq``. The words
and tags come from ``indexed_words`` / ``indexed_tags``, Python functions that every connection
is given (``database.connect``). The messages already stored are indexed once here.
"""

from __future__ import annotations

import sqlite3

from messenger.server.storage.sqlite.script import run_script
from messenger.server.storage.sqlite.search import register_functions

_KEY = "(new.conv_id * 4294967296 + new.seq)"
_FIELDS = "indexed_words(new.kind, new.body), indexed_tags(new.kind, new.body)"
_INDEXED = "new.seq < 4294967296 AND indexed_words(new.kind, new.body) <> ''"

SQL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS message_index USING fts5(words, tags, tokenize = 'unicode61');
CREATE TRIGGER IF NOT EXISTS message_index_insert AFTER INSERT ON messages
WHEN new.recalled = 0 AND {_INDEXED} BEGIN
    INSERT INTO message_index (rowid, words, tags) VALUES ({_KEY}, {_FIELDS});
END;
CREATE TRIGGER IF NOT EXISTS message_index_update AFTER UPDATE OF kind, body, recalled ON messages
WHEN old.kind IS NOT new.kind OR old.body IS NOT new.body OR old.recalled IS NOT new.recalled
BEGIN
    DELETE FROM message_index WHERE rowid = (old.conv_id * 4294967296 + old.seq);
    INSERT INTO message_index (rowid, words, tags) SELECT {_KEY}, {_FIELDS}
    WHERE new.recalled = 0 AND {_INDEXED};
END;
CREATE TRIGGER IF NOT EXISTS message_index_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_index WHERE rowid = (old.conv_id * 4294967296 + old.seq);
END;
DELETE FROM message_index;
INSERT INTO message_index (rowid, words, tags)
SELECT conv_id * 4294967296 + seq, indexed_words(kind, body), indexed_tags(kind, body)
FROM messages WHERE recalled = 0 AND seq < 4294967296 AND indexed_words(kind, body) <> '';
"""


def upgrade(conn: sqlite3.Connection) -> None:
    register_functions(conn)
    run_script(conn, SQL)
