"""How a node applies what the other nodes publish on the bus (``bus/base.py``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from messenger.server.hub import Hub
from messenger.server.services.auth import AuthService
from messenger.server.services.blocks import BlockIndex
from messenger.server.services.directory import Directory

log = logging.getLogger(__name__)

MEMBERS = "members"  # key: a conversation's storage ID
BLOCKS = "blocks"  # key: the user whose block list changed


@dataclass(slots=True)
class NodeListener:
    hub: Hub
    auth: AuthService
    directory: Directory
    blocks: BlockIndex
    head: Callable[[], Awaitable[int]]  # the database's version counter now
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def catch_up_horizon(self) -> None:
        """Every version the database has now is committed: the horizon starts there."""
        if self.hub.horizon is None:
            return
        try:
            version = await self.head()
        except Exception as exc:  # noqa: BLE001 - the stall check moves it on later anyway
            log.info("version counter not read: %r", exc)
            return
        self.hub.horizon.start_at(version)

    def bus_push(self, users: list[str], text: str, version: int) -> None:
        self.hub.deliver_in_order(users, text, version)

    def bus_versions(self, first: int, last: int) -> None:
        if self.hub.horizon is not None:
            self.hub.horizon.committed(first, last)

    def bus_tick(self) -> None:
        if self.hub.horizon is not None:
            self.hub.horizon.check()

    def bus_kick(
        self, token_hash: str, user_id: str, reason: str, message: str, quiet: bool
    ) -> None:
        self.auth.forget(token_hash, reason)
        if quiet:
            self.hub.close_session_quietly(token_hash, user_id, publish=False)
        else:
            self.hub.kick(token_hash, user_id, reason, message, publish=False)

    def bus_invalidate(self, kind: str, key: str) -> None:
        if kind == MEMBERS:
            self.directory.forget_members(int(key), publish=False)
        elif kind == BLOCKS:
            self.blocks.forget(key)

    def bus_presence(self, node: str, user_id: str, online: bool) -> None:
        self.hub.remote_presence(node, user_id, online)

    def bus_snapshot(self, node: str, users: list[str]) -> None:
        self.hub.remote_snapshot(node, users)

    def bus_node_gone(self, node: str) -> None:
        self.hub.remote_snapshot(node, [])

    def bus_resync(self) -> None:
        self.hub.resync_all()
        task = asyncio.get_running_loop().create_task(self.catch_up_horizon())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def bus_local_users(self) -> list[str]:
        return self.hub.local_users()
