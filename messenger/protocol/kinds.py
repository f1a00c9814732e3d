"""The one registry of message kinds: per kind its body type, how it is shown (a bubble or an
event row), whether users may send it, whether it counts as unread, whether it can be recalled,
whether it refers to an uploaded file, and the placeholder that stands for it in one line.

Server, core and view-models ask this module; none of them lists kinds of its own. A kind not in
the registry (sent by a newer peer) is kept as received and shown as "[Unsupported message]".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from messenger.protocol import bodies as B
from messenger.protocol.errors import InvalidParameter

UNSUPPORTED_LABEL = "[Unsupported message]"


@dataclass(frozen=True, slots=True)
class KindSpec:
    kind: str
    body: type[B.Body]
    label: str  # English placeholder for one line ("[Image]"); "" when the body's words are shown
    sendable: bool = True  # clients may send it (tips and notices are made by the server)
    event_row: bool = False  # shown as a centred event line, not a bubble
    counts_unread: bool = True  # raises the unread count and may notify
    recallable: bool = True
    media: bool = False  # the body's ``media_id`` is an uploaded file


_SPECS = (
    KindSpec("text", B.TextBody, ""),
    KindSpec("custom", B.CustomBody, "[Custom message]"),
    KindSpec(
        "tip",
        B.TipBody,
        "",
        sendable=False,
        event_row=True,
        counts_unread=False,
        recallable=False,
    ),
    KindSpec("notice", B.NoticeBody, "", sendable=False, event_row=True, recallable=False),
    KindSpec("image", B.ImageBody, "[Image]", media=True),
    KindSpec("file", B.FileBody, "[File]", media=True),
    KindSpec("voice", B.VoiceBody, "[Voice]", media=True),
    KindSpec("video", B.VideoBody, "[Video]", media=True),
    KindSpec("face", B.FaceBody, "[Sticker]"),
    KindSpec("location", B.LocationBody, "[Location]"),
    KindSpec("merged", B.MergedBody, "[Chat history]"),
)

KINDS: dict[str, KindSpec] = {s.kind: s for s in _SPECS}
SENDABLE_KINDS = frozenset(k for k, s in KINDS.items() if s.sendable)
MEDIA_KINDS = frozenset(k for k, s in KINDS.items() if s.media)
UNCOUNTED_KINDS = frozenset(k for k, s in KINDS.items() if not s.counts_unread)


def spec_of(kind: str) -> KindSpec | None:
    return KINDS.get(kind)


def counts_unread(kind: str) -> bool:
    """Unknown kinds count: a newer peer's message is still a message someone wrote."""
    spec = KINDS.get(kind)
    return spec is None or spec.counts_unread


def is_event(kind: str) -> bool:
    spec = KINDS.get(kind)
    return spec is not None and spec.event_row


def is_recallable(kind: str) -> bool:
    spec = KINDS.get(kind)
    return spec is None or spec.recallable


def uncounted_sql(column: str = "kind") -> str:
    """An SQL condition (no parameters) true for the kinds that count as unread."""
    names = ", ".join(f"'{k}'" for k in sorted(UNCOUNTED_KINDS))
    return f"{column} NOT IN ({names})"


def decode_body(kind: str, body: Mapping[str, Any]) -> B.Body | None:
    """The typed body of a message, or None for an unknown kind or a body that does not fit."""
    spec = KINDS.get(kind)
    if spec is None:
        return None
    try:
        return msgspec.convert(body, spec.body)
    except msgspec.ValidationError:
        return None


def parse_body(kind: str, body: Mapping[str, Any]) -> B.Body:
    """Like ``decode_body`` for a message being sent: a typed error instead of None."""
    spec = KINDS.get(kind)
    if spec is None or not spec.sendable:
        raise InvalidParameter(f"message kind {kind!r} cannot be sent", field="kind")
    try:
        return msgspec.convert(body, spec.body)
    except msgspec.ValidationError as exc:
        raise InvalidParameter(f"invalid {kind} body: {exc}", field="body") from None


def body_fields(body: B.Body) -> tuple[str, dict[str, Any]]:
    """The wire form of a body: its kind and its fields without the tag."""
    fields = msgspec.to_builtins(body)
    assert isinstance(fields, dict)
    kind = str(fields.pop("kind"))
    return kind, fields


def search_text(kind: str, body: Mapping[str, Any]) -> str:
    typed = decode_body(kind, body)
    return typed.search_text() if typed is not None else ""
