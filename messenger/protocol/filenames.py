"""File names that came from someone else (a sender's name for their file), made fit to offer or
to save under: one plain name, never a path.

The server uses it for ``Content-Disposition``; the client again before it writes a file, since
it trusts no server either."""

from __future__ import annotations

import unicodedata

MAX_CHARS = 120
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
_FORBIDDEN = set('<>:"|?*')
# Names Windows keeps for devices, with or without an extension ("con.txt" is the console too).
_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


def safe_name(name: str, fallback: str) -> str:
    """The last path part, printable (no control, format or direction characters), not hidden,
    no trailing dots or spaces, not a device name, at most ``MAX_CHARS`` characters (keeping a
    short extension); ``fallback`` when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        ch
        for ch in base
        if ch not in _BIDI and unicodedata.category(ch)[0] != "C" and ch not in _FORBIDDEN
    )
    kept = kept.strip().lstrip(".").rstrip(". ").strip()
    if not kept:
        return fallback
    if kept.split(".", 1)[0].strip().upper() in _DEVICES:
        kept = "_" + kept
    if len(kept) > MAX_CHARS:
        stem, dot, ext = kept.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            kept = stem[: MAX_CHARS - len(ext) - 1] + "." + ext
        else:
            kept = kept[:MAX_CHARS]
    return kept
