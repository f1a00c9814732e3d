"""The demo bot: what it says (in the message's language) and when it answers at all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from messenger.core.models import LocalMessage, MessageState
from messenger.demo.bot import ReplyBudget, should_answer
from messenger.demo.replies import is_chinese, reply, strip_mention

NOW = datetime(2025, 6, 3, 14, 5)


def msg(**kw: Any) -> LocalMessage:
    fields: dict[str, Any] = {
        "conversation_id": "C2Calice",
        "message_id": "m1",
        "conv_type": "c2c",
        "target": "dave",
        "sender": "alice",
        "seq": 1,
        "client_msg_id": "c1",
        "time": 10_000,
        "kind": "text",
        "body": {"text": "hi"},
    }
    fields.update(kw)
    return LocalMessage(**fields)


def test_commands_answer_in_english_and_in_chinese() -> None:
    assert "demo bot" in reply("help", "Alice", NOW)
    assert "演示用的机器人" in reply("帮助", "Alice", NOW)
    assert reply("what time is it?", "Alice", NOW) == "It's 14:05 here (Tuesday, 3 June)."
    assert reply("现在几点了？", "Alice", NOW) == "现在是 14:05（6月3日，星期二）。"
    assert reply("Hello, Dave", "Alice", NOW).startswith("Hi Alice!")
    assert reply("你好！", "Alice", NOW).startswith("你好，Alice！")


def test_anything_else_is_echoed_with_a_twist_in_the_same_language() -> None:
    assert reply("abc def", "Alice", NOW) == "You said “abc def”. Backwards, that's “fed cba” 🙃"
    assert (
        reply("今天天气不错", "Bob", NOW) == "你说的是“今天天气不错”——倒过来就是“错不气天天今” 🙃"
    )
    long = reply("x" * 5000, "Alice", NOW)
    assert len(long) < 600  # a huge message gets a short answer


def test_language_detection_and_mention_stripping() -> None:
    assert is_chinese("hello 世界") and not is_chinese("hello")
    assert strip_mention("@Dave what time?", ("dave", "Dave")) == "what time?"
    assert strip_mention("@dave：你好", ("dave", "Dave")) == "你好"
    assert strip_mention("hi @Dave", ("dave", "Dave")) == "hi @Dave"


def test_answers_c2c_and_group_mentions_of_itself_only() -> None:
    kw: dict[str, Any] = {"bots": (), "live": True, "since_ms": 0}
    assert should_answer(msg(), "dave", **kw)
    group = {"conversation_id": "GROUPteam", "conv_type": "group", "target": "team"}
    assert not should_answer(msg(**group), "dave", **kw)
    assert should_answer(msg(**group, mentions=("dave",)), "dave", **kw)
    assert not should_answer(msg(**group, mentions=("carol",)), "dave", **kw)
    assert not should_answer(msg(**group, mention_all=True), "dave", **kw)


def test_never_answers_itself_another_bot_old_news_or_non_text() -> None:
    kw: dict[str, Any] = {"bots": ("robot",), "live": True, "since_ms": 5_000}
    assert should_answer(msg(), "dave", **kw)
    assert not should_answer(msg(sender="dave"), "dave", **kw)
    assert not should_answer(msg(is_self=True), "dave", **kw)
    assert not should_answer(msg(sender="robot"), "dave", **kw)
    assert not should_answer(msg(time=4_000), "dave", **kw)  # from before the bot started
    assert not should_answer(msg(), "dave", **{**kw, "live": False})  # the catch-up
    assert not should_answer(msg(kind="tip", body={}), "dave", **kw)
    assert not should_answer(msg(recalled=True), "dave", **kw)
    assert not should_answer(msg(state=MessageState.SENDING), "dave", **kw)


def test_the_reply_budget_caps_answers_per_conversation_and_refills() -> None:
    now = [0.0]
    budget = ReplyBudget(2, window_s=60, clock=lambda: now[0])
    assert budget.take("C2Calice") and budget.take("C2Calice")
    assert not budget.take("C2Calice")  # a loop with another bot stops here
    assert budget.take("C2Cbob")  # other conversations have their own budget
    now[0] = 60.0
    assert budget.take("C2Calice")
