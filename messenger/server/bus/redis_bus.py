"""The node bus over Redis: publish/subscribe on one channel, and shared token buckets.

Every node publishes on ``messenger:bus`` (one message per event, in order, through one
connection) and listens to it, ignoring its own messages. Messages are JSON arrays whose first
item says what they are: ``p`` push, ``v`` versions committed, ``k`` kick, ``i`` invalidate, ``o`` presence, ``s`` a
node's online users (its answer to ``h``, hello), ``b`` heartbeat, ``r`` "resynchronise", ``g``
goodbye.

Redis publish/subscribe delivers at most once, so an outage may lose messages. What a node does
about it:

- when its subscription breaks, it may have missed wake-ups: once subscribed again it closes its
  devices' sockets (``bus_resync``); they reconnect and catch up from the database;
- when publishing fails, others may have missed its wake-ups: once it can publish again it asks
  every node to do the same (``r``);
- nodes send a heartbeat every ``heartbeat`` seconds; a node not heard for ``node_timeout`` is
  gone, and its users are no longer online (unless seen elsewhere).

Rate limits shared by all nodes are GCRA buckets kept in Redis by one Lua script (Redis's own
clock, so nodes' clocks do not matter). Open connections are counted in a hash per limited key
(an address, a user) with a field per node: a node's count is added in only while the node is
heard (a SIGKILLed node's connections stop counting once it is gone, and its field is dropped),
and a release that cannot reach Redis is retried with the heartbeat. If Redis cannot answer, the
node's own limiter and counts decide.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from typing import Any

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from messenger.server.bus.base import BusListener, NodeBus

log = logging.getLogger(__name__)

CHANNEL = "messenger:bus"
RATE_PREFIX = "messenger:rate:"
HOLD_PREFIX = "messenger:open:"
LIMIT_CONNECTIONS = 32  # connections to Redis for limit checks, per node
QUEUE_LIMIT = 200_000  # messages waiting to be published; past it they are lost (and resynced)

# GCRA: the bucket is a "theoretical arrival time" in ms; ARGV: interval ms, burst, 1 to take
# (0 only asks whether a take would be allowed)
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat - (burst - 1) * interval
if now < allow_at then return tostring(allow_at - now) end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(burst * interval) + 1000)
end
return '0'
"""

# Open connections under one key: a hash of counts by node. ARGV: this node, the limit, 1 to
# drop the fields of nodes not alive (only once this node has heard every live one), then the
# nodes alive. Returns 1 if counted, 0 at the limit.
_HOLD = """
local counts = redis.call('HGETALL', KEYS[1])
local alive = {}
for i = 4, #ARGV do alive[ARGV[i]] = true end
local total = 0
for i = 1, #counts, 2 do
  if alive[counts[i]] then
    total = total + tonumber(counts[i + 1])
  elseif ARGV[3] == '1' then
    redis.call('HDEL', KEYS[1], counts[i])
  end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[1], 86400000)
return 1
"""

# ARGV: this node, how many to release
_RELEASE = """
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
"""


class RedisBus(NodeBus):
    shared = True

    def __init__(
        self,
        url: str,
        *,
        node_id: str | None = None,
        heartbeat: float = 1.0,
        node_timeout: float = 5.0,
        retry: float = 0.5,
    ) -> None:
        self.url = url
        self.node_id = node_id or secrets.token_hex(6)
        self._heartbeat = heartbeat
        self._node_timeout = node_timeout
        self._retry = retry
        self._listener: BusListener | None = None
        self._queue: asyncio.Queue[bytes] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._redis: aioredis.Redis | None = None  # publishing and subscribing
        self._limits_redis: aioredis.Redis | None = None  # shared limits
        self._seen: dict[str, float] = {}  # node → when last heard (monotonic)
        self._publish_failed = False
        self._overflowed = False
        self._take_script: Any = None
        self._hold_script: Any = None
        self._release_script: Any = None
        self._unreleased: dict[str, int] = {}  # releases Redis did not take yet (retried)
        self._started = time.monotonic()
        self._releaser: asyncio.Task[None] | None = None
        self._limits_retry_at = 0.0  # (monotonic) Redis is not asked about limits before
        self._closing = False
        self._subscribed = asyncio.Event()
        self.resyncs = 0  # how often this node resynchronised its devices (tests, metrics)

    def attach(self, listener: BusListener) -> None:
        self._listener = listener

    # -- life ------------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._redis = aioredis.from_url(
            self.url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=10
        )
        # Limits have connections of their own, at most LIMIT_CONNECTIONS (a check waits for a
        # free one): thousands of sockets opening at once must not take the bus's.
        self._limits_redis = aioredis.Redis(
            connection_pool=aioredis.BlockingConnectionPool.from_url(
                self.url,
                max_connections=LIMIT_CONNECTIONS,
                timeout=1,
                socket_connect_timeout=2,
                socket_timeout=5,
            )
        )
        self._take_script = self._limits_redis.register_script(_TAKE)
        self._hold_script = self._limits_redis.register_script(_HOLD)
        self._release_script = self._limits_redis.register_script(_RELEASE)
        self._started = time.monotonic()
        self._subscribed = asyncio.Event()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._publisher(), name="bus-publisher"),
            loop.create_task(self._subscriber(), name="bus-subscriber"),
            loop.create_task(self._beat(), name="bus-heartbeat"),
        ]
        try:  # (what is committed from now on is announced to this node)
            async with asyncio.timeout(5):
                await self._subscribed.wait()
        except TimeoutError:
            log.warning("node bus: Redis at %s does not answer yet; retrying", self.url)

    async def close(self) -> None:
        if self._redis is not None:
            with contextlib.suppress(RedisError, OSError):
                async with asyncio.timeout(1):
                    await self._redis.publish(CHANNEL, self._encode("g"))
        if self._releaser is not None:
            self._tasks.append(self._releaser)
        self._closing = True
        for task in self._tasks:
            task.cancel()
        # (Python 3.11's asyncio.timeout may turn a cancellation that meets its own deadline
        # into TimeoutError, which the subscriber retries on: it then stops at ``_closing``)
        while self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=1)
            for task in pending:
                task.cancel()
            self._tasks = list(pending)
        self._take_script = self._hold_script = self._release_script = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
        if self._limits_redis is not None:
            await self._limits_redis.aclose()
            self._limits_redis = None

    # -- publishing ------------------------------------------------------------------------------------
    def _encode(self, kind: str, *items: Any) -> bytes:
        return msgspec.json.encode([kind, self.node_id, *items])

    def _send(self, kind: str, *items: Any) -> None:
        queue = self._queue
        if queue is None:
            return
        if queue.qsize() >= QUEUE_LIMIT:
            self._overflowed = True  # (the others are told to resync once it drains)
            return
        queue.put_nowait(self._encode(kind, *items))

    def push(self, users: list[str], text: str, version: int) -> None:
        if users:
            self._send("p", users, text, version)

    def kick(self, token_hash: str, user_id: str, reason: str, message: str, quiet: bool) -> None:
        self._send("k", token_hash, user_id, reason, message, quiet)

    def invalidate(self, kind: str, key: str) -> None:
        self._send("i", kind, key)

    def presence(self, user_id: str, online: bool) -> None:
        self._send("o", user_id, online)

    def versions(self, first: int, last: int) -> None:
        self._send("v", first, last)

    async def _publisher(self) -> None:
        assert self._queue is not None and self._redis is not None
        queue, redis = self._queue, self._redis
        batch: list[bytes] = []
        while not self._closing:
            if not batch:
                batch.append(await queue.get())
                while not queue.empty() and len(batch) < 500:
                    batch.append(queue.get_nowait())
            try:
                if self._publish_failed or self._overflowed:
                    await redis.publish(CHANNEL, self._encode("r"))
                    self._publish_failed = self._overflowed = False
                    log.info("node bus: publishing again; other nodes resynchronise")
                async with redis.pipeline(transaction=False) as pipe:
                    for message in batch:
                        pipe.publish(CHANNEL, message)
                    await pipe.execute()
                batch = []
            except (RedisError, OSError) as exc:
                if not self._publish_failed:
                    log.warning("node bus: cannot publish (%s); retrying", exc)
                self._publish_failed = True
                batch = []  # lost: the others resynchronise once publishing works again
                await asyncio.sleep(self._retry)

    # -- listening -------------------------------------------------------------------------------------
    async def _subscriber(self) -> None:
        assert self._redis is not None
        first = True
        while not self._closing:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                self._subscribed.set()
                if not first:
                    self._resync("the subscription was interrupted")
                first = False
                self._send("h")  # who is there? (every node answers with its users)
                self._send("s", self._local_users())
                while not self._closing:
                    message = await pubsub.get_message(timeout=self._heartbeat)
                    if message is not None and message.get("type") == "message":
                        self._receive(message["data"])
            except (RedisError, OSError) as exc:
                log.warning("node bus: subscription lost (%s); reconnecting", exc)
                await asyncio.sleep(self._retry)
            finally:
                with contextlib.suppress(RedisError, OSError, RuntimeError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _local_users(self) -> list[str]:
        return self._listener.bus_local_users() if self._listener is not None else []

    def _resync(self, why: str) -> None:
        self.resyncs += 1
        log.info("node bus: %s; devices reconnect and catch up from the database", why)
        if self._listener is not None:
            self._listener.bus_resync()

    def _receive(self, raw: bytes) -> None:
        try:
            kind, node, *items = msgspec.json.decode(raw)
        except (msgspec.DecodeError, ValueError, TypeError):
            log.warning("node bus: unreadable message ignored")
            return
        if node == self.node_id:
            return
        self._seen[node] = time.monotonic()
        listener = self._listener
        if listener is None:
            return
        try:
            if kind == "p":
                listener.bus_push(items[0], items[1], items[2])
            elif kind == "v":
                listener.bus_versions(items[0], items[1])
            elif kind == "k":
                listener.bus_kick(*items)
            elif kind == "i":
                listener.bus_invalidate(items[0], items[1])
            elif kind == "o":
                listener.bus_presence(node, items[0], items[1])
            elif kind == "s":
                listener.bus_snapshot(node, items[0])
            elif kind == "h":
                self._send("s", self._local_users())
            elif kind == "r":
                self._resync(f"node {node} may have lost wake-ups")
            elif kind == "g":
                self._seen.pop(node, None)
                listener.bus_node_gone(node)
        except Exception:  # a bad message must not stop the bus
            log.exception("node bus: message %r from %s failed", kind, node)

    async def _beat(self) -> None:
        while not self._closing:
            await asyncio.sleep(self._heartbeat)
            self._send("b")
            if self._unreleased:
                self._start_releasing()
            if self._listener is not None:
                self._listener.bus_tick()
            now = time.monotonic()
            for node, seen in list(self._seen.items()):
                if now - seen > self._node_timeout:
                    del self._seen[node]
                    log.info("node bus: node %s is gone", node)
                    if self._listener is not None:
                        self._listener.bus_node_gone(node)

    # -- shared limits ---------------------------------------------------------------------------------
    async def take(
        self, key: str, rate: float, burst: float, *, peek: bool = False
    ) -> float | None:
        if self._take_script is None or self._limits_down():
            return None
        try:
            async with asyncio.timeout(1):
                wait_ms = await self._take_script(
                    keys=[RATE_PREFIX + key],
                    args=[1000.0 / rate, max(1.0, burst), 0 if peek else 1],
                )
        except (RedisError, OSError, TimeoutError):
            self._limits_failed()
            return None  # Redis cannot answer: the node's own bucket decides
        return float(wait_ms) / 1000

    # After a limit check Redis did not answer, the node's own limits decide for ``retry``
    # seconds: a Redis that hangs must not hold up every request for the timeout.
    def _limits_down(self) -> bool:
        return time.monotonic() < self._limits_retry_at

    def _limits_failed(self) -> None:
        self._limits_retry_at = time.monotonic() + self._retry

    async def hold(self, key: str, limit: int) -> bool | None:
        if self._hold_script is None or self._limits_down():
            return None
        settled = time.monotonic() - self._started > self._node_timeout + self._heartbeat
        alive = [self.node_id, *self._seen]
        try:
            async with asyncio.timeout(1):
                counted = await self._hold_script(
                    keys=[HOLD_PREFIX + key], args=[self.node_id, limit, int(settled), *alive]
                )
        except (RedisError, OSError, TimeoutError):
            self._limits_failed()
            return None  # Redis cannot answer: the node's own count decides
        return bool(int(counted))

    def release(self, key: str) -> None:
        if self._release_script is None:
            return  # closed (this node's counts stop counting once it is gone)
        self._unreleased[key] = self._unreleased.get(key, 0) + 1
        self._start_releasing()

    def _start_releasing(self) -> None:
        if self._releaser is None or self._releaser.done():
            self._releaser = asyncio.get_running_loop().create_task(
                self._release_pending(), name="bus-release"
            )

    async def _release_pending(self) -> None:
        while self._unreleased and self._release_script is not None:
            key, count = next(iter(self._unreleased.items()))
            try:
                async with asyncio.timeout(1):
                    await self._release_script(keys=[HOLD_PREFIX + key], args=[self.node_id, count])
            except (RedisError, OSError, TimeoutError):
                return  # retried with the next heartbeat
            left = self._unreleased.get(key, 0) - count
            if left > 0:
                self._unreleased[key] = left
            else:
                self._unreleased.pop(key, None)
