"""Full-text search that finds Chinese (and Japanese and Korean) text.

SQLite's ``unicode61`` tokenizer splits on spaces and punctuation, so a run of Han characters
("你好世界") would be a single token that only the whole run matches. Before indexing, every CJK
character is set apart as a token of its own; a query is turned into phrases built the same way,
so "你好" becomes the phrase ``"你 好"`` and finds "你好世界" as well as "世界" does. Latin words
keep working as usual and match by prefix ("hel" finds "hello").
"""

from __future__ import annotations

import re

_CJK = re.compile(
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
    return " ".join(_CJK.split(text))  # the captured characters come back as their own items


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression finding every whitespace-separated term of ``query``.

    Each term becomes a quoted phrase (so no FTS syntax leaks through) matched by prefix. Returns
    ``None`` when the query has nothing searchable.
    """
    phrases = []
    for term in query.split():
        if not any(ch.isalnum() for ch in term):
            continue
        tokens = index_text(term).split()
        phrase = " ".join(tokens).replace('"', '""')
        phrases.append(f'"{phrase}"*')
    return " AND ".join(phrases) if phrases else None
