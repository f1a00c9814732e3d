"""UserSig, TLS-Sig-API v2: sign and verify.

A UserSig is a JSON document, zlib-compressed and base64-encoded with TIM's alphabet
(``+``→``*``, ``/``→``-``, ``=``→``_``). The document carries the user ID, the SDKAppID, the
issue time and lifetime (seconds) and an HMAC-SHA256 over those fields keyed with the app's secret
key (used as a UTF-8 string). ``TLS.ver`` is not covered by the HMAC.

Deflate output differs between zlib builds, so signatures are compared on the decoded document,
never as strings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import zlib
from dataclasses import dataclass
from typing import Any

from messenger.protocol.errors import (
    UserSigExpired,
    UserSigForged,
    UserSigInvalid,
    UserSigWrongApp,
    UserSigWrongUser,
)

DEFAULT_EXPIRE_SECONDS = 180 * 86400
CLOCK_SKEW_SECONDS = 300
_MAX_SIG_CHARS = 4096

_ESCAPE = str.maketrans({"+": "*", "/": "-", "=": "_"})
_UNESCAPE = str.maketrans({"*": "+", "-": "/", "_": "="})


@dataclass(frozen=True, slots=True)
class UserSigInfo:
    """What a verified UserSig says."""

    user_id: str
    sdk_app_id: int
    issued_at: int  # seconds
    expire: int  # seconds
    userbuf: bytes | None

    @property
    def expires_at_ms(self) -> int:
        return (self.issued_at + self.expire) * 1000


def _signed_content(
    identifier: str, sdk_app_id: int, issued: int, expire: int, userbuf_b64: str | None
) -> bytes:
    content = (
        f"TLS.identifier:{identifier}\n"
        f"TLS.sdkappid:{sdk_app_id}\n"
        f"TLS.time:{issued}\n"
        f"TLS.expire:{expire}\n"
    )
    if userbuf_b64 is not None:
        content += f"TLS.userbuf:{userbuf_b64}\n"
    return content.encode("utf-8")


def _mac(key: str, content: bytes) -> bytes:
    return hmac.new(key.encode("utf-8"), content, hashlib.sha256).digest()


def generate_usersig(
    sdk_app_id: int,
    secret_key: str,
    user_id: str,
    expire: int = DEFAULT_EXPIRE_SECONDS,
    *,
    userbuf: bytes | None = None,
    now: int | None = None,
) -> str:
    issued = int(time.time()) if now is None else int(now)
    doc: dict[str, Any] = {
        "TLS.ver": "2.0",
        "TLS.identifier": str(user_id),
        "TLS.sdkappid": int(sdk_app_id),
        "TLS.time": issued,
        "TLS.expire": int(expire),
    }
    userbuf_b64 = base64.b64encode(userbuf).decode("ascii") if userbuf is not None else None
    if userbuf_b64 is not None:
        doc["TLS.userbuf"] = userbuf_b64
    mac = _mac(
        secret_key, _signed_content(str(user_id), int(sdk_app_id), issued, int(expire), userbuf_b64)
    )
    doc["TLS.sig"] = base64.b64encode(mac).decode("ascii")
    raw = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii").translate(_ESCAPE)


def decode_usersig(sig: str) -> dict[str, Any]:
    """Undo the transport encoding and return the JSON document; raise ``UserSigInvalid``."""
    if not isinstance(sig, str) or not sig or len(sig) > _MAX_SIG_CHARS:
        raise UserSigInvalid("UserSig is empty or too long")
    text = sig.strip().translate(_UNESCAPE)
    text += "=" * (-len(text) % 4)
    try:
        compressed = base64.b64decode(text, validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, 16384)
        if inflater.unconsumed_tail:
            raise UserSigInvalid("UserSig document is too large")
        doc = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise UserSigInvalid(f"UserSig is not a TLS-Sig-API v2 document: {exc}") from None
    if not isinstance(doc, dict):
        raise UserSigInvalid("UserSig document is not an object")
    return doc


def _field(doc: dict[str, Any], key: str, kind: type) -> Any:
    value = doc.get(key)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise UserSigInvalid(f"UserSig field {key} is missing or not a number")
        try:
            return int(value)
        except ValueError:
            raise UserSigInvalid(f"UserSig field {key} is not a number") from None
    if not isinstance(value, str):
        raise UserSigInvalid(f"UserSig field {key} is missing or not a string")
    return value


def verify_usersig(
    sig: str,
    *,
    sdk_app_id: int,
    secret_key: str,
    user_id: str,
    now: float | None = None,
) -> UserSigInfo:
    """Check a UserSig for ``user_id`` on this app; return what it says or raise a typed error.

    Order matters for clear errors: a malformed sig is ``UserSigInvalid``, a sig for another app
    ``UserSigWrongApp``, for another user ``UserSigWrongUser``, a bad HMAC ``UserSigForged`` and
    only a genuine but stale one ``UserSigExpired``.
    """
    doc = decode_usersig(sig)
    if str(doc.get("TLS.ver")) != "2.0":
        raise UserSigInvalid("unsupported UserSig version")
    identifier = _field(doc, "TLS.identifier", str)
    app = _field(doc, "TLS.sdkappid", int)
    issued = _field(doc, "TLS.time", int)
    expire = _field(doc, "TLS.expire", int)
    mac_b64 = _field(doc, "TLS.sig", str)
    userbuf_b64 = doc.get("TLS.userbuf")
    if userbuf_b64 is not None and not isinstance(userbuf_b64, str):
        raise UserSigInvalid("UserSig field TLS.userbuf is not a string")
    if app != int(sdk_app_id):
        raise UserSigWrongApp(f"UserSig was issued for SDKAppID {app}, not {sdk_app_id}")
    if identifier != user_id:
        raise UserSigWrongUser("UserSig was issued for another user")
    try:
        given = base64.b64decode(mac_b64, validate=True)
        userbuf = base64.b64decode(userbuf_b64, validate=True) if userbuf_b64 is not None else None
    except (binascii.Error, ValueError):
        raise UserSigInvalid("UserSig signature is not base64") from None
    expected = _mac(secret_key, _signed_content(identifier, app, issued, expire, userbuf_b64))
    if not hmac.compare_digest(given, expected):
        raise UserSigForged("UserSig signature does not match this server's key")
    current = time.time() if now is None else now
    if issued > current + CLOCK_SKEW_SECONDS:
        raise UserSigInvalid("UserSig was issued in the future")
    if current > issued + expire:
        raise UserSigExpired("UserSig has expired", expired_at=(issued + expire) * 1000)
    return UserSigInfo(identifier, app, issued, expire, userbuf)
