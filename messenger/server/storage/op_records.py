"""Records of the message operations (edit, reactions, delete for me, bundles, C2C pins)."""

from __future__ import annotations

from dataclasses import dataclass

from messenger.protocol.models import Message


@dataclass(frozen=True, slots=True)
class MessageOp:
    """An operation on ``message_id`` of a conversation by ``by``."""

    conv_id: int
    kind: str
    key: str
    message_id: str
    by: str


@dataclass(frozen=True, slots=True)
class EditOp:
    target: MessageOp
    body: dict[str, object]
    mentions: list[str]
    mention_all: bool
    window_ms: int


@dataclass(frozen=True, slots=True)
class ReactOp:
    target: MessageOp
    emoji: str
    add: bool
    limit: int  # distinct emoji a message may carry


@dataclass(frozen=True, slots=True)
class OpOutcome:
    """The message after the operation, whether it changed, and who sees the change."""

    message: Message
    changed: bool
    viewers: list[str]


@dataclass(frozen=True, slots=True)
class HideOutcome:
    """Messages just deleted for ``user_id``, as that user's devices now see them."""

    user_id: str
    messages: list[Message]


@dataclass(frozen=True, slots=True)
class PinsOutcome:
    """A C2C conversation's pins now; ``version`` 0 when nothing changed."""

    pinned: list[str]
    version: int
    participants: list[tuple[str, str]]  # (user ID, the conversation ID as they see it)
