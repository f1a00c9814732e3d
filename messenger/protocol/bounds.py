"""Bounded field types for everything a client sends (request bodies, queries, path parameters,
WebSocket frames).

Each is a plain ``int`` or ``str`` with its limits attached (``msgspec.Meta``): the decoder at the
server's edge refuses a value out of range before any handler or the database sees it, and the
OpenAPI document states the same limits (``minimum``, ``maximum``, ``maxLength``, ``maxItems``).
``tests/meta/test_bounds.py`` fails when a request field is left unbounded.

Integers stay within ±(2**53 − 1): every JSON parser reads them exactly, and SQLite's 64-bit
integers hold them. Strings have hard caps here; the finer limits a server may configure
(``Limits``: message bytes, group name bytes…) are checked by its services.
"""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta

MAX_INT = 2**53 - 1

# -- integers ------------------------------------------------------------------------------------------
Int = Annotated[int, Meta(ge=-MAX_INT, le=MAX_INT)]
"""Any integer a client may send (a request ``id``, a ``since`` that may be behind zero)."""

Count = Annotated[int, Meta(ge=0, le=MAX_INT)]
"""A sequence number, version, offset or time in milliseconds."""

PageLimit = Annotated[int, Meta(ge=1, le=1000)]
"""How many items a page may hold (services may allow fewer)."""

# -- strings -------------------------------------------------------------------------------------------
Id = Annotated[str, Meta(max_length=32)]
"""A user or group ID (the exact syntax is checked by ``ids``)."""

ConversationId = Annotated[str, Meta(max_length=64)]
MessageId = Annotated[str, Meta(max_length=64)]
ClientMsgId = Annotated[str, Meta(max_length=64)]
DeviceId = Annotated[str, Meta(max_length=64)]
MediaId = Annotated[str, Meta(max_length=128)]
"""An upload or a stored file (the exact syntax is checked by the media service)."""
Token = Annotated[str, Meta(max_length=256)]
"""A session token."""

UserSig = Annotated[str, Meta(max_length=8192)]
Password = Annotated[str, Meta(max_length=1024)]
Label = Annotated[str, Meta(max_length=128)]
"""A short human label: nickname, device name, platform, group name."""

Text = Annotated[str, Meta(max_length=65_536)]
"""Free text (drafts, group introductions); the request size cap is lower still."""

SearchText = Annotated[str, Meta(min_length=1, max_length=200)]
"""What a message search looks for (its first ``fulltext.MAX_TERMS`` words count)."""
SearchOffset = Annotated[int, Meta(ge=0, le=1000)]
"""How deep a search pages (one asks again, narrower, rather than read its thousandth result)."""
SearchLimit = Annotated[int, Meta(ge=1, le=100)]

SeqList = Annotated[str, Meta(max_length=4096)]
"""Comma-separated sequence numbers in a query string."""

IdCsv = Annotated[str, Meta(max_length=4096)]
"""Comma-separated user IDs in a query string."""

# -- containers ----------------------------------------------------------------------------------------
IdList = Annotated[list[Id], Meta(max_length=1000)]
MAX_PROFILES_PER_REQUEST = 100
ProfileIds = Annotated[list[Id], Meta(min_length=1, max_length=MAX_PROFILES_PER_REQUEST)]
"""The users of one profile request (``POST /v1/users/profiles``)."""
Payload = Annotated[dict[str, Any], Meta(max_length=64)]
CustomFields = Annotated[
    dict[Annotated[str, Meta(max_length=64)], Annotated[str, Meta(max_length=4096)]],
    Meta(max_length=64),
]
"""Custom profile, group or member fields (keys and values checked again by the services)."""
LabelList = Annotated[list[Label], Meta(max_length=1000)]
"""A message body object: its keys are bounded here, its nesting by the decoder."""
