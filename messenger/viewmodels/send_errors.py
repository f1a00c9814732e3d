"""Why a message was not sent, in words a person can act on.

The protocol's limits count UTF-8 bytes (as TIM's do), which a person cannot see: a Chinese
character takes three, an emoji four or more. A text over the limit is described by how many
characters (what the person sees as one: ``QTextBoundaryFinder``'s graphemes) to take out.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QTextBoundaryFinder

from messenger.protocol import errors
from messenger.protocol.validation import utf8_len


def _tr(text: str) -> str:
    return QCoreApplication.translate("Composer", text)


def _trn(text: str, n: int) -> str:
    return QCoreApplication.translate("Composer", text, None, n)


def graphemes(text: str) -> list[str]:
    """The characters of ``text`` as a reader counts them (an emoji with its modifiers is one)."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    cuts = [0]
    while (position := finder.toNextBoundary()) != -1:
        cuts.append(position)
    # Qt counts UTF-16 units; Python indexes code points
    units = text.encode("utf-16-le", "surrogatepass")
    return [
        units[2 * a : 2 * b].decode("utf-16-le", "surrogatepass")
        for a, b in pairwise(cuts)
        if b > a
    ]


def characters_over(text: str, limit_bytes: int) -> int:
    """How many characters must go from the end of ``text`` for it to fit ``limit_bytes``."""
    parts = graphemes(text)
    size = utf8_len(text)
    over = 0
    while size > limit_bytes and over < len(parts):
        over += 1
        size -= utf8_len(parts[-over])
    return over


def not_sent_text(exc: errors.MessengerError, text: str) -> str:
    """What to tell the person whose ``text`` was refused with ``exc``."""
    if isinstance(exc, errors.MessageTooLarge):
        limit = exc.details.get("limit")
        if isinstance(limit, int) and limit > 0:
            over = characters_over(text, limit)
            return _trn(
                "Not sent: the message is %n character(s) too long. Shorten it and send again.",
                over,
            )
        return _tr("Not sent: the message is too long. Shorten it and send again.")
    if isinstance(exc, errors.TooManyMentions):
        return _tr("Not sent: too many @-mentions in one message.")
    return _tr("Not sent: {reason}").format(reason=exc.message)
