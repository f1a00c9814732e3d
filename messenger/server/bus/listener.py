"""How a node applies what the other nodes publish on the bus (``bus/base.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from messenger.server.hub import Hub
from messenger.server.services.auth import AuthService
from messenger.server.services.blocks import BlockIndex
from messenger.server.services.directory import Directory

MEMBERS = "members"  # key: a conversation's storage ID
BLOCKS = "blocks"  # key: the user whose block list changed


@dataclass(slots=True)
class NodeListener:
    hub: Hub
    auth: AuthService
    directory: Directory
    blocks: BlockIndex

    def bus_push(self, users: list[str], text: str, version: int) -> None:
        self.hub.deliver(users, text, version=version)

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

    def bus_local_users(self) -> list[str]:
        return self.hub.local_users()
