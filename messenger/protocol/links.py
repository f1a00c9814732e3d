"""Links in message text: ``http``, ``https``, ``mailto`` and the app's own message links
(``messenger://message/…``, docs/protocol.md); anything else stays text.

The app paints and opens what ``find_links`` returns; search indexes a message with links under
the ``link`` kind. A link ends at whitespace or a character that cannot be part of it; trailing
punctuation of the sentence (``.``, ``,``, ``)`` without its ``(`` …) is left out, so
"see https://example.com." links ``https://example.com``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


# The scheme, then a run of characters that may appear in a URL (no spaces, no quotes or angle
# brackets, no CJK: Chinese text often follows a link without a space).
@functools.cache
def _link() -> re.Pattern[str]:
    """Compiled when first needed, not at the app's launch (the schemes in any case: a
    case-blind whole took ~10 ms to compile, this ~4)."""
    return re.compile(
        r"(?<![A-Za-z0-9@.+-])(?:(?i:https?|messenger)://[^\s<>\"'\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+"
        r"|(?i:mailto):[^\s<>\"'/\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+@[^\s<>\"'\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)"
    )


_TRAILING = ".,;:!?'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}
MAX_LINKS = 100  # per text: enough for any real message, bounded for a hostile one


@dataclass(frozen=True, slots=True)
class Link:
    start: int  # index of the first character in the text
    end: int  # index after the last one
    url: str


def find_links(text: str) -> list[Link]:
    """The links of ``text`` in order, each with its place (empty when there is none)."""
    if ":" not in text:
        return []
    found: list[Link] = []
    for match in _link().finditer(text):
        url = _trim(match.group(0))
        if _has_target(url):
            found.append(Link(match.start(), match.start() + len(url), url))
            if len(found) == MAX_LINKS:
                break
    return found


def _trim(url: str) -> str:
    """Drop the sentence's punctuation after a link; keep a ``)`` that closes a ``(`` of it."""
    while url:
        last = url[-1]
        unpaired = last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)
        if last not in _TRAILING and not unpaired:
            break
        url = url[:-1]
    return url


def _has_target(url: str) -> bool:
    scheme, _, rest = url.partition(":")
    if scheme.lower() == "mailto":
        local, _, domain = rest.partition("@")
        return bool(local) and bool(domain)
    return len(rest) > 2 and rest[2:3] not in ("", "/")
