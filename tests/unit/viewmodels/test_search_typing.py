"""The top search box's view-model while someone types: one cache search at a time, a query
superseded while it waits is never asked, and the server's people search waits for a pause."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from messenger.core.models import LocalMessage, MessageState
from messenger.core.search import SearchFilters
from messenger.core.store import SearchGroup
from messenger.protocol.social import UserPage
from messenger.viewmodels import search as search_module
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.search import GlobalSearchViewModel
from tests.helpers.fake_client import FakeClient


class SlowCache(FakeClient):
    """Answers each search when the test lets it, and notes what it was asked."""

    def __init__(self) -> None:
        super().__init__(me="alice")
        self.asked: list[str] = []
        self.people_asked: list[str] = []
        self.answer = asyncio.Event()

    async def search_users(self, query: str, offset: int = 0, limit: int = 20) -> UserPage:
        self.people_asked.append(query)
        return UserPage(users=[], has_more=False)

    async def search_conversations(
        self, query: str, filters: SearchFilters | None = None, *, limit: int = 50
    ) -> list[SearchGroup]:
        self.asked.append(query)
        await self.answer.wait()
        found = LocalMessage(
            conversation_id="C2Cbob",
            message_id=f"id-{query}",
            conv_type="c2c",
            target="bob",
            client_msg_id=f"c-{query}",
            seq=1,
            sender="bob",
            time=1000,
            kind="text",
            body={"text": query},
            state=MessageState.SENT,
            is_self=False,
        )
        return [SearchGroup("C2Cbob", 1, (found,))]


async def test_typing_fast_asks_the_cache_for_the_first_and_the_newest_query_only(
    qapp: Any,
) -> None:
    cache = SlowCache()
    vm = GlobalSearchViewModel(cache, NamesViewModel(cache))
    typed = [asyncio.ensure_future(vm.search(q)) for q in ("m", "me", "mee", "meet")]
    await asyncio.sleep(0.05)
    assert cache.asked == ["m"]  # the others wait for it
    cache.answer.set()
    await asyncio.gather(*typed)
    assert cache.asked == ["m", "meet"]  # "me" and "mee" were superseded while waiting
    assert vm.query == "meet"
    assert [m.text for chat in vm.chats for m in chat.messages] == ["meet"]


async def test_the_servers_people_search_waits_for_a_pause_in_typing(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "PEOPLE_PAUSE", 0.05)
    cache = SlowCache()
    cache.answer.set()
    vm = GlobalSearchViewModel(cache, NamesViewModel(cache))
    typed = [asyncio.ensure_future(vm.search(q)) for q in ("a", "al", "ali")]
    await asyncio.gather(*typed)
    assert cache.asked == ["a", "al", "ali"]  # the messages: at each keystroke
    assert cache.people_asked == ["ali"]  # the server's people: once typing paused
