"""The async IM client SDK (no Qt): ``Client`` and the values and events it hands out.

``Client`` is imported on first use (PEP 562), so code that only needs the values (a sign-in
window, say) does not pay for the transports and the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from messenger.core.models import ConnectionState, Conversation, LocalMessage, MessageState

if TYPE_CHECKING:
    from messenger.core.client import Client

__all__ = ["Client", "ConnectionState", "Conversation", "LocalMessage", "MessageState"]


def __getattr__(name: str) -> Any:
    if name == "Client":
        from messenger.core.client import Client

        return Client
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
