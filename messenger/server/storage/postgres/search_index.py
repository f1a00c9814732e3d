"""The full-text index of messages on PostgreSQL: a ``tsvector`` per message in
``message_words`` (schema 6), behind a GIN index.

The words are the ones SQLite's FTS5 index gets (``protocol.fulltext.index_fields``), cut into
tokens as its ``unicode61`` tokenizer does (``tokens``: case and diacritics folded, each
CJK character a token of its own). They are worked out here, in Python, and handed to
PostgreSQL as ready lexemes: its own parsers depend on the database's locale (in the ``C``
locale they drop every Chinese character). A query becomes a ``tsquery`` of the same tokens,
each term a phrase whose last word matches by prefix, so the index finds exactly the candidates
that ``search.matched_words`` then confirms.

The writer indexes every message its batch stored or changed (``index_batch``, in the batch's
transaction, before its commit): a new or edited message gets its words, a recalled one loses
them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import msgspec

from messenger.protocol.fulltext import index_fields

_decode = msgspec.json.Decoder().decode
MAX_POSITION = 16_383  # PostgreSQL's largest word position (later words share it)
MAX_LEXEME = 255  # characters of a token that are indexed (PostgreSQL's limit is 2,047 bytes)
MAX_LEXEMES = 10_000  # distinct tokens per message (a tsvector holds at most 1 MB)


_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Words as FTS5's ``unicode61`` tokenizer sees them: letters and digits, case and
    diacritics folded."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN.findall(plain)


def quoted(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def document(tokens: Sequence[str], tags: str = "") -> str:
    """A ``tsvector`` literal of ``tokens`` with their positions, and of the kind ``tags`` as
    ``#tag`` (never a word: words have no ``#``); "" for no tokens."""
    if not tokens:
        return ""
    positions: dict[str, list[int]] = {f"#{tag}": [MAX_POSITION] for tag in tags.split()}
    for at, token in enumerate(tokens, start=1):
        token = token[:MAX_LEXEME]
        found = positions.get(token)
        if found is None:
            if len(positions) >= MAX_LEXEMES:
                continue
            positions[token] = found = []
        if len(found) < 256:  # (PostgreSQL keeps at most 256 positions per lexeme)
            found.append(min(at, MAX_POSITION))
    return " ".join(
        f"{quoted(token)}:{','.join(map(str, sorted(set(at))))}" for token, at in positions.items()
    )


def query(phrases: Sequence[Sequence[str]], tags: Sequence[str] = ()) -> str:
    """A ``tsquery`` literal: every phrase, each a run of tokens whose last one is a prefix,
    and one of ``tags`` if any."""
    parts = []
    for phrase in phrases:
        words = [quoted(token[:MAX_LEXEME]) for token in phrase]
        words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    if tags:
        parts.append("(" + " | ".join(quoted(f"#{tag}") for tag in sorted(tags)) + ")")
    return " & ".join(parts)


def message_document(kind: str, body: str) -> str:
    """The ``tsvector`` literal of a message as stored (its body in JSON)."""
    try:
        decoded = _decode(body)
    except msgspec.DecodeError:
        return ""
    if not isinstance(decoded, dict):
        return ""
    words, tags = index_fields(kind, decoded)
    return document(tokens(words), tags) if words else ""


def index_batch(conn: Any, after_version: int) -> None:
    """Index the messages this transaction stored or changed (those above ``after_version``:
    the version counter's row is locked, so no other writer's are)."""
    rows = conn.execute(
        "SELECT conv_id, seq, kind, body, recalled, edit_time FROM messages WHERE version > ?",
        (after_version,),
    ).fetchall()
    if not rows:
        return
    upserts: list[tuple[int, int, str]] = []
    removed: list[tuple[int, int]] = []
    for conv_id, seq, kind, body, recalled, edited in rows:
        words = "" if recalled else message_document(kind, body)
        if words:
            upserts.append((conv_id, seq, words))
        elif recalled or edited:  # (it may have had words before)
            removed.append((conv_id, seq))
    if upserts:
        conn.executemany(
            "INSERT INTO message_words(conv_id, seq, words) VALUES (?, ?, ?::tsvector) "
            "ON CONFLICT (conv_id, seq) DO UPDATE SET words = excluded.words",
            upserts,
        )
    if removed:
        conn.executemany("DELETE FROM message_words WHERE conv_id=? AND seq=?", removed)
