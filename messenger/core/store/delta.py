"""What one store write changed, and the events that tell the UI about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from messenger.core.events import (
    ContactsChanged,
    ConversationsChanged,
    DraftChanged,
    Event,
    EventBus,
    GroupChanged,
    MentionedByEdit,
    MessagesAdded,
    MessageUpdated,
    PeerReadChanged,
    PinsChanged,
    ProfilesChanged,
    TotalUnreadChanged,
)
from messenger.core.models import Conversation, LocalMessage
from messenger.protocol.models import GroupInfo, Profile


@dataclass(slots=True)
class StoreDelta:
    """Everything a write changed; empty when it changed nothing (applied twice, stale)."""

    added: dict[str, list[LocalMessage]] = field(default_factory=dict)
    updated: list[LocalMessage] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    total_unread: int | None = None  # set when the total changed
    peer_read: dict[str, int] = field(default_factory=dict)
    drafts: list[DraftChanged] = field(default_factory=list)
    groups: list[tuple[GroupInfo, bool]] = field(default_factory=list)
    # Conversations no longer blocked (no event: the messages the feed held back are fetched).
    unblocked: list[str] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)  # stored profiles that changed
    people: set[str] = field(default_factory=set)  # "friends", "requests", "groups", "blocks"
    pins: dict[str, tuple[str, ...]] = field(default_factory=dict)  # conversation → pinned IDs
    mentioned: list[LocalMessage] = field(default_factory=list)  # @me added by an edit

    def events(self) -> list[Event]:
        """Per batch: one ``MessagesAdded`` per conversation, one ``ConversationsChanged``."""
        events: list[Event] = []
        for conversation_id, messages in self.added.items():
            messages.sort(key=lambda m: (m.seq == 0, m.seq, m.time))
            events.append(MessagesAdded(conversation_id, tuple(messages)))
        events.extend(MessageUpdated(m.conversation_id, m) for m in self.updated)
        events.extend(MentionedByEdit(m.conversation_id, m) for m in self.mentioned)
        events.extend(PinsChanged(cid, pinned) for cid, pinned in self.pins.items())
        events.extend(PeerReadChanged(cid, seq) for cid, seq in self.peer_read.items())
        events.extend(self.drafts)
        events.extend(GroupChanged(group, member) for group, member in self.groups)
        if self.profiles:
            events.append(ProfilesChanged(tuple(self.profiles)))
        if self.people:
            events.append(ContactsChanged(frozenset(self.people)))
        if self.conversations:
            events.append(ConversationsChanged(tuple(self.conversations)))
        if self.total_unread is not None:
            events.append(TotalUnreadChanged(self.total_unread))
        return events

    def publish(self, bus: EventBus) -> None:
        bus.publish_all(self.events())
