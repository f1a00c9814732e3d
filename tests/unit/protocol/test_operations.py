"""Reactions take emoji only: every kind of emoji sequence, nothing else."""

from __future__ import annotations

import pytest

from messenger.protocol import errors
from messenger.protocol.operations import check_emoji


@pytest.mark.parametrize("emoji", ["👍", "❤️", "🇨🇳", "1️⃣", "#️⃣", "👩🏽‍💻", "👨‍👩‍👧", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "©️"])
def test_emoji_sequences_are_accepted(emoji: str) -> None:
    assert check_emoji(emoji) == emoji


@pytest.mark.parametrize(
    "text", ["", "a", "ok", "1", "👍 ", " 👍", "\u0000", "\u202e👍", "<b>", "👍" * 9]
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(errors.InvalidParameter):
        check_emoji(text)
