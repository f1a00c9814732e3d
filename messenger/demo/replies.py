"""What the demo bot says: a pure function of the message, in the message's language.

Commands: "help" / "帮助", "time" / "时间" / "几点", a greeting ("hi", "你好"); anything else is
echoed back with a twist (reversed). Chinese in, Chinese out.
"""

from __future__ import annotations

import re
from datetime import datetime

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TIME = re.compile(r"\btime\b|几点|时间")
_HELP = ("help", "?", "帮助", "帮忙", "怎么用")
_GREETINGS = ("hi", "hello", "hey", "你好", "您好", "嗨", "哈喽", "早上好", "晚上好")
_WEEKDAYS_ZH = "一二三四五六日"
MAX_ECHO = 200


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def strip_mention(text: str, names: tuple[str, ...]) -> str:
    """The text without a leading "@Dave" (any of ``names``, any case)."""
    stripped = text.strip()
    for name in sorted(names, key=len, reverse=True):
        prefix = "@" + name
        if stripped.lower().startswith(prefix.lower()):
            return stripped[len(prefix) :].lstrip(" \u2005:：,，")
    return stripped


def reply(text: str, sender_name: str, now: datetime, *, bot_name: str = "Dave") -> str:
    """The bot's answer to ``text`` from ``sender_name``."""
    chinese = is_chinese(text)
    words = text.strip().lower().rstrip("!?.。！？~ ")
    if not words or words in _HELP or words.startswith("help "):
        return _help(bot_name, chinese)
    if _TIME.search(words):
        return _time(now, chinese)
    if words.split(" ")[0].rstrip(",，") in _GREETINGS:
        if chinese:
            return f"你好，{sender_name}！👋 很高兴收到你的消息。发送“帮助”看看我能做什么。"
        return f"Hi {sender_name}! 👋 Nice to hear from you. Send “help” to see what I can do."
    echo = text.strip()
    if len(echo) > MAX_ECHO:
        echo = echo[:MAX_ECHO] + "…"
    backwards = echo[::-1]
    if chinese:
        return f"你说的是“{echo}”——倒过来就是“{backwards}” 🙃"
    return f"You said “{echo}”. Backwards, that's “{backwards}” 🙃"


def _help(bot_name: str, chinese: bool) -> str:
    if chinese:
        return (
            f"我是 {bot_name}，演示用的机器人 🤖\n"
            "• 发送“时间”：告诉你现在几点\n"
            "• 发送“帮助”：显示这段说明\n"
            "• 其他任何内容：我会换个花样回给你\n"
            f"在群里请 @{bot_name}。"
        )
    return (
        f"I'm {bot_name}, the demo bot 🤖\n"
        "• “time”: what time it is here\n"
        "• “help”: this text\n"
        "• anything else: I echo it back, with a twist\n"
        f"In a group, @mention {bot_name}."
    )


def _time(now: datetime, chinese: bool) -> str:
    if chinese:
        weekday = _WEEKDAYS_ZH[now.weekday()]
        return f"现在是 {now:%H:%M}（{now.month}月{now.day}日，星期{weekday}）。"
    return f"It's {now:%H:%M} here ({now:%A}, {now.day} {now:%B})."
