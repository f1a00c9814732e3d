"""Checks of outgoing messages, shared by client and server."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.protocol import errors
from messenger.protocol.ids import ConversationType
from messenger.protocol.models import Limits, SendRequest
from messenger.protocol.validation import utf8_len, validate_send

LIMITS = Limits(text_bytes=12, custom_bytes=10, mentions=3)
C2C, GROUP = ConversationType.C2C, ConversationType.GROUP


def req(body: dict[str, Any] | None = None, **kw: Any) -> SendRequest:
    return SendRequest(
        client_msg_id=kw.pop("client_msg_id", "c1"), body=body or {"text": "hi"}, **kw
    )


def test_utf8_len_counts_bytes() -> None:
    assert utf8_len("abc") == 3
    assert utf8_len("字") == 3
    assert utf8_len("😀") == 4
    assert utf8_len("\ud800") == 3  # a lone surrogate is counted, not an error


@pytest.mark.parametrize(
    "request_",
    [
        req(),
        req({"text": "x" * 12}),
        req({"text": "字字字字"}),  # 12 bytes
        req({"data": "0123456789"}, kind="custom"),
        req({"data": "01234", "description": "567", "extension": "89"}, kind="custom"),
        req(client_msg_id="c" * 64),
        req(mentions=["a", "b"], mention_all=True),
        req(mentions=["a", "a", "a", "b"]),  # duplicates count once
    ],
)
def test_acceptable(request_: SendRequest) -> None:
    validate_send(request_, LIMITS, GROUP)


@pytest.mark.parametrize(
    ("request_", "kind", "expected", "field"),
    [
        (req(client_msg_id=""), C2C, errors.InvalidParameter, "client_msg_id"),
        (req(client_msg_id="c" * 65), C2C, errors.InvalidParameter, "client_msg_id"),
        (req(kind="tip"), C2C, errors.InvalidParameter, "kind"),
        (req(kind="notice"), C2C, errors.InvalidParameter, "kind"),
        (req(kind="hologram"), C2C, errors.InvalidParameter, "kind"),
        (req(kind="image"), C2C, errors.InvalidParameter, "body"),
        (req({"txt": "hi"}), C2C, errors.InvalidParameter, "body"),
        (req({"text": 5}), C2C, errors.InvalidParameter, "body"),
        (req({"text": ""}), C2C, errors.InvalidParameter, "body.text"),
        (req({"text": " \n\u3000"}), C2C, errors.InvalidParameter, "body.text"),
        (req({"description": "no data"}, kind="custom"), C2C, errors.InvalidParameter, "body"),
        (req(mentions=["a"]), C2C, errors.InvalidParameter, "mentions"),
        (req(mention_all=True), C2C, errors.InvalidParameter, "mentions"),
        (req(mentions=["bad id"]), GROUP, errors.InvalidParameter, "user_id"),
    ],
)
def test_invalid(
    request_: SendRequest,
    kind: ConversationType,
    expected: type[errors.MessengerError],
    field: str,
) -> None:
    with pytest.raises(expected) as caught:
        validate_send(request_, LIMITS, kind)
    assert type(caught.value) is expected
    assert caught.value.details.get("field") == field


def test_too_large() -> None:
    with pytest.raises(errors.MessageTooLarge) as caught:
        validate_send(req({"text": "字字字字a"}), LIMITS, C2C)
    assert caught.value.details == {"size": 13, "limit": 12}
    assert caught.value.http_status == 413
    with pytest.raises(errors.MessageTooLarge) as caught:
        validate_send(req({"data": "0123456789", "extension": "x"}, kind="custom"), LIMITS, C2C)
    assert caught.value.details == {"size": 11, "limit": 10}


def test_too_many_mentions_counts_all_as_one() -> None:
    with pytest.raises(errors.TooManyMentions) as caught:
        validate_send(req(mentions=["a", "b", "c", "d"]), LIMITS, GROUP)
    assert caught.value.details == {"limit": 3}
    with pytest.raises(errors.TooManyMentions):
        validate_send(req(mentions=["a", "b", "c"], mention_all=True), LIMITS, GROUP)
    validate_send(req(mentions=["a", "b", "c"]), LIMITS, GROUP)
