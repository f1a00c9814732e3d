"""Sign-in: Tencent's own UserSigs, typed rejections, password accounts, the device policy."""

from __future__ import annotations

import asyncio
import base64
import json
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from TLSSigAPIv2 import TLSSigAPIv2

from messenger.protocol import errors, frames
from messenger.protocol.usersig import generate_usersig
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice, usersig
from tests.helpers.server import SDK_APP_ID, SECRET_KEY, ServerProcess


async def test_usersig_from_tencents_library_signs_in(
    server: ServerProcess, raw_devices: list[RawDevice]
) -> None:
    user = uid("tx")
    sig = TLSSigAPIv2(SDK_APP_ID, SECRET_KEY).gen_sig(user, 3600)
    device = await RawDevice(server.url, user).sign_in(sig)
    raw_devices.append(device)
    me = await device.call("me")
    assert me.user_id == user


def _tamper(sig: str, **fields: object) -> str:
    """Decode a UserSig, change fields without re-signing, encode it again."""
    text = sig.replace("*", "+").replace("-", "/").replace("_", "=")
    doc = json.loads(zlib.decompress(base64.b64decode(text)))
    doc.update(fields)
    raw = zlib.compress(json.dumps(doc).encode())
    return base64.b64encode(raw).decode().replace("+", "*").replace("/", "-").replace("=", "_")


@pytest.mark.parametrize(
    ("make_sig", "expected"),
    [
        (lambda u: generate_usersig(SDK_APP_ID, "another-key-0123456789", u), errors.UserSigForged),
        (lambda u: _tamper(usersig(u), **{"TLS.expire": 10**9}), errors.UserSigForged),
        (
            lambda u: generate_usersig(SDK_APP_ID, SECRET_KEY, u, 60, now=1_000_000),
            errors.UserSigExpired,
        ),
        (lambda u: generate_usersig(SDK_APP_ID + 1, SECRET_KEY, u), errors.UserSigWrongApp),
        (lambda u: usersig("someone-else"), errors.UserSigWrongUser),
        (lambda u: "not-a-usersig!", errors.UserSigInvalid),
        (lambda u: base64.b64encode(zlib.compress(b"[1,2]")).decode(), errors.UserSigInvalid),
    ],
    ids=["wrong-key", "tampered", "expired", "wrong-app", "wrong-user", "garbage", "not-a-doc"],
)
async def test_bad_usersigs_get_distinct_typed_errors(
    server: ServerProcess,
    raw_devices: list[RawDevice],
    make_sig: Callable[[str], str],
    expected: type[errors.MessengerError],
) -> None:
    user = uid("bad")
    device = RawDevice(server.url, user)
    raw_devices.append(device)
    with pytest.raises(expected) as caught:
        await device.sign_in(make_sig(user))
    assert type(caught.value) is expected
    assert caught.value.code == expected.code


async def test_password_account_register_and_sign_in(
    server: ServerProcess, raw_devices: list[RawDevice]
) -> None:
    user = uid("pw")
    device = RawDevice(server.url, user)
    raw_devices.append(device)
    profile = await device.call(
        "register", body={"user_id": user, "password": "correct horse", "nickname": "Ada 阿达"}
    )
    assert profile.nickname == "Ada 阿达"
    with pytest.raises(errors.AlreadyExists):
        await device.call("register", body={"user_id": user, "password": "another one"})
    with pytest.raises(errors.BadCredentials):
        await device.call("password_login", body={"user_id": user, "password": "wrong horse"})
    with pytest.raises(errors.BadCredentials):
        await device.call(
            "password_login", body={"user_id": uid("nobody"), "password": "whatever1"}
        )
    with pytest.raises(errors.InvalidParameter):
        await device.call("register", body={"user_id": uid("pw"), "password": "short"})
    with pytest.raises(errors.InvalidParameter):
        await device.call("register", body={"user_id": "bad id!", "password": "long enough"})
    issued = await device.call(
        "password_login", body={"user_id": user, "password": "correct horse"}
    )
    await device.sign_in(issued.user_sig)
    assert (await device.call("me")).nickname == "Ada 阿达"


async def test_requests_without_a_valid_session_are_refused(
    server: ServerProcess, raw_devices: list[RawDevice]
) -> None:
    device = RawDevice(server.url, uid("anon"))
    raw_devices.append(device)
    with pytest.raises(errors.SessionInvalid):
        await device.call("conversations")
    device.token = "made-up-token"
    with pytest.raises(errors.SessionInvalid):
        await device.call("me")


async def test_oldest_device_is_kicked_with_a_reason(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "srv", "--device-limit", "2").start()
    user = uid("multi")
    made: list[RawDevice] = []
    try:
        first = await RawDevice(server.url, user).sign_in()
        second = await RawDevice(server.url, user).sign_in()
        made += [first, second]
        await first.connect()
        await second.connect()
        third = await RawDevice(server.url, user).sign_in()
        made.append(third)
        assert third.login.kicked_devices == [first.device_id]
        kicked = await first.next_of(frames.Kicked)
        assert kicked.reason == "other_device"
        assert await asyncio.wait_for(first.closed, 5) == frames.CLOSE_KICKED
        with pytest.raises(errors.SessionRevoked):
            await first.call("me")
        assert (await second.call("me")).user_id == user  # the others stay signed in
        # the same device signing in again replaces its session instead of taking a slot
        again = await RawDevice(server.url, user, device_id=second.device_id).sign_in()
        made.append(again)
        assert again.login.kicked_devices == []
        assert (await third.call("me")).user_id == user
    finally:
        for d in made:
            await d.aclose()
        server.stop()


async def test_reject_new_policy_refuses_the_extra_device(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path / "srv", "--device-limit", "1", "--device-policy", "reject_new"
    ).start()
    user = uid("one")
    first = await RawDevice(server.url, user).sign_in()
    second = RawDevice(server.url, user)
    try:
        with pytest.raises(errors.TooManyDevices):
            await second.sign_in()
        assert (await first.call("me")).user_id == user
    finally:
        await first.aclose()
        await second.aclose()
        server.stop()


async def test_logout_ends_only_this_device(
    server: ServerProcess, raw_devices: list[RawDevice]
) -> None:
    user = uid("out")
    a = await RawDevice(server.url, user).sign_in()
    b = await RawDevice(server.url, user).sign_in()
    raw_devices += [a, b]
    await a.call("logout")
    with pytest.raises(errors.SessionRevoked):
        await a.call("me")
    assert (await b.call("me")).user_id == user


async def test_websocket_hello_with_a_bad_token_is_refused(
    server: ServerProcess, raw_devices: list[RawDevice]
) -> None:
    device = RawDevice(server.url, uid("ws"))
    raw_devices.append(device)
    device.token = "nope"
    with pytest.raises(errors.SessionInvalid):
        await device.connect()
    assert await asyncio.wait_for(device.closed, 5) == frames.CLOSE_AUTH_FAILED
