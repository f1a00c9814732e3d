"""The local media cache keeps within its limits, least recently used out first; thumbnails
have a limit of their own; names are hashes only."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from messenger.core.transfers.cache import MediaCache


def media_id(n: int) -> str:
    return f"{n:064x}"


def put(cache: MediaCache, n: int, size: int, variant: str = "") -> None:
    partial = cache.partial(media_id(n), variant)
    partial.write_bytes(b"x" * size)
    cache.commit(partial, media_id(n), variant)


def test_least_recently_used_files_go_first(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path, limit=300, thumb_limit=1000)
    for n in range(3):
        put(cache, n, 100)
        past = time.time() - 100 + n
        os.utime(cache.target(media_id(n)), (past, past))
    assert cache.get(media_id(0)) is not None  # used just now: the newest

    put(cache, 3, 100)

    assert cache.get(media_id(1)) is None  # the least recently used went
    assert all(cache.get(media_id(n)) is not None for n in (0, 2, 3))
    assert cache.usage().files == 300


def test_thumbnails_have_their_own_limit_and_clear_empties_both(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path, limit=10_000, thumb_limit=150)
    put(cache, 1, 5000)
    put(cache, 1, 100, "small")
    put(cache, 2, 100, "small")
    assert cache.usage().files == 5000
    assert cache.usage().thumbnails == 100
    assert cache.clear() == 5100
    assert cache.usage().files == cache.usage().thumbnails == 0


@pytest.mark.parametrize(("name", "variant"), [("../../etc/passwd", ""), (media_id(1), "../x")])
def test_only_hashes_and_known_variants_name_files(tmp_path: Path, name: str, variant: str) -> None:
    cache = MediaCache(tmp_path)
    with pytest.raises(ValueError, match="not a media ID"):
        cache.target(name, variant)
