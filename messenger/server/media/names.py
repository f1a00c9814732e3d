"""File names as shown in a download's ``Content-Disposition``: whatever a client called its
file, the name given back is one plain name (no folders, control or direction characters)."""

from __future__ import annotations

import unicodedata

MAX_CHARS = 120
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


def safe_name(name: str, fallback: str) -> str:
    """A name fit to offer for saving: the last path part, printable, not hidden, not too long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        ch
        for ch in base
        if ch not in _BIDI and unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*'
    )
    kept = kept.strip().lstrip(".").strip()
    if not kept:
        return fallback
    if len(kept) > MAX_CHARS:
        stem, dot, ext = kept.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            kept = stem[: MAX_CHARS - len(ext) - 1] + "." + ext
        else:
            kept = kept[:MAX_CHARS]
    return kept
