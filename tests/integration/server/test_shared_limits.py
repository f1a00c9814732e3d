"""Admission limits shared by all nodes: two real server processes joined by a real Redis
(``--redis``). What a user or an address spends on one node is spent on the other: requests,
sign-ins, failed passwords and open WebSockets; the node that refuses says when to try again.

Each node has its own SQLite folder here (the limits live on the bus, not in the database), so a
user signs in on both nodes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice, usersig
from tests.helpers.redis_server import RedisProcess
from tests.helpers.server import ServerProcess

OwnServer = Callable[..., ServerProcess]
NOT_EXEMPT = {"MESSENGER_IP_LIMITS_EXEMPT": ""}  # (loopback skips the per-IP limits otherwise)


def _two(own_server: OwnServer, redis: RedisProcess, env: dict[str, str]) -> list[ServerProcess]:
    return [own_server("--redis", redis.url, env=env) for _ in range(2)]


def _login(server: ServerProcess, user: str) -> httpx.Response:
    return httpx.post(
        server.url + "/v1/auth/login",
        json={"user_id": user, "user_sig": usersig(user), "device_id": uid("d")},
    )


def _refusal(answer: httpx.Response, scope: str) -> int:
    """The ``retry_after_ms`` of a 429 of ``scope``."""
    assert answer.status_code == 429, answer.text
    error = errors.error_from_wire(answer.json())
    assert isinstance(error, errors.RateLimited)
    assert error.details["scope"] == scope
    return error.retry_after_ms


async def _signed_in(url: str, user_id: str, devices: list[RawDevice]) -> RawDevice:
    device = await RawDevice(url, user_id).sign_in()
    devices.append(device)
    return device


def test_sign_ins_from_one_address_count_on_every_node(
    own_server: OwnServer, redis: RedisProcess
) -> None:
    env = {**NOT_EXEMPT, "MESSENGER_IP_SIGN_IN_BURST": "4", "MESSENGER_IP_SIGN_IN_RATE": "0.01"}
    one, two = _two(own_server, redis, env)
    user = uid("signin")
    assert [_login(one, user).status_code for _ in range(4)] == [200] * 4

    assert _refusal(_login(two, user), "sign_in") > 1000  # the burst was spent on node one


async def test_one_users_requests_count_on_every_node(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    env = {"MESSENGER_USER_REQUEST_BURST": "5", "MESSENGER_USER_REQUEST_RATE": "0.1"}
    one, two = _two(own_server, redis, env)
    user = uid("busy")
    here = await _signed_in(one.url, user, raw_devices)
    there = await _signed_in(two.url, user, raw_devices)
    for _ in range(5):  # the burst, spent on node one
        await here.call("me")

    with pytest.raises(errors.RateLimited) as refused:
        await there.call("me")
    assert refused.value.details["scope"] == "user"
    assert refused.value.retry_after_ms > 1000
    other = await _signed_in(two.url, uid("calm"), raw_devices)
    assert (await other.call("me")).user_id == other.user_id  # other users are not held up


def test_failed_passwords_count_on_every_node(own_server: OwnServer, redis: RedisProcess) -> None:
    one, two = _two(own_server, redis, {})
    user, password = uid("guessed"), "right horse battery"
    for node in (one, two):
        registered = httpx.post(
            node.url + "/v1/auth/register",
            json={"user_id": user, "nickname": "Guessed", "password": password},
        )
        assert registered.status_code == 200, registered.text

    def attempt(node: ServerProcess, guess: str) -> httpx.Response:
        return httpx.post(node.url + "/v1/auth/password", json={"user_id": user, "password": guess})

    for i in range(10):  # ten wrong guesses, on both nodes
        assert attempt((one, two)[i % 2], f"wrong guess {i}").status_code == 401

    assert _refusal(attempt(two, password), "password") > 1000  # even the right one, for now
    assert _refusal(attempt(one, password), "password") > 1000


async def test_open_sockets_of_one_user_count_on_every_node(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    one, two = _two(own_server, redis, {"MESSENGER_USER_SOCKET_LIMIT": "2"})
    user = uid("many")
    first = await _signed_in(one.url, user, raw_devices)
    second = await _signed_in(two.url, user, raw_devices)
    third = await _signed_in(two.url, user, raw_devices)
    await first.connect()
    await second.connect()

    with pytest.raises(errors.RateLimited) as refused:
        await third.connect()
    assert refused.value.details["scope"] == "user_sockets"
    assert refused.value.retry_after_ms > 0
    assert third.closed is not None
    assert await asyncio.wait_for(third.closed, 5) == frames.CLOSE_RATE_LIMITED

    await first.disconnect()  # a socket closed on node one frees its place on node two
    async with asyncio.timeout(10):
        while True:
            again = await _signed_in(two.url, user, raw_devices)
            try:
                await again.connect()
                break
            except errors.RateLimited:
                await asyncio.sleep(0.1)
    await second.barrier()  # the open ones stay


async def test_open_sockets_from_one_address_count_on_every_node(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    one, two = _two(own_server, redis, {**NOT_EXEMPT, "MESSENGER_IP_SOCKET_LIMIT": "2"})
    on_one = [await _signed_in(one.url, uid("sock"), raw_devices) for _ in range(2)]
    for device in on_one:
        await device.connect()
    late = await _signed_in(two.url, uid("sock"), raw_devices)

    with pytest.raises(errors.RateLimited) as refused:
        await late.connect()
    assert refused.value.details["scope"] == "ip_sockets"
    assert refused.value.retry_after_ms > 0
