"""The queries are written once, with SQLite's ``?`` placeholders, in SQL that both engines
mostly accept. What still differs is translated here, once per distinct query (cached):
placeholders, ``INSERT OR IGNORE``, ``instr`` and the scalar ``max(a, b)`` / ``min(a, b)``
(PostgreSQL's ``GREATEST`` / ``LEAST``; with one argument they stay aggregates). A ``?`` is
always a placeholder (the queries hold none in string literals), and a ``%`` is doubled for
psycopg."""

from __future__ import annotations

import functools
import re

_INSTR = re.compile(r"\binstr\(", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)
_MAX_MIN = re.compile(r"\b(max|min)\(", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def to_postgres(sql: str) -> str:
    out = sql.replace("%", "%%").replace("?", "%s")
    out = _INSTR.sub("strpos(", out)
    out = _scalar_max_min(out)
    if _OR_IGNORE.match(out):
        out = _OR_IGNORE.sub("INSERT INTO", out, count=1)
        returning = _RETURNING.search(out)
        if returning is None:
            out = out.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
        else:
            at = returning.start()
            out = out[:at] + " ON CONFLICT DO NOTHING" + out[at:]
    return out


def _scalar_max_min(sql: str) -> str:
    """``max(a, b)`` → ``GREATEST(a, b)`` (a comma at the call's own depth: two arguments)."""
    parts: list[str] = []
    at = 0
    for found in _MAX_MIN.finditer(sql):
        if found.start() < at:
            continue
        depth, index, comma = 1, found.end(), False
        while index < len(sql) and depth:
            ch = sql[index]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 1:
                comma = True
            index += 1
        if comma:
            name = "GREATEST(" if found.group(1).lower() == "max" else "LEAST("
            parts.append(sql[at : found.start()] + name)
            at = found.end()
    parts.append(sql[at:])
    return "".join(parts)
