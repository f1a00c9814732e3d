"""What a message says in words: previews for the conversation list, tips and notices, recall
placeholders. Plain text only; names come from the caller (name card → nickname → ID)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from messenger.core.models import LocalMessage
from messenger.protocol.ids import ConversationType
from messenger.protocol.models import MessageKind
from messenger.viewmodels.formatting import single_line
from messenger.viewmodels.group_texts import group_notice_text, group_tip_text

NameOf = Callable[[str], str]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def recalled_text(message: LocalMessage, me: str, name_of: NameOf) -> str:
    who = message.recalled_by or message.sender
    if who == me:
        return _tr("You recalled a message")
    return _tr("{name} recalled a message").format(name=name_of(who))


def _people(user_ids: list[str], me: str, name_of: NameOf) -> str:
    names = [_tr("you") if u == me else name_of(u) for u in user_ids]
    return QCoreApplication.translate("Messages", ", ", "between names in a list").join(names)


def tip_text(body: dict[str, Any], me: str, name_of: NameOf) -> str:
    """A group tip: ``alice added bob``."""
    operator = str(body.get("operator", ""))
    who = _tr("You") if operator == me else name_of(operator)
    targets = [str(t) for t in body.get("targets", []) if isinstance(t, str)]
    tip = body.get("tip")
    if tip == "group_created":
        detail = body.get("detail")
        name = str(detail.get("name", "")) if isinstance(detail, dict) else ""
        return _tr("{who} created the group “{name}”").format(who=who, name=name)
    if tip == "members_added":
        return _tr("{who} added {people}").format(who=who, people=_people(targets, me, name_of))
    found = group_tip_text(str(tip), who, _people(targets, me, name_of), body)
    return found if found is not None else _tr("The group was updated")


def notice_text(body: dict[str, Any], me: str, name_of: NameOf) -> str:
    """A system notice: ``bob added you to Team``, ``bob wants to be your friend``."""
    notice = body.get("notice")
    who = name_of(str(body.get("operator", "")))
    if notice == "friend_request":
        detail = body.get("detail")
        note = str(detail.get("note", "")) if isinstance(detail, dict) else ""
        if note:
            return _tr("{who} wants to be your friend: {note}").format(who=who, note=note)
        return _tr("{who} wants to be your friend").format(who=who)
    if notice == "friend_request_accepted":
        return _tr("{who} accepted your friend request").format(who=who)
    if notice == "friend_request_refused":
        return _tr("{who} declined your friend request").format(who=who)
    if notice == "friend_added":
        return _tr("{who} added you as a friend").format(who=who)
    if notice == "added_to_group":
        operator = str(body.get("operator", ""))
        group = str(body.get("group_name", "")) or str(body.get("group_id", ""))
        return _tr("{who} added you to {group}").format(who=name_of(operator), group=group)
    group = str(body.get("group_name", "")) or str(body.get("group_id", ""))
    found = group_notice_text(str(notice), who, group, body)
    return found if found is not None else _tr("[Unsupported message]")


def custom_text(body: dict[str, Any]) -> str:
    description = body.get("description")
    if isinstance(description, str) and description:
        return description
    return _tr("[Custom message]")


def message_text(message: LocalMessage, me: str, name_of: NameOf) -> str:
    """The words of a message: its text, or what a tip, notice or custom message means."""
    if message.recalled:
        return recalled_text(message, me, name_of)
    kind = message.kind
    if kind == MessageKind.TEXT:
        return message.text
    if kind == MessageKind.TIP:
        return tip_text(message.body, me, name_of)
    if kind == MessageKind.NOTICE:
        return notice_text(message.body, me, name_of)
    if kind == MessageKind.CUSTOM:
        return custom_text(message.body)
    return _tr("[Unsupported message]")


def preview_text(message: LocalMessage | None, me: str, name_of: NameOf) -> str:
    """One line for the conversation list; in groups others' messages say who wrote them."""
    if message is None:
        return ""
    text = single_line(message_text(message, me, name_of))
    plain = message.kind not in (MessageKind.TIP, MessageKind.NOTICE)
    if (
        message.conv_type == ConversationType.GROUP
        and plain
        and not message.recalled
        and message.sender != me
    ):
        return f"{name_of(message.sender)}: {text}"
    return text
