"""The words of group tips (in the group's chat) and group notices (in ``@TIM#SYSTEM``) beyond
"created" and "added": joins, quits, kicks, roles, owner changes, profile and member changes,
applications, dismissals. Plain text; names come from the caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

NameOf = Callable[[str], str]


def _tr(text: str) -> str:
    return QCoreApplication.translate("GroupTexts", text)


def _detail(body: dict[str, Any]) -> dict[str, Any]:
    detail = body.get("detail")
    return detail if isinstance(detail, dict) else {}


def group_tip_text(tip: str, who: str, people: str, body: dict[str, Any]) -> str | None:
    """``who`` did it; ``people`` are the members it is about (already in words)."""
    detail = _detail(body)
    if tip == "member_joined":
        return _tr("{people} joined the group").format(people=people)
    if tip == "member_quit":
        return _tr("{people} left the group").format(people=people)
    if tip == "member_kicked":
        reason = str(detail.get("reason", ""))
        if reason:
            return _tr("{who} removed {people}: {reason}").format(
                who=who, people=people, reason=reason
            )
        return _tr("{who} removed {people}").format(who=who, people=people)
    if tip == "admin_set":
        return _tr("{who} made {people} an admin").format(who=who, people=people)
    if tip == "admin_unset":
        return _tr("{who} removed {people} as admin").format(who=who, people=people)
    if tip == "owner_changed":
        return _tr("{who} made {people} the owner").format(who=who, people=people)
    if tip == "profile_changed":
        changed = detail.get("changed")
        changed = changed if isinstance(changed, dict) else {}
        if "name" in changed:
            return _tr("{who} renamed the group to “{name}”").format(
                who=who, name=str(changed["name"])
            )
        if changed.get("mute_all") is True:
            return _tr("{who} muted everyone").format(who=who)
        if changed.get("mute_all") is False:
            return _tr("{who} unmuted everyone").format(who=who)
        if "notification" in changed:
            return _tr("{who} changed the group notification").format(who=who)
        return _tr("{who} changed the group profile").format(who=who)
    if tip == "topic_created":
        return _tr("{who} created the topic “{name}”").format(
            who=who, name=str(detail.get("name", ""))
        )
    if tip == "member_info_changed":
        if "mute_until" in detail:
            if detail.get("mute_until"):
                return _tr("{who} muted {people}").format(who=who, people=people)
            return _tr("{who} unmuted {people}").format(who=who, people=people)
        return _tr("{people} changed their name card").format(people=people)
    return None


def group_notice_text(notice: str, who: str, group: str, body: dict[str, Any]) -> str | None:
    detail = _detail(body)
    note = str(detail.get("note", ""))
    if notice == "join_application":
        applicant = str(detail.get("applicant", ""))
        text = _tr("{applicant} asks to join {group}")
        text = text.format(applicant=applicant or who, group=group)
        return f"{text}: {note}" if note else text
    if notice == "application_approved":
        return _tr("{who} approved your request to join {group}").format(who=who, group=group)
    if notice == "application_refused":
        text = _tr("{who} declined your request to join {group}").format(who=who, group=group)
        return f"{text}: {note}" if note else text
    if notice == "kicked_from_group":
        reason = str(detail.get("reason", ""))
        text = _tr("{who} removed you from {group}").format(who=who, group=group)
        return f"{text}: {reason}" if reason else text
    if notice == "group_dismissed":
        return _tr("{who} dismissed {group}").format(who=who, group=group)
    if notice == "quit_group":
        return _tr("You left {group}").format(group=group)
    if notice == "admin_set":
        return _tr("{who} made you an admin of {group}").format(who=who, group=group)
    if notice == "admin_unset":
        return _tr("{who} removed you as admin of {group}").format(who=who, group=group)
    return None
