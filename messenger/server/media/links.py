"""Short-lived signed links to a file: the HMAC of what the link allows, with the server's key."""

from __future__ import annotations

import hashlib
import hmac


def _payload(media_id: str, variant: str, user: str, expires: int, conv: str, msg: str) -> bytes:
    return "\n".join((media_id, variant, user, str(expires), conv, msg)).encode("utf-8")


def sign(
    key: bytes, media_id: str, variant: str, user: str, expires: int, conv: str, msg: str
) -> str:
    payload = _payload(media_id, variant, user, expires, conv, msg)
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def verify(
    key: bytes,
    sig: str,
    media_id: str,
    variant: str,
    user: str,
    expires: int,
    conv: str,
    msg: str,
) -> bool:
    return hmac.compare_digest(sign(key, media_id, variant, user, expires, conv, msg), sig)
