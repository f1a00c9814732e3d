"""Pushing what a people write committed: its feed changes to each user concerned, its notices
to their system conversations, and block changes to the block index (on-commit, in order)."""

from __future__ import annotations

from messenger.protocol import frames
from messenger.server.services.blocks import BlockIndex
from messenger.server.services.fanout import Fanout
from messenger.server.storage.people import PeopleOutcome


class PeoplePush:
    def __init__(self, fanout: Fanout, blocks: BlockIndex) -> None:
        self._fanout = fanout
        self._blocks = blocks

    def __call__(self, outcome: PeopleOutcome) -> None:
        for owner, target, blocked in outcome.blocks:
            self._blocks.changed(owner, target, blocked)
        hub = self._fanout.hub
        for user_id, change in outcome.pushes:
            text = frames.encode(frames.Changes(changes=[change])).decode("utf-8")
            hub.push((user_id,), text, version=change.v)
        for notice in outcome.notices:
            self._fanout.message(notice, (notice.target,))

    def changes(self, recipients: list[str], change: frames.AnyChange) -> None:
        text = frames.encode(frames.Changes(changes=[change])).decode("utf-8")
        self._fanout.hub.push(recipients, text, version=change.v)
