"""The cache's full-text index of messages (FTS5) and the SQL that searches it.

The index follows the messages table by itself: triggers index a message when it is stored,
index it again when its kind, body, time or recall changes (an edit, an ack, a recall) and drop
it when it is deleted, whichever code path does it. ``indexed_words`` / ``indexed_tags`` are
Python functions given to every connection (``schema.connect``).

The rowid is a time key, ``time << 20 | (id & 0xFFFFF)``, so FTS5 reads the matches newest first
and stops at the page's end (the common search costs the page, not every match), and a time
range is a rowid range. ``msg`` is ``messages.id``; ``conv`` holds the conversation ID's words,
so one chat's matches are found inside the index. Two messages of the same millisecond whose ids
differ by a multiple of 2**20 would share a key: the newer write keeps it (``OR REPLACE``) and
the other is not found, rather than failing a write.
"""

from __future__ import annotations

_KEY = "(max(0, min({t}.time, 4398046511103)) * 1048576 + ({t}.id & 1048575))"
NEW_KEY = _KEY.format(t="new")
OLD_KEY = _KEY.format(t="old")
_FIELDS = "indexed_words(new.kind, new.body), indexed_tags(new.kind, new.body)"
_INDEXED = "new.recalled = 0 AND indexed_words(new.kind, new.body) <> ''"

# ``prefix``: the index also lists every word under its first one and two characters, so the
# first keystrokes of a search ("m", "me") read those lists newest first and stop at the page;
# without them FTS5 gathers the matches of every word so begun before the first (a one-letter
# search over 1,000,000 messages took 60 ms of CPU, 3 ms with them). The index grows by about
# 1.5 times (87 → 214 MB for 1,000,000 messages).
_TABLE = "fts5(words, tags, conv, msg UNINDEXED, tokenize = 'unicode61', prefix = '1 2')"
_TRIGGERS = ("messages_fts_insert", "messages_fts_update", "messages_fts_delete")
_DROP_TRIGGERS = "".join(f"DROP TRIGGER IF EXISTS {name};\n" for name in _TRIGGERS)

SEARCH_INDEX = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING {_TABLE};
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages WHEN {_INDEXED} BEGIN
    INSERT OR REPLACE INTO messages_fts (rowid, words, tags, conv, msg)
    VALUES ({NEW_KEY}, {_FIELDS}, new.conversation_id, new.id);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_update
AFTER UPDATE OF kind, body, recalled, time ON messages
WHEN old.kind IS NOT new.kind OR old.body IS NOT new.body OR old.recalled IS NOT new.recalled
    OR old.time IS NOT new.time
BEGIN
    DELETE FROM messages_fts WHERE rowid = {OLD_KEY} AND msg = old.id;
    INSERT OR REPLACE INTO messages_fts (rowid, words, tags, conv, msg)
    SELECT {NEW_KEY}, {_FIELDS}, new.conversation_id, new.id WHERE {_INDEXED};
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = {OLD_KEY} AND msg = old.id;
END;
"""

REBUILD = f"""
{_DROP_TRIGGERS}
DROP TABLE IF EXISTS messages_fts;
{SEARCH_INDEX}
INSERT OR REPLACE INTO messages_fts (rowid, words, tags, conv, msg)
SELECT {_KEY.format(t="messages")}, indexed_words(kind, body), indexed_tags(kind, body),
    conversation_id, id
FROM messages WHERE recalled = 0 AND indexed_words(kind, body) <> '';
CREATE INDEX IF NOT EXISTS messages_by_time ON messages(conversation_id, time);
"""
"""Drop whatever index there was and index every stored message again (migrations)."""

ADD_PREFIXES = f"""
{_DROP_TRIGGERS}
CREATE VIRTUAL TABLE messages_fts_prefixed USING {_TABLE};
INSERT INTO messages_fts_prefixed (rowid, words, tags, conv, msg)
SELECT rowid, words, tags, conv, msg FROM messages_fts;
DROP TABLE messages_fts;
ALTER TABLE messages_fts_prefixed RENAME TO messages_fts;
{SEARCH_INDEX}
"""
"""The index of schema 6 copied into one with the prefix lists (the words as indexed, without
working them out again: 1,000,000 messages in about 20 s)."""


def time_key(time_ms: int) -> int:
    """The lowest rowid of a message at ``time_ms``."""
    return max(0, min(time_ms, 4398046511103)) << 20


def conversation_phrase(conversation_id: str) -> str:
    """A MATCH term for the ``conv`` column (its words in order; the SQL checks the exact ID)."""
    return 'conv : "' + conversation_id.replace('"', '""') + '"'
