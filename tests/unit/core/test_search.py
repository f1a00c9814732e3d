"""Full-text search of the cache, Chinese included."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from messenger.core.store import Store
from messenger.core.store import store as store_module
from messenger.protocol.fulltext import index_text, match_query

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


async def test_a_chinese_character_at_the_end_of_a_query_is_found_before_other_text(
    history: Store,
) -> None:
    assert await found(history, "世") == ["世界杯 final tonight", "你好世界"]
    assert await found(history, "会议室") == ["Meeting at 3pm 在会议室"]
    assert await found(history, "3pm 在会") == ["Meeting at 3pm 在会议室"]


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
    assert match_query("你好 hi") == '"你 好" AND "hi"*'  # (a CJK token is one character)
    assert match_query("会abc") == '"会 abc"*'


async def test_kind_filters_text_file_names_and_links(store: Store) -> None:
    file_body = {"media_id": "m1", "name": "report 2026.pdf", "size": 10}
    await store.apply_changes(
        [
            message_change(message(seq=1, text="the report is late"), 1),
            message_change(message(seq=2, kind="file", body=file_body), 2),
            message_change(message(seq=3, text="report: https://example.com/r 报告"), 3),
            message_change(message(seq=4, text="ftp://example.com/report is not a link"), 4),
        ]
    )

    async def seqs(kind: Any) -> list[int]:
        return sorted(m.seq for m in await store.search("report", kind=kind))

    assert await seqs("") == [1, 2, 3, 4]
    assert await seqs("text") == [1, 3, 4]
    assert await seqs("file") == [2]
    assert await seqs("link") == [3]
    assert [m.seq for m in await store.search("报告", kind="link")] == [3]


async def test_time_range_order_and_pages(store: Store) -> None:
    texts = ["plan a", "plan b plan", "plan c", "other", "plan plan plan d"]
    await store.apply_changes(
        [
            message_change(message(seq=i + 1, text=t, time=1000 * (i + 1)), i + 1)
            for i, t in enumerate(texts)
        ]
    )
    newest = [m.seq for m in await store.search("plan")]
    assert newest == [5, 3, 2, 1]
    pages = [m.seq for m in await store.search("plan", limit=2)]
    pages += [m.seq for m in await store.search("plan", limit=2, offset=2)]
    assert pages == newest
    assert [m.seq for m in await store.search("plan", since=2000, until=5000)] == [3, 2]
    best = [m.seq for m in await store.search("plan", by_relevance=True)]
    assert sorted(best) == [1, 2, 3, 5] and best[0] == 5  # the most "plan" first


async def test_relevance_ranks_the_newest_matches_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["plan plan plan", "plan and some other words", "plan plan", "a plan among words"]
    await store.apply_changes(
        [
            message_change(message(seq=i + 1, text=t, time=1000 * (i + 1)), i + 1)
            for i, t in enumerate(texts)
        ]
    )
    best = [m.seq for m in await store.search("plan", by_relevance=True)]
    assert best[0] == 1
    monkeypatch.setattr(store_module, "RANKED_MATCHES", 3)
    best = [m.seq for m in await store.search("plan", by_relevance=True)]
    assert best == [3, 4, 2]  # the best of the newest three; a tie: the newer first
    assert [m.seq for m in await store.search("plan", by_relevance=True, offset=2)] == [2]


async def test_results_grouped_by_conversation(store: Store) -> None:
    await store.apply_changes(
        [
            message_change(message(seq=1, text="lunch?", time=1000), 1),
            message_change(message(seq=2, text="lunch at noon", time=3000), 2),
            message_change(group_message("g1", sender="carol", seq=1, text="lunch", time=2000), 3),
            message_change(group_message("g1", sender="carol", seq=2, text="no", time=4000), 4),
        ]
    )
    groups = await store.search_conversations("lunch")
    assert [(g.conversation_id, g.count, g.newest.text) for g in groups] == [
        ("C2Cbob", 2, "lunch at noon"),
        ("GROUPg1", 1, "lunch"),
    ]
    assert await store.search_conversations("lunch", sender="carol") == [groups[1]]
    assert await store.search_conversations("lunch", conversation_id="C2Cbob") == [groups[0]]


async def test_text_replaced_in_the_store_is_found_by_its_new_words_only(store: Store) -> None:
    """Any change of a message's body through the store (an edit) reindexes it."""
    original = message(seq=1, text="see you at the station", message_id="m-edit")
    await store.apply_changes([message_change(original, 1)])
    assert [m.seq for m in await store.search("station")] == [1]
    edited = msgspec.structs.replace(original, body={"text": "see you at 车站 instead"}, version=2)
    await store.apply_changes([message_change(edited, 2)])

    assert await store.search("station") == []
    assert [m.text for m in await store.search("车站")] == ["see you at 车站 instead"]


async def test_a_recalled_message_is_no_longer_found(store: Store) -> None:
    original = message(seq=1, text="secret plan", message_id="m-recall")
    await store.apply_changes([message_change(original, 1)])
    recalled = message(seq=1, text="", message_id="m-recall", recalled=True, version=2)
    await store.apply_changes([message_change(recalled, 2)])
    assert await store.search("secret") == []


async def test_first_cached_message_of_a_day(store: Store) -> None:
    await store.apply_changes(
        [message_change(message(seq=s, text=f"m{s}", time=s * 1000), s) for s in (1, 2, 3, 7, 8)]
    )
    assert await store.first_seq_since("C2Cbob", 2500) == (3, True)
    assert await store.first_seq_since("C2Cbob", 500) == (1, True)  # the first of the history
    assert await store.first_seq_since("C2Cbob", 5000) == (7, False)  # 4–6 are not cached
    assert await store.first_seq_since("C2Cbob", 9000) is None
