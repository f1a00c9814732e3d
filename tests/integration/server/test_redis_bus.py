"""The node bus over a real Redis: two nodes' buses in one process, each with a listener that
records what it is told (what a node would apply). Wake-ups, kicks, invalidation and presence
reach the other node and never come back to the sender; a node joining late learns who is
online; a node that leaves (or stops beating) takes its users offline; a Redis restart makes
every node resynchronise its devices; rate limits and counts of open connections are shared."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from messenger.server.bus.redis_bus import RedisBus
from tests.helpers.redis_server import RedisProcess


class Recorder:
    """A node's side of the bus: what it was told, and its own online users."""

    def __init__(self, users: list[str] | None = None) -> None:
        self.told: list[tuple[Any, ...]] = []
        self.users = users or []
        self.online: dict[str, set[str]] = {}  # node → users it has online
        self.changed = asyncio.Event()

    def _note(self, *event: Any) -> None:
        self.told.append(event)
        self.changed.set()

    def bus_push(self, users: list[str], text: str, version: int) -> None:
        self._note("push", users, text, version)

    def bus_kick(
        self, token_hash: str, user_id: str, reason: str, message: str, quiet: bool
    ) -> None:
        self._note("kick", token_hash, user_id, reason, quiet)

    def bus_invalidate(self, kind: str, key: str) -> None:
        self._note("invalidate", kind, key)

    def bus_presence(self, node: str, user_id: str, online: bool) -> None:
        users = self.online.setdefault(node, set())
        users.add(user_id) if online else users.discard(user_id)
        self._note("presence", user_id, online)

    def bus_snapshot(self, node: str, users: list[str]) -> None:
        self.online[node] = set(users)
        self._note("snapshot", node, sorted(users))

    def bus_node_gone(self, node: str) -> None:
        self.online.pop(node, None)
        self._note("gone", node)

    def bus_resync(self) -> None:
        self._note("resync")

    def bus_local_users(self) -> list[str]:
        return list(self.users)

    def bus_versions(self, first: int, last: int) -> None:
        self._note("versions", first, last)

    def bus_tick(self) -> None:
        pass

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [e for e in self.told if e[0] == kind]

    async def until(self, check: Callable[[], object], within: float = 10.0) -> None:
        async with asyncio.timeout(within):
            while not check():
                self.changed.clear()
                await self.changed.wait()


Node = tuple[RedisBus, Recorder]


@pytest.fixture
async def nodes(redis: RedisProcess) -> AsyncIterator[Callable[..., Any]]:
    started: list[RedisBus] = []

    async def start(users: list[str] | None = None, **kw: Any) -> Node:
        bus = RedisBus(redis.url, retry=0.1, **kw)
        recorder = Recorder(users)
        bus.attach(recorder)
        await bus.start()
        started.append(bus)
        return bus, recorder

    yield start
    for bus in started:
        await bus.close()


async def test_what_one_node_publishes_reaches_the_other_in_order_and_not_itself(
    nodes: Callable[..., Any],
) -> None:
    a, seen_by_a = await nodes(["alice"])
    b, seen_by_b = await nodes(["bob"])
    await seen_by_a.until(lambda: "bob" in seen_by_a.online.get(b.node_id, ()))
    await seen_by_b.until(lambda: "alice" in seen_by_b.online.get(a.node_id, ()))

    for v in range(1, 51):
        a.push(["bob", "carol"], f'{{"v":{v}}}', v)
    a.kick("token-hash", "bob", "banned", "this account was banned", False)
    a.invalidate("members", "42")
    a.presence("dave", True)

    await seen_by_b.until(lambda: seen_by_b.of("presence"))
    assert [e[3] for e in seen_by_b.of("push")] == list(range(1, 51))
    assert seen_by_b.of("push")[0][1:3] == (["bob", "carol"], '{"v":1}')
    assert seen_by_b.of("kick") == [("kick", "token-hash", "bob", "banned", False)]
    assert seen_by_b.of("invalidate") == [("invalidate", "members", "42")]
    assert seen_by_b.online[a.node_id] == {"alice", "dave"}
    assert not seen_by_a.of("push") and not seen_by_a.of("kick")  # never echoed back


async def test_a_node_that_leaves_or_falls_silent_takes_its_users_offline(
    nodes: Callable[..., Any],
) -> None:
    _, seen_by_a = await nodes(["alice"])
    b, _ = await nodes(["bob"], heartbeat=0.1)
    c, _ = await nodes(["carol"], heartbeat=0.1)
    await seen_by_a.until(lambda: {b.node_id, c.node_id} <= set(seen_by_a.online))

    await b.close()  # a goodbye
    await seen_by_a.until(lambda: b.node_id not in seen_by_a.online)
    for task in c._tasks:  # a node that dies without a word: its heartbeat stops
        task.cancel()
    await seen_by_a.until(lambda: c.node_id not in seen_by_a.online, within=15)
    assert ("gone", c.node_id) in seen_by_a.told


@pytest.mark.expected_log("messenger.server.bus.redis_bus", r"subscription lost|cannot publish")
async def test_a_redis_restart_makes_every_node_resynchronise_its_devices(
    nodes: Callable[..., Any], redis: RedisProcess
) -> None:
    a, seen_by_a = await nodes(["alice"])
    b, seen_by_b = await nodes(["bob"])
    await seen_by_b.until(lambda: a.node_id in seen_by_b.online)

    redis.kill()
    a.push(["bob"], "lost while Redis is down", 7)
    await asyncio.sleep(0.5)
    redis.start()

    await seen_by_a.until(lambda: seen_by_a.of("resync"))
    await seen_by_b.until(lambda: seen_by_b.of("resync"))
    a.push(["bob"], "after the restart", 8)
    await seen_by_b.until(lambda: any(e[2] == "after the restart" for e in seen_by_b.of("push")))
    assert a.resyncs >= 1 and b.resyncs >= 1


async def test_rate_limits_are_one_budget_for_all_nodes(nodes: Callable[..., Any]) -> None:
    a, _ = await nodes()
    b, _ = await nodes()
    takes = [await (a if i % 2 else b).take("u:alice", 1.0, 4) for i in range(6)]
    assert takes[:4] == [0.0, 0.0, 0.0, 0.0]  # the burst, shared by both nodes
    assert all(wait is not None and 0 < wait <= 1.0 for wait in takes[4:])
    assert await a.take("u:bob", 1.0, 4) == 0.0  # another user's budget is their own


async def test_a_peek_at_a_shared_bucket_takes_nothing(nodes: Callable[..., Any]) -> None:
    a, _ = await nodes()
    b, _ = await nodes()
    assert await a.take("pw:carl", 0.1, 2) == 0.0
    for _ in range(3):
        assert await b.take("pw:carl", 0.1, 2, peek=True) == 0.0  # one token is left
    assert await b.take("pw:carl", 0.1, 2) == 0.0
    wait = await a.take("pw:carl", 0.1, 2, peek=True)
    assert wait is not None and 0 < wait <= 10.0


async def test_open_connections_are_one_count_for_all_nodes(nodes: Callable[..., Any]) -> None:
    a, seen_by_a = await nodes(heartbeat=0.2)
    b, _ = await nodes(heartbeat=0.2)
    await seen_by_a.until(lambda: any(e[1] == b.node_id for e in seen_by_a.of("snapshot")))

    assert await a.hold("user_sockets:dan", 2) is True
    assert await b.hold("user_sockets:dan", 2) is True
    assert await a.hold("user_sockets:dan", 2) is False  # two open, on two nodes
    assert await b.hold("user_sockets:erin", 2) is True  # another user's count is their own
    b.release("user_sockets:dan")
    async with asyncio.timeout(5):
        while not await a.hold("user_sockets:dan", 2):  # noqa: ASYNC110 - asks Redis
            await asyncio.sleep(0.05)
    assert await b.hold("user_sockets:dan", 2) is False

    await b.close()  # a node that is gone: what it held no longer counts
    await seen_by_a.until(lambda: seen_by_a.of("gone"))
    assert await a.hold("user_sockets:erin", 1) is True


@pytest.mark.expected_log("messenger.server.bus.redis_bus", r"subscription lost|cannot publish")
async def test_while_redis_is_away_each_node_decides_its_limits_alone(
    nodes: Callable[..., Any], redis: RedisProcess
) -> None:
    a, _ = await nodes()
    assert await a.take("u:fay", 1.0, 4) == 0.0
    redis.kill()
    assert await a.take("u:fay", 1.0, 4) is None  # the node's own bucket decides
    assert await a.hold("user_sockets:fay", 2) is None  # and its own count
    redis.start()
    async with asyncio.timeout(10):
        while await a.take("u:fay", 1.0, 4) is None:  # noqa: ASYNC110 - asks Redis
            await asyncio.sleep(0.1)
    assert await a.hold("user_sockets:fay", 2) is True


async def test_thousands_of_sockets_opening_at_once_are_all_counted(
    nodes: Callable[..., Any],
) -> None:
    a, _ = await nodes()
    _, seen_by_b = await nodes()
    held = await asyncio.gather(*(a.hold(f"user_sockets:crowd{i}", 1) for i in range(1_000)))
    assert held == [True] * 1_000  # (none left to the node's own count for want of a connection)
    a.push(["bob"], "the bus still carries wake-ups", 9)
    await seen_by_b.until(lambda: seen_by_b.of("push"))
