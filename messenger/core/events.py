"""What the client tells its UI: small immutable events on one synchronous bus.

Events are delivered on the event loop, in the order things happened. A handler that raises is
logged and skipped; it never breaks the client or the other handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from messenger.core.models import ConnectionState, Conversation, LocalMessage
from messenger.core.transfers.models import Transfer
from messenger.protocol.models import GroupInfo, Message, Profile, ReceiptCount
from messenger.protocol.social import UserStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MessagesAdded:
    """New messages in one conversation (received, synced or my own local echo), ascending."""

    conversation_id: str
    messages: tuple[LocalMessage, ...]


@dataclass(frozen=True, slots=True)
class MessageUpdated:
    """A known message changed: sent, failed, recalled."""

    conversation_id: str
    message: LocalMessage


@dataclass(frozen=True, slots=True)
class MentionedByEdit:
    """An edit of a message added me to its mentions (those mentioned before are not told)."""

    conversation_id: str
    message: LocalMessage


@dataclass(frozen=True, slots=True)
class PinsChanged:
    """The pinned messages of a conversation, oldest pin first."""

    conversation_id: str
    pinned: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConversationsChanged:
    """These conversations changed (including ones now hidden or cleared)."""

    conversations: tuple[Conversation, ...]


@dataclass(frozen=True, slots=True)
class TotalUnreadChanged:
    total: int


@dataclass(frozen=True, slots=True)
class ConnectionStateChanged:
    state: ConnectionState


@dataclass(frozen=True, slots=True)
class KickedOut:
    """This session ended (another device, UserSig expired, banned, revoked); no reconnects."""

    reason: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class TypingChanged:
    conversation_id: str
    user_id: str
    typing: bool


@dataclass(frozen=True, slots=True)
class OnlineMessageReceived:
    """An online-only message: shown now, never stored."""

    conversation_id: str
    message: Message


@dataclass(frozen=True, slots=True)
class ReceiptsChanged:
    """Read counts of my group messages changed."""

    conversation_id: str
    receipts: tuple[ReceiptCount, ...]


@dataclass(frozen=True, slots=True)
class PeerReadChanged:
    """The peer of a C2C conversation has read up to ``read_seq``."""

    conversation_id: str
    read_seq: int


@dataclass(frozen=True, slots=True)
class DraftChanged:
    """The draft of a conversation changed; ``remote`` when it came from another device."""

    conversation_id: str
    text: str
    edit_time: int
    remote: bool


@dataclass(frozen=True, slots=True)
class GroupChanged:
    """A group I belong to was created or changed; ``member`` is False once I left it."""

    group: GroupInfo
    member: bool


@dataclass(frozen=True, slots=True)
class ProfilesChanged:
    """Stored profiles (mine or others') that are new or changed: fetched or synced."""

    profiles: tuple[Profile, ...]


@dataclass(frozen=True, slots=True)
class ContactsChanged:
    """Parts of my people side changed: "friends", "requests", "groups", "blocks" (read them
    again from the client: ``friends()``, ``friend_requests()``, ...)."""

    parts: frozenset[str]


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    """Users came online, went offline or changed their status text (pushed, not stored)."""

    statuses: tuple[UserStatus, ...]


@dataclass(frozen=True, slots=True)
class GroupOnlineChanged:
    """How many members of a live room are online, and how many it has, as the server pushed
    it (not stored)."""

    group_id: str
    online: int
    members: int


@dataclass(frozen=True, slots=True)
class SyncCompleted:
    """Caught up with the server at ``version``; live changes follow."""

    version: int


@dataclass(frozen=True, slots=True)
class TransferChanged:
    """An upload or download started, moved on (at most every 100 ms), paused or ended."""

    transfer: Transfer


Event = (
    MessagesAdded
    | MessageUpdated
    | MentionedByEdit
    | PinsChanged
    | ConversationsChanged
    | TotalUnreadChanged
    | ConnectionStateChanged
    | KickedOut
    | TypingChanged
    | OnlineMessageReceived
    | ReceiptsChanged
    | PeerReadChanged
    | DraftChanged
    | GroupChanged
    | ProfilesChanged
    | ContactsChanged
    | PresenceChanged
    | GroupOnlineChanged
    | SyncCompleted
    | TransferChanged
)

Handler = Callable[[Event], None]


class EventBus:
    """Synchronous publish/subscribe; one per client."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call ``handler`` for every event from now on; returns the function that stops it."""
        self._handlers.append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for handler in tuple(self._handlers):
            try:
                handler(event)
            except Exception:
                log.exception("event handler %r failed on %s", handler, type(event).__name__)

    def publish_all(self, events: Sequence[Event]) -> None:
        for event in events:
            self.publish(event)
