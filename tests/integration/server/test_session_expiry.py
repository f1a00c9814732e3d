"""A session lives as long as its UserSig: warned before the end, refreshable, kicked at the end."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice, usersig
from tests.helpers.server import ServerProcess


@pytest.fixture
def quick_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """Sessions checked every 100 ms; devices warned 60 s before their UserSig ends."""
    proc = ServerProcess(
        tmp_path / "srv",
        env={"MESSENGER_SESSION_CHECK_MS": "100", "MESSENGER_EXPIRY_NOTICE_MS": "60000"},
    ).start()
    yield proc
    proc.stop()


async def test_device_is_warned_then_kicked_when_its_usersig_ends(
    quick_server: ServerProcess,
) -> None:
    user = uid("exp")
    device = await RawDevice(quick_server.url, user).sign_in(usersig(user, expire=3))
    try:
        await device.connect()
        warning = await device.next_of(frames.Expiring, within=5)
        assert warning.expires_at == device.login.expires_at
        kicked = await device.next_of(frames.Kicked, within=10)
        assert kicked.reason == "usersig_expired"
        assert await asyncio.wait_for(device.closed, 5) == frames.CLOSE_KICKED
        with pytest.raises(errors.AuthError) as caught:
            await device.call("me")
        assert isinstance(caught.value, (errors.UserSigExpired, errors.SessionRevoked))
    finally:
        await device.aclose()


async def test_refresh_with_a_new_usersig_keeps_the_session(quick_server: ServerProcess) -> None:
    user = uid("ref")
    device = await RawDevice(quick_server.url, user).sign_in(usersig(user, expire=3))
    try:
        await device.connect()
        await device.next_of(frames.Expiring, within=5)
        renewed = await device.call("refresh", body={"user_sig": usersig(user, expire=3600)})
        assert renewed.expires_at > device.login.expires_at + 3_000_000
        await asyncio.sleep(4)  # past the first UserSig's end
        assert (await device.call("me")).user_id == user
        seen = await device.barrier()  # the socket still answers, and no kick came
        assert not any(isinstance(f, frames.Kicked) for f in seen)
        assert not device.closed.done()
        with pytest.raises(errors.UserSigWrongUser):
            await device.call("refresh", body={"user_sig": usersig(uid("other"))})
    finally:
        await device.aclose()
