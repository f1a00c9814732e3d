"""Full-text search that finds Chinese (and Japanese and Korean) text.

SQLite's ``unicode61`` tokenizer splits on spaces and punctuation, so a run of Han characters
("你好世界") would be a single token that only the whole run matches. Before indexing, every CJK
character is set apart as a token of its own; a query is turned into phrases built the same way,
so "你好" becomes the phrase ``"你 好"`` and finds "你好世界" as well as "世界" does. Latin words
keep working as usual and match by prefix ("hel" finds "hello").

Both the client's cache and the server index two columns per message: ``words`` (what the kind
says search finds it by: a text's text, a file's name …) and ``tags`` (the kind, and ``link`` when
the words hold a link), so the kind filters of a search are part of the one MATCH expression.
(SQLite's ``trigram`` tokenizer was measured as the alternative: its index cannot serve a
two-character Chinese word, the commonest kind — in SQLite 3.40 such a LIKE found nothing.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from messenger.protocol.kinds import search_text
from messenger.protocol.links import find_links

MAX_TERMS = 16  # words of a query that count (the rest is ignored)
RANKED_MATCHES = 1000
"""A search by relevance ranks the newest this many matches (BM25): a common word's every
match would cost a pass over all of them; the rest are reached newest first."""
SearchKind = Literal["", "text", "file", "link"]
"""A search's kind filter: everything, text messages, file names (files, images, videos), links."""

_decode_json = msgspec.json.Decoder().decode
_KIND_TAGS: dict[str, str] = {"text": "text", "file": "file OR image OR video", "link": "link"}


@functools.cache
def _cjk() -> re.Pattern[str]:
    """CJK characters (compiled when first needed: not at the app's launch, ~4 ms)."""
    return re.compile(
        "(["
        "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
        "\u3040-\u30ff"  # Hiragana, Katakana
        "\u3100-\u312f"  # Bopomofo
        "\u3130-\u318f"  # Hangul compatibility Jamo
        "\u31f0-\u31ff"  # Katakana phonetic extensions
        "\u3400-\u4dbf"  # CJK extension A
        "\u4e00-\u9fff"  # CJK unified ideographs
        "\uac00-\ud7af"  # Hangul syllables
        "\uf900-\ufaff"  # CJK compatibility ideographs
        "\U00020000-\U0003ffff"  # CJK extensions B and later
        "])"
    )


def index_text(text: str) -> str:
    """The text as stored in the index: each CJK character stands alone."""
    if text.isascii():
        return text
    return " ".join(_cjk().split(text))  # the captured characters come back as their own items


def index_fields(kind: str, body: Mapping[str, Any]) -> tuple[str, str]:
    """The ``words`` and ``tags`` a message is indexed under (``words`` is "" for nothing)."""
    words = search_text(kind, body)
    if not words:
        return "", ""
    tags = f"{kind} link" if find_links(words) else kind
    return index_text(words), tags


def search_expression(query: str, kind: SearchKind = "") -> str | None:
    """The MATCH expression of a search over the ``words`` and ``tags`` columns, or ``None`` when
    ``query`` has nothing searchable."""
    words = match_query(query)
    if words is None:
        return None
    expression = f"words : ({words})"
    if kind:
        expression += f" AND tags : ({_KIND_TAGS[kind]})"
    return expression


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression finding every whitespace-separated term of ``query``.

    Each term becomes a quoted phrase (so no FTS syntax leaks through) matched by prefix, unless
    it ends in a CJK character: that token is always a character of its own, so the prefix would
    find nothing more, and FTS5 reads a prefix's matches all at once before the first (an exact
    token is read newest first and only up to the page). Returns ``None`` when the query has
    nothing searchable.
    """
    phrases = []
    for term in query.split()[:MAX_TERMS]:
        if not any(ch.isalnum() for ch in term):
            continue
        tokens = index_text(term).split()
        phrase = " ".join(tokens).replace('"', '""')
        prefix = "" if _cjk().fullmatch(tokens[-1]) else "*"
        phrases.append(f'"{phrase}"{prefix}')
    return " AND ".join(phrases) if phrases else None


def indexed_words(kind: str, body: str | bytes) -> str:
    """``index_fields``' words from a body as stored (JSON): the SQL function ``indexed_words``
    that the index triggers of the client's cache and of the server call."""
    return index_fields(kind, _as_mapping(body))[0]


def indexed_tags(kind: str, body: str | bytes) -> str:
    """``index_fields``' tags from a body as stored (JSON): the SQL function ``indexed_tags``."""
    return index_fields(kind, _as_mapping(body))[1]


def _as_mapping(body: str | bytes) -> Mapping[str, Any]:
    try:
        decoded = _decode_json(body)
    except msgspec.DecodeError:
        return {}
    return decoded if isinstance(decoded, dict) else {}
