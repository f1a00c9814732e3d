"""One conversation as the list paints it: ``ConversationRow``, made from the core's
``Conversation`` and the names known so far."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from messenger.core.models import Conversation
from messenger.protocol.ids import ConversationType
from messenger.protocol.models import RemindType
from messenger.viewmodels.formatting import list_time, single_line
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.texts import preview_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Conversations", text)


@dataclass(frozen=True, slots=True)
class ConversationRow:
    conversation_id: str
    type: ConversationType
    avatar_key: str  # the user ID or GROUP… conversation ID: the avatar image and colour
    name: str
    flag: str  # "[@me]" or "[Draft]" (painted in the alert colour before the preview), or ""
    preview: str
    time_text: str
    badge: int
    muted: bool  # remind type silent or block: grey badge, muted icon
    pinned: bool


def conversation_name(conversation: Conversation, names: NamesViewModel) -> str:
    """Group name; for C2C the peer's nickname, else ID; the system conversation's title."""
    if conversation.type == ConversationType.SYSTEM:
        return _tr("System notifications")
    if conversation.type == ConversationType.GROUP:
        return conversation.group_name or conversation.target
    if conversation.target == names.me:
        return _tr("Saved messages")
    return names.display(conversation.target)


def people_of(conversation: Conversation) -> list[str]:
    """The users whose names the row shows: the peer, the last message's sender and operator."""
    found = []
    if conversation.type == ConversationType.C2C:
        found.append(conversation.target)
    message = conversation.last_message
    if message is not None:
        found.append(message.sender)
        operator = message.body.get("operator")
        if isinstance(operator, str) and operator:
            found.append(operator)
        if message.recalled_by:
            found.append(message.recalled_by)
    return found


def conversation_row(
    conversation: Conversation, me: str, names: NamesViewModel, now_ms: int
) -> ConversationRow:
    group = conversation.target if conversation.type == ConversationType.GROUP else ""

    def name_of(user_id: str) -> str:
        return names.display(user_id, group)

    flag, preview = "", preview_text(conversation.last_message, me, name_of)
    if conversation.mention:
        flag = _tr("[@me]")
    elif conversation.draft_text.strip():
        flag, preview = _tr("[Draft]"), single_line(conversation.draft_text)
    time_ms = conversation.activity_time
    if conversation.last_message is not None:
        time_ms = max(time_ms, conversation.last_message.time)
    return ConversationRow(
        conversation_id=conversation.conversation_id,
        type=conversation.type,
        # A group's key is its conversation ID: a user and a group may share an ID.
        avatar_key=conversation.conversation_id if group else conversation.target,
        name=conversation_name(conversation, names),
        flag=flag,
        preview=preview,
        time_text=list_time(time_ms, now_ms),
        badge=conversation.badge,
        muted=conversation.remind is not RemindType.NOTIFY,
        pinned=conversation.pinned,
    )


def sort_key(conversation: Conversation) -> tuple[int, int, int, str]:
    """The list's order (the store's): pinned first, latest pin first, then latest activity."""
    pinned = conversation.pinned
    return (
        0 if pinned else 1,
        -conversation.pin_time if pinned else 0,
        -conversation.activity_time,
        conversation.conversation_id,
    )
