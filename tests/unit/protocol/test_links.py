"""Links in message text: http, https and mailto only, without the sentence's punctuation."""

from __future__ import annotations

import pytest

from messenger.protocol.links import MAX_LINKS, find_links


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("see https://example.com.", ["https://example.com"]),
        ("HTTP://Example.com/a?b=1&c=2#d", ["HTTP://Example.com/a?b=1&c=2#d"]),
        ("(https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("write to mailto:ann@example.com, thanks", ["mailto:ann@example.com"]),
        ("MailTo:Ann@Example.com", ["MailTo:Ann@Example.com"]),
        ("Messenger://message/GROUPg1/7", ["Messenger://message/GROUPg1/7"]),
        ("全角ｈｔｔｐｓ://x 不是", []),
        ("看看https://example.com/x 好吗", ["https://example.com/x"]),
        ("链接：https://example.com/路径", ["https://example.com/"]),
        ("two: http://a.io and https://b.io!", ["http://a.io", "https://b.io"]),
    ],
)
def test_links_are_found_with_their_place(text: str, urls: list[str]) -> None:
    links = find_links(text)
    assert [link.url for link in links] == urls
    assert [text[link.start : link.end] for link in links] == urls


@pytest.mark.parametrize(
    "text",
    [
        "ftp://example.com/file",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://",
        "https:///nohost",
        "mailto:nobody",
        "xhttps://example.com",
        "no links here",
    ],
)
def test_other_schemes_and_broken_links_stay_text(text: str) -> None:
    assert find_links(text) == []


def test_a_hostile_text_has_a_bounded_number_of_links() -> None:
    assert len(find_links("https://a.io " * 1000)) == MAX_LINKS
