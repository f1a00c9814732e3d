"""Identifiers shared by server and client.

User and group IDs are 1–32 characters of ``A-Z a-z 0-9 _ - . @``, except ``.`` and ``..``
(they travel in URL paths, where those are dot segments that every HTTP client rewrites).
Conversation IDs follow TIM:
``C2C<userID>`` for one-to-one chats, ``GROUP<groupID>`` for groups and ``@TIM#SYSTEM`` for the
system conversation. A C2C conversation ID is relative to the viewer: Alice's chat with Bob is
``C2Cbob`` for her and ``C2Calice`` for him.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from messenger.protocol.errors import InvalidParameter

_ID_RE = re.compile(r"[A-Za-z0-9_\-.@]{1,32}")
_DOT_SEGMENTS = frozenset({".", ".."})

C2C_PREFIX = "C2C"
GROUP_PREFIX = "GROUP"
SYSTEM_CONVERSATION_ID = "@TIM#SYSTEM"


class ConversationType(enum.StrEnum):
    C2C = "c2c"
    GROUP = "group"
    SYSTEM = "system"


def is_valid_id(value: str) -> bool:
    return _ID_RE.fullmatch(value) is not None and value not in _DOT_SEGMENTS


def check_user_id(value: str) -> str:
    if not isinstance(value, str) or not is_valid_id(value):
        raise InvalidParameter(f"invalid user ID {value!r}", field="user_id")
    return value


def check_group_id(value: str) -> str:
    if not isinstance(value, str) or not is_valid_id(value):
        raise InvalidParameter(f"invalid group ID {value!r}", field="group_id")
    return value


@dataclass(frozen=True, slots=True)
class ConversationRef:
    """A parsed conversation ID: its type and target (peer user ID or group ID)."""

    type: ConversationType
    target: str

    @property
    def conversation_id(self) -> str:
        if self.type is ConversationType.C2C:
            return C2C_PREFIX + self.target
        if self.type is ConversationType.GROUP:
            return GROUP_PREFIX + self.target
        return SYSTEM_CONVERSATION_ID


def parse_conversation_id(conversation_id: str) -> ConversationRef:
    """Parse ``C2C<user>``, ``GROUP<group>`` or ``@TIM#SYSTEM``; raise ``InvalidParameter``."""
    if conversation_id == SYSTEM_CONVERSATION_ID:
        return ConversationRef(ConversationType.SYSTEM, "")
    if conversation_id.startswith(C2C_PREFIX):
        target = conversation_id[len(C2C_PREFIX) :]
        if is_valid_id(target):
            return ConversationRef(ConversationType.C2C, target)
    elif conversation_id.startswith(GROUP_PREFIX):
        target = conversation_id[len(GROUP_PREFIX) :]
        if is_valid_id(target):
            return ConversationRef(ConversationType.GROUP, target)
    raise InvalidParameter(f"invalid conversation ID {conversation_id!r}", field="conversation_id")


def c2c_conversation_id(peer: str) -> str:
    return C2C_PREFIX + peer


def group_conversation_id(group_id: str) -> str:
    return GROUP_PREFIX + group_id


def conversation_id_for(viewer: str, conv_type: str, sender: str, target: str) -> str:
    """The conversation ID of a message as ``viewer`` sees it.

    For C2C messages ``target`` is the receiver: the viewer's conversation is with whichever of
    sender and receiver is not the viewer (a note to self stays ``C2C<self>``).
    """
    if conv_type == ConversationType.GROUP:
        return GROUP_PREFIX + target
    if conv_type == ConversationType.C2C:
        return C2C_PREFIX + (target if sender == viewer else sender)
    return SYSTEM_CONVERSATION_ID
