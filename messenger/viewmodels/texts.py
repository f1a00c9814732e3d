"""What a message says in words: previews for the conversation list, tips and notices, recall
placeholders. Plain text only; names come from the caller (name card → nickname → ID)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from messenger.core.models import LocalMessage
from messenger.protocol.bodies import (
    CustomBody,
    FileBody,
    LocationBody,
    MergedBody,
    NoticeBody,
    TextBody,
    TipBody,
    VideoBody,
    VoiceBody,
)
from messenger.protocol.filenames import safe_name
from messenger.protocol.ids import ConversationType
from messenger.protocol.kinds import is_event
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


def tip_text(body: TipBody, me: str, name_of: NameOf) -> str:
    """A group tip: ``alice added bob``."""
    who = _tr("You") if body.operator == me else name_of(body.operator)
    if body.tip == "group_created":
        name = body.detail.get("name", "")
        return _tr("{who} created the group “{name}”").format(who=who, name=str(name))
    people = _people(body.targets, me, name_of)
    if body.tip == "members_added":
        return _tr("{who} added {people}").format(who=who, people=people)
    found = group_tip_text(body.tip, who, people, {"detail": body.detail})
    return found if found is not None else _tr("The group was updated")


def notice_text(body: NoticeBody, me: str, name_of: NameOf) -> str:
    """A system notice: ``bob added you to Team``, ``bob wants to be your friend``."""
    notice = body.notice
    who = name_of(body.operator)
    if notice == "friend_request":
        note = str(body.detail.get("note", ""))
        if note:
            return _tr("{who} wants to be your friend: {note}").format(who=who, note=note)
        return _tr("{who} wants to be your friend").format(who=who)
    if notice == "friend_request_accepted":
        return _tr("{who} accepted your friend request").format(who=who)
    if notice == "friend_request_refused":
        return _tr("{who} declined your friend request").format(who=who)
    if notice == "friend_added":
        return _tr("{who} added you as a friend").format(who=who)
    if notice == "admin_notice":  # the operator's own words
        return str(body.detail.get("text", "")) or _tr("[Unsupported message]")
    group = body.group_name or body.group_id
    if notice == "added_to_group":
        return _tr("{who} added you to {group}").format(who=who, group=group)
    found = group_notice_text(notice, who, group, {"detail": body.detail})
    return found if found is not None else _tr("[Unsupported message]")


def custom_text(body: CustomBody) -> str:
    return body.description or _tr("[Custom message]")


def duration_text(ms: int) -> str:
    seconds = max(0, round(ms / 1000))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _labels() -> dict[str, str]:
    """The placeholder of each kind that has no words of its own (``kinds.KindSpec.label``)."""
    return {
        "image": _tr("[Image]"),
        "file": _tr("[File]"),
        "voice": _tr("[Voice]"),
        "video": _tr("[Video]"),
        "face": _tr("[Sticker]"),
        "location": _tr("[Location]"),
        "merged": _tr("[Chat history]"),
    }


def _named(line: str, name_of: NameOf) -> str:
    """A merged forward's preview line ("alice: hello") with the sender's name for the ID."""
    user_id, sep, words = line.partition(": ")
    return f"{name_of(user_id)}: {words}" if sep and user_id else line


def message_text(message: LocalMessage, me: str, name_of: NameOf) -> str:
    """The words of a message: its text, or what a tip, notice, file or other kind means."""
    if message.recalled:
        return recalled_text(message, me, name_of)
    body = message.content
    if isinstance(body, TextBody):
        return body.text
    if isinstance(body, TipBody):
        return tip_text(body, me, name_of)
    if isinstance(body, NoticeBody):
        return notice_text(body, me, name_of)
    if isinstance(body, CustomBody):
        return custom_text(body)
    if body is None:
        return _tr("[Unsupported message]")
    label = _labels().get(message.kind, _tr("[Unsupported message]"))
    if isinstance(body, FileBody | LocationBody):
        # A file's name as it would be saved: no folders, no direction overrides.
        detail = safe_name(body.name, "") if isinstance(body, FileBody) else body.description
        return f"{label} {detail}" if detail else label
    if isinstance(body, VoiceBody | VideoBody):
        return f"{label} {duration_text(body.duration_ms)}"
    if isinstance(body, MergedBody):
        return "\n".join(
            [f"{label} {body.title}", *(_named(line, name_of) for line in body.preview)]
        )
    return label


def preview_text(message: LocalMessage | None, me: str, name_of: NameOf) -> str:
    """One line for the conversation list; in groups others' messages say who wrote them."""
    if message is None:
        return ""
    text = single_line(message_text(message, me, name_of))
    plain = not is_event(message.kind)
    if (
        message.conv_type == ConversationType.GROUP
        and plain
        and not message.recalled
        and message.sender != me
    ):
        return f"{name_of(message.sender)}: {text}"
    return text
