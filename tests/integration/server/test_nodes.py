"""Two real server processes joined by a real Redis (``--redis``): a device connected to one node
hears what happens on the other, sees who is online there, shares its rate limits, and after a
Redis restart is made to reconnect and catch up.

Until the deployment's shared database (PostgreSQL) is on main, each node here has its own
SQLite folder: the tests show what the bus carries between nodes (wake-ups, presence, limits,
resynchronisation), not a shared history. A user signs in on both nodes so that both databases
know them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.redis_server import RedisProcess
from tests.helpers.server import ServerProcess

OwnServer = Callable[..., ServerProcess]


async def _on(url: str, user_id: str, devices: list[RawDevice]) -> RawDevice:
    device = await RawDevice(url, user_id).sign_in()
    devices.append(device)
    return device


async def test_a_message_sent_on_one_node_wakes_the_device_on_the_other(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    one = own_server("--redis", redis.url)
    two = own_server("--redis", redis.url)
    alice, bob = uid("alice"), uid("bob")
    sender = await _on(one.url, alice, raw_devices)
    await _on(one.url, bob, raw_devices)  # (bob is a user of node one's database too)
    receiver = await _on(two.url, bob, raw_devices)
    await receiver.connect(since=None)  # (live only: the two databases' versions differ)

    sent = await sender.send("C2C" + bob, "across nodes")

    change = await receiver.wait_for(
        lambda f: (
            isinstance(f, frames.Changes)
            and any(getattr(c, "message", None) is not None for c in f.changes)
        )
    )
    assert isinstance(change, frames.Changes)
    (message,) = [c.message for c in change.changes if isinstance(c, frames.MessageChange)]
    assert (message.message_id, message.body["text"]) == (sent.message_id, "across nodes")


async def test_who_is_online_on_one_node_is_online_on_every_node(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    one = own_server("--redis", redis.url)
    two = own_server("--redis", redis.url)
    asker, carol = uid("asker"), uid("carol")
    watcher = await _on(one.url, asker, raw_devices)
    await _on(one.url, carol, raw_devices)
    away = await _on(two.url, carol, raw_devices)

    async def online() -> bool:
        answer = await watcher.call("presence", query={"user_ids": carol})
        return bool(answer.statuses[0].online)

    async def until(expected: bool) -> None:
        async with asyncio.timeout(10):
            while await online() != expected:  # noqa: ASYNC110 - asks the other node
                await asyncio.sleep(0.05)

    assert not await online()
    await away.connect()
    await until(True)
    await away.aclose()
    await until(False)


async def test_one_senders_rate_limit_counts_on_every_node(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    slow = {"MESSENGER_USER_MSG_RATE": "0.2", "MESSENGER_USER_MSG_BURST": "4"}
    one = own_server("--redis", redis.url, env=slow)
    two = own_server("--redis", redis.url, env=slow)
    dave, erin = uid("dave"), uid("erin")
    here = await _on(one.url, dave, raw_devices)
    there = await _on(two.url, dave, raw_devices)
    for node in (one, two):
        await _on(node.url, erin, raw_devices)

    for i in range(4):  # the burst of 4, spent on both nodes together
        await (here if i % 2 else there).send("C2C" + erin, f"quick {i}")
    for device in (here, there):
        with pytest.raises(errors.RateLimited) as refused:
            await device.send("C2C" + erin, "one too many")
        assert refused.value.details["scope"] == "sender"


@pytest.mark.timeout(90)
async def test_after_a_redis_restart_devices_reconnect_and_wake_ups_flow_again(
    own_server: OwnServer, redis: RedisProcess, raw_devices: list[RawDevice]
) -> None:
    one = own_server("--redis", redis.url)
    two = own_server("--redis", redis.url)
    frank, gina = uid("frank"), uid("gina")
    sender = await _on(one.url, frank, raw_devices)
    await _on(one.url, gina, raw_devices)
    receiver = await _on(two.url, gina, raw_devices)
    await receiver.connect(since=None)

    redis.kill()
    await asyncio.sleep(1.0)
    redis.start()

    assert await asyncio.wait_for(receiver.closed, 20) == frames.CLOSE_SERVER_SHUTDOWN
    # Each node publishes again within a heartbeat and asks the others to resynchronise once
    # more (what they published meanwhile was lost): reconnect after that.
    await asyncio.sleep(2.5)
    again = await _on(two.url, gina, raw_devices)
    await again.connect(since=None)
    await sender.send("C2C" + gina, "after the outage")
    change = await again.wait_for(lambda f: isinstance(f, frames.Changes), within=10)
    assert isinstance(change, frames.Changes)
    texts = [c.message.body["text"] for c in change.changes if isinstance(c, frames.MessageChange)]
    assert texts == ["after the outage"]
