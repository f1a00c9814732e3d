"""The queries are written once, in the SQL both engines accept, with SQLite's ``?``
placeholders. What still differs is translated here, once per distinct query (cached):
placeholders, ``INSERT OR IGNORE`` and ``instr``."""

from __future__ import annotations

import functools
import re

_INSTR = re.compile(r"\binstr\(", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def to_postgres(sql: str) -> str:
    out = sql.replace("%", "%%").replace("?", "%s")
    out = _INSTR.sub("strpos(", out)
    if _OR_IGNORE.match(out):
        out = _OR_IGNORE.sub("INSERT INTO", out, count=1)
        returning = _RETURNING.search(out)
        if returning is None:
            out = out.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
        else:
            at = returning.start()
            out = out[:at] + " ON CONFLICT DO NOTHING" + out[at:]
    return out
