"""The connection hub: which devices are online, and delivery of frames to them.

A frame for a live device is written to its socket at once (``write``: synchronous, buffered by
the socket and flushed once per event-loop iteration), so pushing one message to 10,000 devices
costs no task and no coroutine per device. Frames that have to wait (the device is still
catching up, or its socket is paused by flow control) go to the device's queue, drained in order
by a task that exists only while there is something to drain, so one slow reader never holds up
the others. Changes carry their version: while a device catches up from the database, live
changes wait in its queue, and those the catch-up already covered are skipped. A queue that grows
past its limit closes the socket (the device reconnects and resyncs; nothing is lost).

With several nodes, the hub also publishes what it pushes, kicks and who is connected on the
node bus (``bus/base.py``), and delivers what other nodes publish to its own devices
(``deliver``). Changes of every node reach a device in version order: a change waits until
every version below it is known to be committed and pushed (``bus/horizon.py``), so a device's
sync cursor never passes a change it has not received. A live change is skipped only when the
device's catch-up from the database already covered it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from messenger.protocol import frames
from messenger.server.bus.base import LocalBus, NodeBus
from messenger.server.bus.horizon import VersionHorizon

log = logging.getLogger(__name__)

SendText = Callable[[str], Awaitable[None]]
WriteText = Callable[[str], bool]
Close = Callable[[int, str], Awaitable[None]]


@dataclass(slots=True)
class _Item:
    version: int  # 0 for frames outside the change feed (acks, typing, receipts…)
    text: str


class Connection:
    """One device's live socket, seen from the hub.

    Frames leave in the order they were pushed: directly (``write``) while nothing waits in the
    queue and no queued frame is being sent, else through the queue."""

    __slots__ = (
        "_close",
        "_live",
        "_queue",
        "_queue_limit",
        "_send_text",
        "_sending",
        "_task",
        "_write",
        "caught_up",
        "close_code",
        "closed",
        "device_id",
        "expires_at",
        "expiry_notified",
        "sent_version",
        "token_hash",
        "user_id",
    )

    def __init__(
        self,
        *,
        user_id: str,
        device_id: str,
        token_hash: str,
        expires_at: int,
        send_text: SendText,
        close: Close,
        queue_limit: int,
        write: WriteText | None = None,
    ) -> None:
        self.user_id = user_id
        self.device_id = device_id
        self.token_hash = token_hash
        self.expires_at = expires_at
        self.expiry_notified = False
        self._send_text = send_text
        self._write = write
        self._close = close
        self._queue_limit = queue_limit
        self._queue: deque[_Item] = deque()
        self._live = False
        self._sending = False  # the drain task has taken a frame and is sending it
        self.sent_version = 0  # the highest version sent
        self.caught_up = 0  # the catch-up from the database covered every version up to this
        self.closed = False
        self.close_code: int | None = None
        self._task: asyncio.Task[None] | None = None

    # -- producers (event loop, synchronous) ----------------------------------------------------------
    def push(self, version: int, text: str) -> None:
        if self.closed:
            return
        if self._live and not self._queue and not self._sending:
            if version:
                if version <= self.caught_up:
                    return  # already covered by the catch-up
                if self._write is not None and self._write(text):
                    self.sent_version = max(self.sent_version, version)
                    return
            elif self._write is not None and self._write(text):
                return
        if len(self._queue) >= self._queue_limit:
            log.warning("dropping slow device %s/%s", self.user_id, self.device_id)
            self.close_soon(frames.CLOSE_TOO_SLOW, "too slow")
            return
        self._queue.append(_Item(version, text))
        if self._live and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._drain())

    def close_soon(self, code: int, reason: str, final_text: str | None = None) -> None:
        """Send ``final_text`` (if any) after what is queued, then close."""
        if self.closed:
            return
        self.closed = True
        self.close_code = code
        asyncio.get_running_loop().create_task(self._finish(code, reason, final_text))

    async def _finish(self, code: int, reason: str, final_text: str | None) -> None:
        try:
            if final_text is not None:
                await self._send_text(final_text)
        except Exception:  # noqa: BLE001 - the socket may already be gone
            pass
        try:
            await self._close(code, reason)
        except Exception:  # noqa: BLE001 - the socket may already be gone
            pass

    # -- sending ----------------------------------------------------------------------------------------
    async def send_now(self, text: str) -> None:
        """Send directly, ahead of the queue (catch-up pages, acks on the request path)."""
        await self._send_text(text)

    def go_live(self, caught_up_to: int) -> None:
        """Catch-up is done up to ``caught_up_to``: what waits in the queue goes out, and from
        now on frames are written directly."""
        self.sent_version = max(self.sent_version, caught_up_to)
        self.caught_up = max(self.caught_up, caught_up_to)
        self._live = True
        if self._queue and self._task is None and not self.closed:
            self._task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        """Send what is queued, in order; ends when the queue is empty."""
        queue = self._queue
        try:
            while queue and not self.closed:
                item = queue.popleft()
                if item.version:
                    if item.version <= self.caught_up:
                        continue  # already covered by the catch-up
                    self.sent_version = max(self.sent_version, item.version)
                self._sending = True
                try:
                    await self._send_text(item.text)
                finally:
                    self._sending = False
        except Exception as exc:  # noqa: BLE001 - a broken socket ends the connection
            log.debug("sender for %s/%s stopped: %r", self.user_id, self.device_id, exc)
            self.closed = True
        finally:
            self._task = None

    async def stop(self) -> None:
        self.closed = True
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping anyway
                pass


class Hub:
    def __init__(self, bus: NodeBus | None = None) -> None:
        self._by_user: dict[str, dict[int, Connection]] = {}
        self.bus: NodeBus = bus or LocalBus()
        self._elsewhere: dict[str, set[str]] = {}  # user → other nodes with a device of theirs
        self._nodes: dict[str, set[str]] = {}  # other node → its users
        # several nodes: changes wait for every lower version (None: one node, in order anyway)
        self.horizon: VersionHorizon | None = VersionHorizon() if self.bus.shared else None
        if self.horizon is not None:
            self.horizon.on_stall = self.resync_all
        self.on_count_changed: Callable[[int], None] | None = None
        # (user, online): the user's first device connected, or the last one left (anywhere)
        self.on_presence: Callable[[str, bool], None] | None = None
        # (user, online): the same, seen from here when it happened on another node
        self.on_remote_presence: Callable[[str, bool], None] | None = None
        # (user, online) wherever it happened, for more listeners than the presence service
        self.presence_watchers: list[Callable[[str, bool], None]] = []
        self._count = 0

    @property
    def connection_count(self) -> int:
        return self._count

    def register(self, conn: Connection) -> None:
        devices = self._by_user.setdefault(conn.user_id, {})
        devices[id(conn)] = conn
        self._count += 1
        if len(devices) == 1:
            self.bus.presence(conn.user_id, True)
            if conn.user_id not in self._elsewhere:
                self._presence_moved(conn.user_id, True)
        if self.on_count_changed:
            self.on_count_changed(self._count)

    def unregister(self, conn: Connection) -> None:
        devices = self._by_user.get(conn.user_id)
        if devices is not None and devices.pop(id(conn), None) is not None:
            self._count -= 1
            if not devices:
                del self._by_user[conn.user_id]
                self.bus.presence(conn.user_id, False)
                if conn.user_id not in self._elsewhere:
                    self._presence_moved(conn.user_id, False)
            if self.on_count_changed:
                self.on_count_changed(self._count)

    def _presence_moved(self, user_id: str, online: bool) -> None:
        if self.on_presence is not None:
            self.on_presence(user_id, online)
        for watcher in self.presence_watchers:
            watcher(user_id, online)

    def connections_of(self, user_id: str) -> list[Connection]:
        """This node's sockets of ``user_id``."""
        return list(self._by_user.get(user_id, {}).values())

    def session_connection(self, user_id: str, token_hash: str) -> Connection | None:
        """The socket of one session (a device), if it is connected to this node."""
        for conn in self._by_user.get(user_id, {}).values():
            if conn.token_hash == token_hash and not conn.closed:
                return conn
        return None

    def is_online(self, user_id: str) -> bool:
        """A device of ``user_id`` is connected to this node or another one."""
        return user_id in self._by_user or user_id in self._elsewhere

    def all_connections(self) -> list[Connection]:
        return [c for devices in self._by_user.values() for c in devices.values()]

    def local_users(self) -> list[str]:
        return list(self._by_user)

    def push(
        self,
        user_ids: Iterable[str],
        text: str,
        *,
        version: int = 0,
        exclude: Connection | None = None,
    ) -> int:
        """Queue one encoded frame for every device of ``user_ids``, on every node; returns how
        many devices of this node got it."""
        if self.bus.shared:
            users = list(user_ids)
            self.bus.push(users, text, version)
            return self.deliver_in_order(users, text, version, exclude)
        return self.deliver(user_ids, text, version=version, exclude=exclude)

    def deliver_in_order(
        self, users: list[str], text: str, version: int, exclude: Connection | None = None
    ) -> int:
        """``deliver`` once every lower version is known (several nodes); 0 if it waits."""
        horizon = self.horizon
        if horizon is None or not version or version <= horizon.covered:
            return self.deliver(users, text, version=version, exclude=exclude)
        horizon.hold_or_run(
            version, lambda: self.deliver(users, text, version=version, exclude=exclude)
        )
        return 0

    def committed(self, first: int, last: int) -> None:
        """This node committed a batch with these versions (after its pushes)."""
        if self.horizon is not None:
            self.bus.versions(first, last)
            self.horizon.committed(first, last)

    def deliver(
        self,
        user_ids: Iterable[str],
        text: str,
        *,
        version: int = 0,
        exclude: Connection | None = None,
    ) -> int:
        """``push`` to this node's devices only (what another node published)."""
        delivered = 0
        by_user = self._by_user
        for user_id in user_ids:
            devices = by_user.get(user_id)
            if not devices:
                continue
            for conn in devices.values():
                if conn is not exclude:
                    conn.push(version, text)
                    delivered += 1
        return delivered

    def kick(
        self, token_hash: str, user_id: str, reason: str, message: str = "", *, publish: bool = True
    ) -> None:
        """End a session's socket, on whichever node holds it."""
        if publish:
            self.bus.kick(token_hash, user_id, reason, message, False)
        for conn in self.connections_of(user_id):
            if conn.token_hash == token_hash:
                text = frames.encode(frames.Kicked(reason=reason, message=message)).decode()
                conn.close_soon(frames.CLOSE_KICKED, reason, final_text=text)

    def close_session_quietly(self, token_hash: str, user_id: str, *, publish: bool = True) -> None:
        """End the socket of a session replaced by the same device signing in again."""
        if publish:
            self.bus.kick(token_hash, user_id, "replaced", "", True)
        for conn in self.connections_of(user_id):
            if conn.token_hash == token_hash:
                conn.close_soon(1000, "replaced")

    # -- what the other nodes tell -----------------------------------------------------------------
    def remote_presence(self, node: str, user_id: str, online: bool) -> None:
        was_online = self.is_online(user_id)
        self._remote_presence(node, user_id, online)
        if self.is_online(user_id) != was_online:
            if self.on_remote_presence is not None:
                self.on_remote_presence(user_id, not was_online)
            for watcher in self.presence_watchers:
                watcher(user_id, not was_online)

    def _remote_presence(self, node: str, user_id: str, online: bool) -> None:
        users = self._nodes.setdefault(node, set())
        if online:
            users.add(user_id)
            self._elsewhere.setdefault(user_id, set()).add(node)
        else:
            users.discard(user_id)
            nodes = self._elsewhere.get(user_id)
            if nodes is not None:
                nodes.discard(node)
                if not nodes:
                    del self._elsewhere[user_id]

    def remote_snapshot(self, node: str, users: list[str]) -> None:
        """``node`` has exactly ``users`` connected (none: it is gone)."""
        for user_id in self._nodes.pop(node, set()) - set(users):
            self.remote_presence(node, user_id, False)
        for user_id in users:
            self.remote_presence(node, user_id, True)
        if not users:
            self._nodes.pop(node, None)

    def resync_all(self) -> None:
        """Wake-ups may have been lost: every device reconnects and catches up."""
        for conn in self.all_connections():
            conn.close_soon(frames.CLOSE_SERVER_SHUTDOWN, "resync")

    async def shutdown(self) -> None:
        for conn in self.all_connections():
            conn.close_soon(frames.CLOSE_SERVER_SHUTDOWN, "server shutting down")
        await asyncio.sleep(0)
