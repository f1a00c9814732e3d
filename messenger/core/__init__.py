"""The async IM client SDK (no Qt): ``Client`` and the values and events it hands out."""

from messenger.core.client import Client
from messenger.core.models import ConnectionState, Conversation, LocalMessage, MessageState

__all__ = ["Client", "ConnectionState", "Conversation", "LocalMessage", "MessageState"]
