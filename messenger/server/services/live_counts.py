"""Live rooms' online counts, pushed to their online members.

A live room (AVChatRoom) is watched from the moment someone joins, quits or is removed, or asks
its count. When a member's first device connects or their last one leaves, or the membership
changes, the room's count is taken again and, if it moved, sent to its online members in a
``group_online`` frame (with the number of members: joins are not told to thousands of viewers
one by one): at most one frame a second per room, so thousands of viewers arriving together
make one frame a second, not one each. A change after a quiet second is told 0.2 s later, with
the rest of its burst (a hundred viewers leaving at once make one frame, not two). The frame is encoded once for all of them. A room nobody is online in is no longer
watched. With several nodes, each node tells its own devices about the rooms it watches.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from messenger.protocol import frames
from messenger.protocol.errors import MessengerError
from messenger.server.hub import Hub
from messenger.server.services.directory import Directory

log = logging.getLogger(__name__)

PERIOD_S = 1.0
GATHER_S = 0.2  # a change after a quiet second waits this long for the rest of its burst


@dataclass(slots=True)
class _Room:
    group_id: str
    told: tuple[int, int] = (-1, -1)  # (online, members) last pushed
    last_push: float = float("-inf")  # monotonic time of the last count taken
    pending: bool = False  # a count is scheduled or running


class LiveCounts:
    def __init__(
        self,
        hub: Hub,
        directory: Directory,
        period_s: float = PERIOD_S,
        gather_s: float = GATHER_S,
    ) -> None:
        self._hub = hub
        self._directory = directory
        self._period = period_s
        self._gather = gather_s
        self._rooms: dict[int, _Room] = {}  # conv_id → watched room
        self._tasks: set[asyncio.Task[None]] = set()
        hub.presence_watchers.append(self.presence_changed)

    def watch(self, conv_id: int, group_id: str, *, changed: bool = False) -> None:
        """Follow a live room's count; ``changed``: its members changed, count again."""
        room = self._rooms.get(conv_id)
        if room is None:
            room = self._rooms[conv_id] = _Room(group_id)
            changed = True
        if changed:
            self._schedule(conv_id, room)

    def presence_changed(self, user_id: str, online: bool) -> None:
        """Someone's first device connected or last one left: the rooms they are in count again
        (every watched room when its members are not cached)."""
        members_cached = self._directory.members_cached
        for conv_id, room in self._rooms.items():
            if room.pending:
                continue
            members = members_cached(conv_id)
            if members is None or user_id in members.members:
                self._schedule(conv_id, room)

    def _schedule(self, conv_id: int, room: _Room) -> None:
        if room.pending:
            return
        room.pending = True
        delay = max(self._gather, room.last_push + self._period - time.monotonic())
        asyncio.get_running_loop().call_later(delay, self._start, conv_id)

    def _start(self, conv_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._count(conv_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _count(self, conv_id: int) -> None:
        room = self._rooms.get(conv_id)
        if room is None:
            return
        try:
            members = await self._directory.members(conv_id)
        except MessengerError as exc:  # the room is gone
            log.info("live room %s no longer counted: %r", room.group_id, exc)
            self._rooms.pop(conv_id, None)
            return
        finally:
            room.pending = False
            room.last_push = time.monotonic()
        is_online = self._hub.is_online
        online = [u for u in members.members if is_online(u)]
        if not online:
            self._rooms.pop(conv_id, None)  # nobody to tell; watched again on the next join
            return
        counts = (len(online), len(members.members))
        if counts != room.told:
            room.told = counts
            frame = frames.GroupOnline(group_id=room.group_id, online=counts[0], members=counts[1])
            self._hub.deliver(online, frames.encode(frame).decode("utf-8"))

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._rooms.clear()
