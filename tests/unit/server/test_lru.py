from __future__ import annotations

import pytest

from messenger.server.services.lru import Lru


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: Lru[str, int] = Lru(2)
    cache["a"] = 1
    cache["b"] = 2
    assert cache.get("a") == 1  # "a" is now the most recent
    cache["c"] = 3
    assert "b" not in cache
    assert cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_pop_and_defaults() -> None:
    cache: Lru[str, int] = Lru(3)
    cache["x"] = 0
    assert cache.get("x") == 0  # a falsy value is still found
    assert cache.pop("x") == 0
    assert cache.get("x") is None and cache.get("x", 7) == 7
    assert cache.pop("missing") is None
    with pytest.raises(ValueError, match="capacity"):
        Lru(0)
