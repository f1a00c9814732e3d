"""How messages and times read in the list and the chat (pure functions, no server)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from messenger.core.models import LocalMessage
from messenger.viewmodels.formatting import initials, list_time, separator_time, starts_time_group
from messenger.viewmodels.texts import message_text, preview_text

NAMES = {"alice": "Alice Chen", "bob": "Bob"}


def name_of(user_id: str) -> str:
    return NAMES.get(user_id, user_id)


def msg(kind: str = "text", body: dict[str, Any] | None = None, **kw: Any) -> LocalMessage:
    fields: dict[str, Any] = {
        "conversation_id": "GROUPteam",
        "message_id": "m1",
        "conv_type": "group",
        "target": "team",
        "sender": "bob",
        "seq": 1,
        "client_msg_id": "c1",
        "time": 0,
        "kind": kind,
        "body": {"text": "hello\nworld"} if body is None else body,
    }
    fields.update(kw)
    return LocalMessage(**fields)


def test_previews_say_who_wrote_in_groups_on_one_line() -> None:
    assert preview_text(msg(), "alice", name_of) == "Bob: hello world"
    assert preview_text(msg(sender="alice", is_self=True), "alice", name_of) == "hello world"
    assert preview_text(msg(conv_type="c2c"), "alice", name_of) == "hello world"


def test_recalls_tips_notices_and_unknown_kinds_read_as_words() -> None:
    recalled = msg(recalled=True, recalled_by="bob", body={})
    assert preview_text(recalled, "alice", name_of) == "Bob recalled a message"
    mine = msg(sender="alice", is_self=True, recalled=True, recalled_by="alice", body={})
    assert message_text(mine, "alice", name_of) == "You recalled a message"
    added = msg("tip", {"tip": "members_added", "operator": "alice", "targets": ["bob", "carol"]})
    assert message_text(added, "alice", name_of) == "You added Bob, carol"
    assert message_text(added, "bob", name_of) == "Alice Chen added you, carol"
    created = msg("tip", {"tip": "group_created", "operator": "bob", "detail": {"name": "Team"}})
    assert message_text(created, "alice", name_of) == "Bob created the group “Team”"
    notice = msg("notice", {"notice": "added_to_group", "operator": "bob", "group_name": "Team"})
    assert message_text(notice, "alice", name_of) == "Bob added you to Team"
    assert message_text(msg("sticker", {"id": 3}), "alice", name_of) == "[Unsupported message]"
    assert message_text(msg("custom", {"data": "{}"}), "alice", name_of) == "[Custom message]"
    custom = msg("custom", {"data": "{}", "description": "Shared a poll"})
    assert message_text(custom, "alice", name_of) == "Shared a poll"


def test_friend_notices_read_as_words() -> None:
    def notice(kind: str, **detail: Any) -> LocalMessage:
        body = {"notice": kind, "operator": "bob", "detail": detail}
        return msg("notice", body, conv_type="system", conversation_id="@TIM#SYSTEM")

    asked = notice("friend_request", note="it's Bob from work")
    assert (
        message_text(asked, "alice", name_of) == "Bob wants to be your friend: it's Bob from work"
    )
    assert message_text(notice("friend_request"), "alice", name_of) == "Bob wants to be your friend"
    accepted = notice("friend_request_accepted")
    assert message_text(accepted, "alice", name_of) == "Bob accepted your friend request"
    refused = notice("friend_request_refused")
    assert message_text(refused, "alice", name_of) == "Bob declined your friend request"
    added = notice("friend_added", both=True)
    assert message_text(added, "alice", name_of) == "Bob added you as a friend"
    maintenance = notice("admin_notice", text="Maintenance at 22:00 UTC")
    assert message_text(maintenance, "alice", name_of) == "Maintenance at 22:00 UTC"


def test_media_stickers_and_locations_read_as_placeholders_with_their_detail() -> None:
    media = "ab" * 32
    image = msg("image", {"media_id": media, "size": 5, "width": 4, "height": 3})
    assert preview_text(image, "alice", name_of) == "Bob: [Image]"
    file = msg("file", {"media_id": media, "name": "plan.pdf", "size": 5})
    assert message_text(file, "alice", name_of) == "[File] plan.pdf"
    spoof = msg("file", {"media_id": media, "name": "../inv\u202efdp.exe", "size": 5})
    assert message_text(spoof, "alice", name_of) == "[File] invfdp.exe"  # never "invexe.pdf"
    voice = msg("voice", {"media_id": media, "size": 5, "duration_ms": 65_400})
    assert message_text(voice, "alice", name_of) == "[Voice] 1:05"
    video = msg(
        "video", {"media_id": media, "size": 5, "duration_ms": 3000, "width": 1, "height": 1}
    )
    assert message_text(video, "alice", name_of) == "[Video] 0:03"
    assert message_text(msg("face", {"pack": "p", "name": "wave"}), "alice", name_of) == "[Sticker]"
    place = msg("location", {"description": "Shenzhen Bay", "latitude": 22.5, "longitude": 113.9})
    assert message_text(place, "alice", name_of) == "[Location] Shenzhen Bay"
    # A known kind with a body this version cannot read degrades like an unknown kind.
    assert (
        message_text(msg("image", {"width": "wide"}), "alice", name_of) == "[Unsupported message]"
    )


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_list_times_are_clock_today_weekday_this_week_and_a_date_before() -> None:
    now = datetime(2024, 5, 17, 15, 30)  # a Friday
    assert list_time(ms(now.replace(hour=9, minute=5)), ms(now)) == "09:05"
    assert list_time(ms(now - timedelta(days=2)), ms(now)) == "Wed"
    older = list_time(ms(now - timedelta(days=30)), ms(now))
    assert "4" in older and ":" not in older  # a date (April), in the locale's format


def test_separators_come_after_a_pause_or_a_new_day() -> None:
    now = datetime(2024, 5, 17, 15, 30)
    assert starts_time_group(None, ms(now))
    assert not starts_time_group(ms(now), ms(now + timedelta(minutes=4)))
    assert starts_time_group(ms(now), ms(now + timedelta(minutes=6)))
    late = datetime(2024, 5, 17, 23, 58)
    assert starts_time_group(ms(late), ms(late + timedelta(minutes=3)))  # past midnight
    assert separator_time(ms(now - timedelta(days=1)), ms(now)) == "Yesterday 15:30"


def test_initials_skip_markup_and_keep_one_cjk_character() -> None:
    assert initials("Alice Chen") == "AC"
    assert initials("<b>Eve</b> Evil") == "BE"
    assert initials("李雷") == "李"
    assert initials("") == "?"
