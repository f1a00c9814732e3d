"""The top search box's view-model while someone types: one cache search at a time, and a
query superseded while it waits is never asked."""

from __future__ import annotations

import asyncio
from typing import Any

from messenger.core.models import LocalMessage, MessageState
from messenger.core.search import SearchFilters
from messenger.core.store import SearchGroup
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.search import GlobalSearchViewModel
from tests.helpers.fake_client import FakeClient


class SlowCache(FakeClient):
    """Answers each search when the test lets it, and notes what it was asked."""

    def __init__(self) -> None:
        super().__init__(me="alice")
        self.asked: list[str] = []
        self.answer = asyncio.Event()

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
