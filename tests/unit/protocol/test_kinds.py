"""The message-kind registry and the typed bodies: what each kind allows and how it degrades."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.protocol import errors
from messenger.protocol.bodies import (
    FaceBody,
    FileBody,
    ImageBody,
    LocationBody,
    TextBody,
    TipBody,
    VoiceBody,
)
from messenger.protocol.ids import ConversationType
from messenger.protocol.kinds import (
    KINDS,
    MEDIA_KINDS,
    SENDABLE_KINDS,
    body_fields,
    counts_unread,
    decode_body,
    is_event,
    is_recallable,
    search_text,
)
from messenger.protocol.models import Limits, MessageKind, SendRequest
from messenger.protocol.validation import validate_send

MEDIA_ID = "ab" * 32
LIMITS = Limits(image_bytes=1000, file_bytes=2000, video_bytes=2000, voice_bytes=500)


def send(kind: str, body: dict[str, Any]) -> SendRequest:
    return SendRequest(client_msg_id="c1", kind=kind, body=body)


def test_every_message_kind_is_registered_with_its_own_body_type() -> None:
    assert set(KINDS) == {k.value for k in MessageKind}
    for kind, spec in KINDS.items():
        assert spec.body.__struct_config__.tag == kind


def test_the_registry_decides_rows_unread_recall_and_sending() -> None:
    assert {
        "text",
        "custom",
        "image",
        "file",
        "voice",
        "video",
        "face",
        "location",
        "merged",
    } == SENDABLE_KINDS
    assert {"image", "file", "voice", "video"} == MEDIA_KINDS
    assert is_event("tip") and is_event("notice") and not is_event("image")
    assert not counts_unread("tip") and counts_unread("notice") and counts_unread("video")
    assert not is_recallable("tip") and is_recallable("file")
    # A newer peer's kind: a message someone wrote, shown as a bubble, counted, recallable.
    assert counts_unread("hologram") and not is_event("hologram") and is_recallable("hologram")


def test_wire_form_round_trips_without_the_tag() -> None:
    body = FileBody(media_id=MEDIA_ID, name="report.pdf", size=12)
    kind, fields = body_fields(body)
    assert kind == "file"
    assert "kind" not in fields
    assert decode_body(kind, fields) == body


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("hologram", {"x": 1}),  # unknown kind
        ("image", {"text": "not an image"}),  # body of another kind
        ("text", {"text": 5}),
    ],
)
def test_unknown_or_broken_bodies_decode_to_none(kind: str, body: dict[str, Any]) -> None:
    assert decode_body(kind, body) is None
    assert search_text(kind, body) == ""


def test_search_text_per_kind() -> None:
    assert search_text("text", {"text": "hello"}) == "hello"
    assert search_text("custom", {"data": "x", "description": "card"}) == "card"
    assert search_text("file", {"media_id": MEDIA_ID, "name": "a.pdf", "size": 1}) == "a.pdf"
    loc = {"description": "Shenzhen Bay", "latitude": 22.5, "longitude": 113.9}
    assert search_text("location", loc) == "Shenzhen Bay"
    assert search_text("tip", {"tip": "group_created"}) == ""


@pytest.mark.parametrize(
    "body",
    [
        TextBody(text="hi"),
        ImageBody(media_id=MEDIA_ID, size=1000, width=4000, height=3000),
        FileBody(media_id=MEDIA_ID, name="x" * 255, size=2000),
        VoiceBody(media_id=MEDIA_ID, size=10, duration_ms=3000, peaks=[0, 255] * 64),
        FaceBody(pack="messenger", name="wave"),
        LocationBody(description="", latitude=-90, longitude=180),
    ],
)
def test_acceptable_bodies(body: Any) -> None:
    kind, fields = body_fields(body)
    assert validate_send(send(kind, fields), LIMITS, ConversationType.C2C) == body


@pytest.mark.parametrize(
    ("body", "expected", "field"),
    [
        (ImageBody(media_id="../../x", size=1, width=1, height=1), "InvalidParameter", "media_id"),
        (ImageBody(media_id=MEDIA_ID.upper(), size=1, width=1, height=1), "InvalidParameter", ""),
        (ImageBody(media_id=MEDIA_ID, size=1001, width=1, height=1), "MessageTooLarge", ""),
        (ImageBody(media_id=MEDIA_ID, size=1, width=0, height=1), "InvalidParameter", "width"),
        (FileBody(media_id=MEDIA_ID, name="字" * 86, size=1), "InvalidParameter", "name"),
        (FileBody(media_id=MEDIA_ID, name="a", size=0), "InvalidParameter", "size"),
        (FileBody(media_id=MEDIA_ID, name="a", size=2001), "MessageTooLarge", ""),
        (VoiceBody(media_id=MEDIA_ID, size=1, duration_ms=1, peaks=[256]), "InvalidParameter", ""),
        (VoiceBody(media_id=MEDIA_ID, size=1, duration_ms=-1), "InvalidParameter", "duration"),
        (FaceBody(pack="", name="wave"), "InvalidParameter", "name"),
        (LocationBody(description="", latitude=91, longitude=0), "InvalidParameter", "latitude"),
        (
            LocationBody(description="", latitude=float("nan"), longitude=0),
            "InvalidParameter",
            "latitude",
        ),
    ],
)
def test_refused_bodies(body: Any, expected: str, field: str) -> None:
    kind, fields = body_fields(body)
    with pytest.raises(errors.MessengerError) as caught:
        validate_send(send(kind, fields), LIMITS, ConversationType.C2C)
    assert type(caught.value).__name__ == expected
    assert field in str(caught.value.details.get("field", ""))


def test_tips_are_not_sendable() -> None:
    kind, fields = body_fields(TipBody(tip="group_created"))
    with pytest.raises(errors.InvalidParameter):
        validate_send(send(kind, fields), LIMITS, ConversationType.GROUP)


def test_a_merged_forward_card_is_checked() -> None:
    good = {"title": "Chat history", "bundle_id": "ab" * 16, "preview": ["a: hi"], "count": 1}
    assert validate_send(send("merged", good), LIMITS, ConversationType.C2C).search_text() == (
        "Chat history"
    )
    for bad in (
        {**good, "title": " "},
        {**good, "title": "x" * 201},
        {**good, "bundle_id": "../etc"},
        {**good, "preview": ["a"] * 5},
        {**good, "preview": ["x" * 401]},
    ):
        with pytest.raises(errors.InvalidParameter):
            validate_send(send("merged", bad), LIMITS, ConversationType.C2C)
