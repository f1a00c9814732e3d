"""The documentation keeps up with the code: every endpoint and every feature ID is described."""

from __future__ import annotations

import re
from pathlib import Path

from messenger.protocol import api
from messenger.server.http.admin import ADMIN_ENDPOINTS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_protocol_doc_lists_every_rest_endpoint() -> None:
    text = (DOCS / "protocol.md").read_text("utf-8")
    missing = [
        f"{e.method} {e.path}"
        for e in (*api.ENDPOINTS, *api.STREAM_ENDPOINTS, *ADMIN_ENDPOINTS)
        if not re.search(rf"\| {e.method} \| `{re.escape(e.path)}` \|", text)
    ]
    assert missing == []


def test_feature_table_covers_every_spec_id() -> None:
    """Every feature ID of the specification has a row (ranges like F2–F6 count)."""
    text = (DOCS / "features.md").read_text("utf-8")
    rows = re.findall(r"^\| ([A-Z]\d+(?:[–,-] ?[A-Z]?\d+)*(?:, [A-Z]\d+)*) \|", text, re.M)
    covered: set[str] = set()
    for row in rows:
        for part in row.split(", "):
            bounds = re.split(r"[–-]", part)
            first = bounds[0]
            letter, start = first[0], int(first[1:])
            end = int(bounds[-1].lstrip(letter)) if len(bounds) > 1 else start
            covered.update(f"{letter}{n}" for n in range(start, end + 1))
    expected = {
        *(f"A{n}" for n in range(1, 5)),
        *(f"M{n}" for n in range(1, 14)),
        *(f"C{n}" for n in range(1, 6)),
        *(f"F{n}" for n in range(1, 8)),
        *(f"G{n}" for n in range(1, 8)),
        *(f"U{n}" for n in range(1, 10)),
        *(f"S{n}" for n in range(1, 6)),
        "V1",
        "V2",
        "P1",
    }
    assert sorted(expected - covered) == []
