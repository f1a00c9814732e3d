"""Which messages notify (pure): live only, not mine, mute respected, @me overrides, not the
open conversation of a focused window; and how a burst is grouped."""

from __future__ import annotations

from typing import Any

from messenger.core.models import LocalMessage
from messenger.protocol.models import RemindType
from messenger.viewmodels.notifications import NotifyContext, Pending, should_notify, summarize

LIVE = NotifyContext(my_user_id="alice", live=True, open_conversation_id="", enabled=True)


def msg(**kw: Any) -> LocalMessage:
    fields: dict[str, Any] = {
        "conversation_id": "GROUPteam",
        "message_id": "m1",
        "conv_type": "group",
        "target": "team",
        "sender": "bob",
        "seq": 1,
        "client_msg_id": "c1",
        "time": 1,
        "kind": "text",
        "body": {"text": "hi"},
    }
    fields.update(kw)
    return LocalMessage(**fields)


def ctx(**kw: Any) -> NotifyContext:
    values: dict[str, Any] = {
        "my_user_id": LIVE.my_user_id,
        "live": LIVE.live,
        "open_conversation_id": LIVE.open_conversation_id,
        "enabled": LIVE.enabled,
    }
    values.update(kw)
    return NotifyContext(**values)


def test_a_live_message_from_someone_else_notifies() -> None:
    assert should_notify(msg(), RemindType.NOTIFY, LIVE)


def test_my_own_messages_never_notify() -> None:
    assert not should_notify(msg(is_self=True, sender="alice"), RemindType.NOTIFY, LIVE)
    assert not should_notify(msg(sender="alice"), RemindType.NOTIFY, LIVE)  # my other device


def test_the_catch_up_does_not_notify() -> None:
    assert not should_notify(msg(), RemindType.NOTIFY, ctx(live=False))


def test_notifications_off_means_none() -> None:
    assert not should_notify(msg(), RemindType.NOTIFY, ctx(enabled=False))


def test_muted_stays_quiet_but_a_mention_of_me_or_all_gets_through() -> None:
    assert not should_notify(msg(), RemindType.SILENT, LIVE)
    assert should_notify(msg(mentions=("alice",)), RemindType.SILENT, LIVE)
    assert should_notify(msg(mention_all=True), RemindType.SILENT, LIVE)
    assert not should_notify(msg(mentions=("carol",)), RemindType.SILENT, LIVE)
    assert not should_notify(msg(mentions=("alice",)), RemindType.BLOCK, LIVE)


def test_not_for_the_conversation_open_in_the_focused_window() -> None:
    assert not should_notify(msg(), RemindType.NOTIFY, ctx(open_conversation_id="GROUPteam"))
    assert should_notify(msg(), RemindType.NOTIFY, ctx(open_conversation_id="C2Cbob"))


def test_tips_and_recalled_messages_do_not_notify() -> None:
    assert not should_notify(
        msg(kind="tip", body={"tip": "members_added"}), RemindType.NOTIFY, LIVE
    )
    assert not should_notify(msg(recalled=True), RemindType.NOTIFY, LIVE)


def test_a_burst_is_summarized_by_conversation_newest_first() -> None:
    def item(conversation_id: str, seq: int) -> Pending:
        return Pending(msg(conversation_id=conversation_id, seq=seq), conversation_id, "", False)

    one = summarize([item("C2Cbob", 1), item("C2Cbob", 2)])
    assert (one.conversation_id, one.count, one.chats) == ("C2Cbob", 2, 1)
    assert one.latest[0].message.seq == 2
    many = summarize([item("C2Cbob", 1), item("GROUPteam", 5), item("C2Cbob", 2)])
    assert (many.conversation_id, many.count, many.chats) == ("", 3, 2)
    assert [(p.message.conversation_id, p.message.seq) for p in many.latest] == [
        ("C2Cbob", 2),
        ("GROUPteam", 5),
    ]
