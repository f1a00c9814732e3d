"""The callbacks' signature: what a receiver checks, and what it must refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from messenger.server.config import ConfigError, load_config
from messenger.server.services.callbacks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    verify_signature,
)

SECRET = "callback-secret-0123456789"
BODY = b'{"event":"before_send","body":{"text":"hi"}}'


def _headers(timestamp: int, body: bytes = BODY, secret: str = SECRET) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def test_a_fresh_signed_call_verifies() -> None:
    assert verify_signature(SECRET, _headers(1_000_000), BODY, now=1_000_010)


@pytest.mark.parametrize(
    ("headers", "body", "now"),
    [
        (_headers(1_000_000), BODY.replace(b"hi", b"ho"), 1_000_000),  # body changed
        (_headers(1_000_000, secret="another-secret-0123456"), BODY, 1_000_000),  # wrong key
        (_headers(1_000_000), BODY, 1_000_000 + 301),  # replayed later
        ({**_headers(1_000_000), TIMESTAMP_HEADER: "1000001"}, BODY, 1_000_000),  # time moved
        ({SIGNATURE_HEADER: sign(SECRET, 1_000_000, BODY)}, BODY, 1_000_000),  # no timestamp
        ({TIMESTAMP_HEADER: "soon"}, BODY, 1_000_000),  # unreadable
    ],
)
def test_tampered_late_or_unsigned_calls_do_not_verify(
    headers: dict[str, str], body: bytes, now: int
) -> None:
    assert not verify_signature(SECRET, headers, body, now=now)


@pytest.mark.parametrize(
    "settings",
    [
        {"callback_url": "ftp://example.org/", "callback_secret": SECRET},
        {"callback_url": "https://example.org/hook", "callback_secret": "short"},
        {"callback_on_failure": "maybe"},
        {"callback_timeout_ms": 5},
        {"callback_events": "before_send,before_everything"},
    ],
)
def test_unusable_callback_settings_are_refused(tmp_path: Path, settings: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="callback"):
        load_config(tmp_path, {"sdk_app_id": 1400000001, "secret_key": "k" * 32, **settings})
