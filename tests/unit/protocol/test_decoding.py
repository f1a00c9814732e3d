"""The decoding edge's nesting check against a plain recursive count of the parsed value."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from messenger.protocol.decoding import nested_deeper_than

# Strings full of what the check must ignore: brackets, quotes and backslashes.
tricky = st.text(alphabet='[]{}"\\ab你', max_size=6)
values = st.recursive(
    st.none() | st.integers() | tricky,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky, inner, max_size=3),
    max_leaves=60,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@given(value=values, limit=st.integers(0, 8), ascii_only=st.booleans())
def test_the_nesting_check_counts_arrays_and_objects_outside_strings(
    value: Any, limit: int, ascii_only: bool
) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert nested_deeper_than(raw, limit) == (depth(value) > limit)


def test_deep_and_unbalanced_input_is_too_deep() -> None:
    assert nested_deeper_than(b"[" * 33 + b"]" * 33, 32)
    assert not nested_deeper_than(b"[" * 32 + b"]" * 32, 32)
    assert nested_deeper_than(b"{" * 40, 32)  # never closed
    assert not nested_deeper_than(b'["' + b"[" * 40 + b'"]', 32)  # inside a string
