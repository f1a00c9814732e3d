"""UserSig (TLS-Sig-API v2): Tencent's test vectors, Tencent's own Python package, and every way a
sig can be wrong."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from typing import Any

import pytest
from TLSSigAPIv2 import TLSSigAPIv2, base64_decode_url

from messenger.protocol import errors
from messenger.protocol.usersig import (
    CLOCK_SKEW_SECONDS,
    decode_usersig,
    generate_usersig,
    verify_usersig,
)

# the shared reference inventory 003.md section 2.2: produced by the seed's Node.js code
APP = 1400000000
KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
USER = "user1"
ISSUED = 1586995200
EXPIRE = 15552000
NODE_SIG = (
    "eJw1yUEOgjAURdG9-LGhFNpGmrgAEnSg4MCZpkU*BqgtVBPj3o21vtk79wV1dUi8tiAhS1JYhY9KjzO2GHhx2tIYnLqdjUEFkrI"
    "07ldmHDRIyteiKHj2V-00aIPzL0Z1eAUJZT-UhPsH69jxrvzFNeV*mQwRuxOpOiVsnk6NaEeabzfw-gAORzEI"
)
NODE_DOC = {
    "TLS.ver": "2.0",
    "TLS.identifier": "user1",
    "TLS.sdkappid": 1400000000,
    "TLS.time": 1586995200,
    "TLS.expire": 15552000,
    "TLS.sig": "IjmT/5vw4h4VqdvbsUIRuop/6NZ/Lhd6r30oU6fn13M=",
}
NODE_SIG_USERBUF = (
    "eJw1zM0KgkAUBeB3ueuQURzJgRalBKW1yQiX1VzlKtkw-qBG7x7aeHbnO3A*kMQXq0MNAhyLwWruJLFqKKOZ2xq1bYZalnelSIKw"
    "XWbyXxp6IQibrz3f586i2CvSs-MJjU6PjzYDAentWCzXlIOAIPH6MHAjWUZDF2*rdxEgHw7smY58zNVpF0ZFz877tr5u4PsDTj43"
    "-g__"
)
USERBUF_MAC = "CT6xDC4KdkKyvLAnojCe5yI0cYz5zgpMBDKjx0NFusU="
INSIDE = ISSUED + 1000  # a `now` inside the window


def verify(
    sig: str, *, app: int = APP, key: str = KEY, user: str = USER, now: float = INSIDE
) -> Any:
    return verify_usersig(sig, sdk_app_id=app, secret_key=key, user_id=user, now=now)


def tamper(sig: str, **fields: Any) -> str:
    doc = decode_usersig(sig)
    doc.update(fields)
    raw = zlib.compress(json.dumps(doc).encode())
    return base64.b64encode(raw).decode().replace("+", "*").replace("/", "-").replace("=", "_")


# -- the reference vectors ---------------------------------------------------------------------------------
def test_the_node_usersig_verifies() -> None:
    info = verify(NODE_SIG)
    assert (info.user_id, info.sdk_app_id, info.issued_at, info.expire) == (
        USER,
        APP,
        ISSUED,
        EXPIRE,
    )
    assert info.userbuf is None
    assert info.expires_at_ms == (ISSUED + EXPIRE) * 1000
    assert decode_usersig(NODE_SIG) == NODE_DOC


def test_the_node_usersig_with_userbuf_verifies() -> None:
    info = verify(NODE_SIG_USERBUF)
    assert info.userbuf == b"abc"
    doc = decode_usersig(NODE_SIG_USERBUF)
    assert (doc["TLS.userbuf"], doc["TLS.sig"]) == ("YWJj", USERBUF_MAC)


def test_our_sigs_decode_to_the_node_documents() -> None:
    """Deflate output differs between zlib builds: documents are compared, never strings."""
    ours = generate_usersig(APP, KEY, USER, EXPIRE, now=ISSUED)
    assert decode_usersig(ours) == NODE_DOC
    with_buf = generate_usersig(APP, KEY, USER, EXPIRE, userbuf=b"abc", now=ISSUED)
    assert decode_usersig(with_buf) == decode_usersig(NODE_SIG_USERBUF)
    assert ours.startswith("eJ")


def test_the_window_is_inclusive_of_its_end() -> None:
    assert verify(NODE_SIG, now=ISSUED + EXPIRE).user_id == USER
    with pytest.raises(errors.UserSigExpired) as caught:
        verify(NODE_SIG, now=ISSUED + EXPIRE + 1)
    assert caught.value.details["expired_at"] == (ISSUED + EXPIRE) * 1000
    assert verify(NODE_SIG, now=ISSUED - CLOCK_SKEW_SECONDS).user_id == USER  # a little skew
    with pytest.raises(errors.UserSigInvalid):
        verify(NODE_SIG, now=ISSUED - CLOCK_SKEW_SECONDS - 1)  # issued in the future


# -- Tencent's own package ----------------------------------------------------------------------------------
@pytest.mark.parametrize("user", ["user1", "a.b-c_d@e", "x" * 32])
def test_sigs_from_tencents_package_verify(user: str) -> None:
    api = TLSSigAPIv2(APP, KEY)
    info = verify_usersig(api.gen_sig(user, 3600), sdk_app_id=APP, secret_key=KEY, user_id=user)
    assert (info.user_id, info.expire, info.userbuf) == (user, 3600, None)
    with_buf = api.gen_sig_with_userbuf(user, 3600, b"\x00\xffroom-42")
    info = verify_usersig(with_buf, sdk_app_id=APP, secret_key=KEY, user_id=user)
    assert info.userbuf == b"\x00\xffroom-42"


@pytest.mark.parametrize("userbuf", [None, b"", b"abc", bytes(range(256))])
def test_tencents_package_accepts_our_sigs(userbuf: bytes | None) -> None:
    """Decode with Tencent's decoder and check the HMAC with Tencent's signer."""
    sig = generate_usersig(APP, KEY, USER, 86400, userbuf=userbuf, now=ISSUED)
    doc = json.loads(zlib.decompress(base64_decode_url(sig.encode())))
    api = TLSSigAPIv2(APP, KEY)
    mac = api._TLSSigAPIv2__hmacsha256(
        USER, doc["TLS.time"], doc["TLS.expire"], doc.get("TLS.userbuf")
    )
    assert doc["TLS.sig"] == mac.decode()
    if userbuf is not None:
        assert base64.b64decode(doc["TLS.userbuf"]) == userbuf


# -- every way to be wrong ----------------------------------------------------------------------------------
GOOD = generate_usersig(APP, KEY, USER, EXPIRE, now=ISSUED)


@pytest.mark.parametrize(
    ("sig", "kwargs", "expected"),
    [
        (GOOD, {"key": "another-key-0123456789"}, errors.UserSigForged),
        (tamper(GOOD, **{"TLS.expire": EXPIRE * 10}), {}, errors.UserSigForged),
        (tamper(GOOD, **{"TLS.time": ISSUED + 1}), {}, errors.UserSigForged),
        (tamper(NODE_SIG_USERBUF, **{"TLS.userbuf": "YWJk"}), {}, errors.UserSigForged),
        (tamper(GOOD, **{"TLS.userbuf": "YWJj"}), {}, errors.UserSigForged),  # added later
        (GOOD, {"app": APP + 1}, errors.UserSigWrongApp),
        (GOOD, {"user": "user2"}, errors.UserSigWrongUser),
        (tamper(GOOD, **{"TLS.ver": "1.0"}), {}, errors.UserSigInvalid),
        (tamper(GOOD, **{"TLS.time": "soon"}), {}, errors.UserSigInvalid),
        (tamper(GOOD, **{"TLS.time": True}), {}, errors.UserSigInvalid),
        (tamper(GOOD, **{"TLS.identifier": 5}), {}, errors.UserSigInvalid),
        (tamper(GOOD, **{"TLS.sig": "%%%"}), {}, errors.UserSigInvalid),
        (tamper(GOOD, **{"TLS.userbuf": 7}), {}, errors.UserSigInvalid),
        ("", {}, errors.UserSigInvalid),
        ("not a usersig", {}, errors.UserSigInvalid),
        ("eJ" + "A" * 5000, {}, errors.UserSigInvalid),
        (base64.b64encode(zlib.compress(b"[1, 2]")).decode(), {}, errors.UserSigInvalid),
        (base64.b64encode(zlib.compress(b"\xff\xfe")).decode(), {}, errors.UserSigInvalid),
        (base64.b64encode(b"not zlib at all").decode(), {}, errors.UserSigInvalid),
        (base64.b64encode(zlib.compress(b" " * 100_000)).decode(), {}, errors.UserSigInvalid),
    ],
    ids=[
        "wrong-key",
        "longer-expiry",
        "other-time",
        "other-userbuf",
        "userbuf-added",
        "wrong-app",
        "wrong-user",
        "old-version",
        "time-not-a-number",
        "time-a-bool",
        "identifier-not-a-string",
        "sig-not-base64",
        "userbuf-not-a-string",
        "empty",
        "garbage",
        "too-long",
        "not-an-object",
        "not-utf8",
        "not-zlib",
        "zip-bomb",
    ],
)
def test_bad_sigs_get_distinct_typed_errors(
    sig: str, kwargs: dict[str, Any], expected: type[errors.MessengerError]
) -> None:
    with pytest.raises(expected) as caught:
        verify(sig, **kwargs)
    assert type(caught.value) is expected


def test_the_wrong_app_is_reported_before_a_bad_mac() -> None:
    """The clearest error first: a sig of another app is not called forged."""
    other = generate_usersig(APP + 1, "another-key-0123456789", USER, EXPIRE, now=ISSUED)
    with pytest.raises(errors.UserSigWrongApp):
        verify(other)


def test_the_mac_covers_the_documented_content() -> None:
    content = (
        b"TLS.identifier:user1\nTLS.sdkappid:1400000000\nTLS.time:1586995200\nTLS.expire:15552000\n"
    )
    mac = hmac.new(KEY.encode(), content, hashlib.sha256).digest()
    assert base64.b64encode(mac).decode() == NODE_DOC["TLS.sig"]
