"""Turning committed writes into pushes: who must hear of it, in which frame.

Everything here is synchronous and runs in on-commit callbacks, in commit order. A frame shared
by many recipients (a group message) is encoded once.
"""

from __future__ import annotations

from collections.abc import Iterable

from messenger.protocol import frames
from messenger.protocol.models import ConversationState, GroupInfo, Message, Receipts, RemindType
from messenger.server.hub import Connection, Hub
from messenger.server.storage.records import ConversationMembers, PeerRead


def _text(frame: frames.ServerFrame) -> str:
    return frames.encode(frame).decode("utf-8")


class Fanout:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    @staticmethod
    def audience(members: ConversationMembers) -> list[str]:
        """Members who receive the conversation's messages (not those who blocked it)."""
        return [u for u, m in members.members.items() if m.remind is not RemindType.BLOCK]

    def message(
        self, message: Message, recipients: Iterable[str], exclude: Connection | None = None
    ) -> int:
        text = _text(
            frames.Changes(changes=[frames.MessageChange(v=message.version, message=message)])
        )
        return self.hub.push(recipients, text, version=message.version, exclude=exclude)

    def messages(self, messages: list[Message], recipients: Iterable[str]) -> None:
        """Several changed messages in one frame (in version order, as the feed would)."""
        if not messages:
            return
        version = max(m.version for m in messages)
        changes: list[frames.AnyChange] = [
            frames.MessageChange(v=m.version, message=m) for m in messages
        ]
        self.hub.push(recipients, _text(frames.Changes(changes=changes)), version=version)

    def state(
        self, user_id: str, state: ConversationState, exclude: Connection | None = None
    ) -> None:
        text = _text(frames.Changes(changes=[frames.StateChange(v=state.version, state=state)]))
        self.hub.push((user_id,), text, version=state.version, exclude=exclude)

    def peer_read(self, read: PeerRead) -> None:
        change = frames.PeerReadChange(
            v=read.version, conversation_id=read.conversation_id, read_seq=read.read_seq
        )
        self.hub.push((read.peer,), _text(frames.Changes(changes=[change])), version=read.version)

    def group(self, group: GroupInfo, recipients: Iterable[str], member: bool = True) -> None:
        change = frames.GroupChange(v=group.version, group=group, member=member)
        text = _text(frames.Changes(changes=[change]))
        self.hub.push(recipients, text, version=group.version)

    def group_and_tip(
        self, group: GroupInfo, members: dict[str, RemindType], tip: Message | None
    ) -> None:
        """A group's change and its tip in one frame to every member who takes the group's
        messages; those who block them get the change alone."""
        if tip is None:
            self.group(group, list(members))
            return
        blocked = [u for u, r in members.items() if r is RemindType.BLOCK]
        audience = [u for u, r in members.items() if r is not RemindType.BLOCK]
        changes: list[frames.AnyChange] = [
            frames.GroupChange(v=group.version, group=group, member=True),
            frames.MessageChange(v=tip.version, message=tip),
        ]
        version = max(group.version, tip.version)
        self.hub.push(audience, _text(frames.Changes(changes=changes)), version=version)
        if blocked:
            self.group(group, blocked)

    def online(
        self, message: Message, recipients: Iterable[str], exclude: Connection | None
    ) -> int:
        return self.hub.push(
            recipients, _text(frames.OnlineMessage(message=message)), exclude=exclude
        )

    def typing(
        self, recipients: Iterable[str], conversation_id: str, user_id: str, typing: bool
    ) -> None:
        """``conversation_id`` as the recipients see it (the same for all of them)."""
        text = _text(
            frames.TypingIn(conversation_id=conversation_id, user_id=user_id, typing=typing)
        )
        self.hub.push(recipients, text)

    def pins(self, user_id: str, conversation_id: str, pinned: list[str], version: int) -> None:
        """A C2C conversation's pins changed (``conversation_id`` as ``user_id`` sees it)."""
        change = frames.PinsChange(v=version, conversation_id=conversation_id, pinned=pinned)
        self.hub.push((user_id,), _text(frames.Changes(changes=[change])), version=version)

    def receipts(self, user_id: str, receipts: Receipts) -> None:
        self.hub.push((user_id,), _text(frames.ReceiptsFrame(receipts=receipts)))
