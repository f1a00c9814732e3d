"""Full-text search of the cache, Chinese included."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.core.store import Store
from messenger.core.store.fts import index_text, match_query

from .factories import group_message, message, message_change


@pytest.fixture
async def history(store: Store) -> Store:
    texts = [
        "你好世界",
        "今天天气很好",
        "hello world",
        "Meeting at 3pm 在会议室",
        "世界杯 final tonight",
        "unrelated words",
    ]
    changes = [message_change(message(seq=i + 1, text=t), v=i + 1) for i, t in enumerate(texts)]
    changes.append(message_change(group_message("g1", sender="carol", seq=1, text="你好 team"), 9))
    await store.apply_changes(changes)
    return store


async def found(store: Store, query: str, **kw: Any) -> list[str]:
    return sorted(m.text for m in await store.search(query, **kw))


async def test_chinese_words_are_found_inside_longer_text(history: Store) -> None:
    assert await found(history, "你好") == ["你好 team", "你好世界"]
    assert await found(history, "世界") == ["世界杯 final tonight", "你好世界"]
    assert await found(history, "天气") == ["今天天气很好"]


async def test_chinese_characters_must_be_adjacent_to_match_a_word(history: Store) -> None:
    assert await found(history, "你界") == []


async def test_mixed_chinese_and_english(history: Store) -> None:
    assert await found(history, "meeting 会议") == ["Meeting at 3pm 在会议室"]
    assert await found(history, "世界杯 final") == ["世界杯 final tonight"]
    assert await found(history, "hello 世界") == []


async def test_english_words_match_by_prefix_and_case_insensitively(history: Store) -> None:
    assert await found(history, "WOR") == ["hello world", "unrelated words"]


async def test_filters_by_conversation_and_sender(history: Store) -> None:
    assert await found(history, "你好", conversation_id="GROUPg1") == ["你好 team"]
    assert await found(history, "你好", sender="bob") == ["你好世界"]


async def test_search_syntax_in_the_query_is_taken_literally(history: Store) -> None:
    assert await found(history, 'hello" OR "unrelated') == []
    assert await found(history, "NEAR(hello world)") == []
    assert await history.search("  ,, ") == []


def test_index_and_query_split_cjk_the_same_way() -> None:
    assert index_text("ab你好c").split() == ["ab", "你", "好", "c"]
    assert match_query("你好 hi") == '"你 好"* AND "hi"*'
