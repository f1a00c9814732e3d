"""The node bus: the one seam between a server node and the others of its deployment.

A node publishes what other nodes must hear of, and its ``BusListener`` applies what they
publish:

- wake-ups: a frame for users' devices (a committed change, a receipt, typing…), delivered by
  every node to the devices connected to it;
- kicks: a session ended (kicked, replaced, logged out, banned, expired): every node forgets it
  and closes its socket if it holds it;
- cache invalidation: a conversation's members, a user's block list;
- presence: which users have a device connected to which node (so ``is_online`` and online
  counts are the deployment's);
- committed version ranges, so that every node delivers changes in version order
  (``bus/horizon.py``);
- shared limits: token buckets (``take``) and counts of open connections (``hold``,
  ``release``).

The database stays the truth. A wake-up that is lost (a bus outage) costs latency, never a
message: a node that may have missed some closes its sockets, and the devices reconnect and
catch up from the database.

``LocalBus`` (the default) is the single node's bus: nothing to tell anyone, and rate limits are
kept by the node itself. ``RedisBus`` (``messenger-server --redis redis://…``) joins nodes.
"""

from __future__ import annotations

import abc
from typing import Protocol


class BusListener(Protocol):
    """What a node does with what the other nodes publish (``bus/listener.py``)."""

    def bus_push(self, users: list[str], text: str, version: int) -> None: ...

    def bus_kick(
        self, token_hash: str, user_id: str, reason: str, message: str, quiet: bool
    ) -> None: ...

    def bus_invalidate(self, kind: str, key: str) -> None: ...

    def bus_presence(self, node: str, user_id: str, online: bool) -> None: ...

    def bus_snapshot(self, node: str, users: list[str]) -> None: ...

    def bus_node_gone(self, node: str) -> None: ...

    def bus_resync(self) -> None: ...

    def bus_versions(self, first: int, last: int) -> None: ...

    def bus_tick(self) -> None: ...

    def bus_local_users(self) -> list[str]: ...


class NodeBus(abc.ABC):
    """Publishing is synchronous and never fails (it is queued); see the module's docstring."""

    shared = False  # False: no other node can hear anything (publishing is skipped)
    node_id = "local"

    def attach(self, listener: BusListener) -> None:  # noqa: B027 - optional for a lone node
        """Set who applies what the other nodes publish."""

    async def start(self) -> None:  # noqa: B027
        """Connect (a shared bus keeps trying in the background)."""

    async def close(self) -> None:  # noqa: B027
        """Say goodbye and disconnect."""

    @abc.abstractmethod
    def push(self, users: list[str], text: str, version: int) -> None: ...

    @abc.abstractmethod
    def kick(
        self, token_hash: str, user_id: str, reason: str, message: str, quiet: bool
    ) -> None: ...

    @abc.abstractmethod
    def invalidate(self, kind: str, key: str) -> None: ...

    @abc.abstractmethod
    def presence(self, user_id: str, online: bool) -> None: ...

    def versions(self, first: int, last: int) -> None:  # noqa: B027 - a lone node needs none
        """A batch of this node with these versions committed, its pushes published."""

    async def take(
        self, key: str, rate: float, burst: float, *, peek: bool = False
    ) -> float | None:
        """Take one token of the deployment-wide bucket ``key``: 0 if allowed, else the seconds
        to wait; None when there is no shared bucket (the node's own limiter decides). With
        ``peek`` nothing is taken: would a take be allowed?"""
        return None

    async def hold(self, key: str, limit: int) -> bool | None:
        """Count one more open connection under ``key`` for this node, if all nodes together
        hold fewer than ``limit``: True if counted, False if refused, None when there is no
        shared count (the node's own count decides)."""
        return None

    def release(self, key: str) -> None:  # noqa: B027 - nothing is held on a lone node
        """One fewer under ``key`` (after a ``hold`` that answered True)."""


class LocalBus(NodeBus):
    """A single node: nobody else to tell."""

    def push(self, users: list[str], text: str, version: int) -> None:
        pass

    def kick(self, token_hash: str, user_id: str, reason: str, message: str, quiet: bool) -> None:
        pass

    def invalidate(self, kind: str, key: str) -> None:
        pass

    def presence(self, user_id: str, online: bool) -> None:
        pass
