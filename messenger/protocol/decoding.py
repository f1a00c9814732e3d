"""The one edge where bytes from the other side become typed values.

``decode`` checks, in this order: the encoding (strict UTF-8; msgspec refuses a lone surrogate
written as a ``\\u`` escape as bad syntax), the nesting depth (at most
``MAX_DEPTH`` levels of arrays and objects), the JSON syntax, and the declared type with its
bounds (``protocol.bounds``). Every failure is an ``InvalidParameter`` whose ``details["reason"]``
says which check refused it (``encoding``, ``depth``, ``syntax``, ``schema``), so a caller answers
a typed error and never a crash: the server at its REST and WebSocket edge, the client for
whatever the server sends.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from messenger.protocol.errors import InvalidParameter

MAX_DEPTH = 32
"""Arrays and objects nested deeper than this are refused before parsing."""

T = TypeVar("T")

_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}
_ONLY_QUOTES_AND_BRACKETS = bytes(b for b in range(256) if b not in b'"[]{}')
_AS_PARENTHESES = bytes.maketrans(b"[{]}", b"(())")


def nested_deeper_than(raw: bytes, limit: int) -> bool:
    """Whether arrays and objects in ``raw`` nest more than ``limit`` levels (brackets inside
    strings ignored). Byte operations in C only: a catch-up page of a few hundred kilobytes costs
    a few milliseconds, not a Python loop over every byte."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False  # an upper bound, and small: no scan needed
    # Escapes first (an escaped backslash, then an escaped quote), so every quote left delimits
    # a string: the brackets outside strings are the even pieces between quotes.
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    pieces = unescaped.translate(None, _ONLY_QUOTES_AND_BRACKETS).split(b'"')
    brackets = left = b"".join(pieces[::2]).translate(_AS_PARENTHESES)
    for _ in range(limit):  # each round removes the innermost level of balanced brackets
        if not left:
            return False
        left = left.replace(b"()", b"")
    return bool(left) and _opens_deeper(brackets, limit)  # deep, or unbalanced: count them


def _opens_deeper(brackets: bytes, limit: int) -> bool:
    depth = 0
    for byte in brackets:
        depth += 1 if byte == 40 else -1  # "(" opens
        if depth > limit:
            return True
    return False


def decode(raw: bytes | str, kind: type[T], *, what: str = "request") -> T:
    """``raw`` as a ``kind``, or ``InvalidParameter`` saying what is wrong with it."""
    if isinstance(raw, str):
        try:
            data = raw.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            raise InvalidParameter(f"the {what} is not valid UTF-8", reason="encoding") from None
    else:
        data = raw
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidParameter(f"the {what} is not valid UTF-8", reason="encoding") from None
    if nested_deeper_than(data, MAX_DEPTH):
        raise InvalidParameter(
            f"the {what} is nested deeper than {MAX_DEPTH} levels", reason="depth", limit=MAX_DEPTH
        )
    decoder = _decoders.get(kind)
    if decoder is None:
        decoder = _decoders[kind] = msgspec.json.Decoder(kind)
    try:
        result: T = decoder.decode(data)
        return result
    except msgspec.ValidationError as exc:
        raise InvalidParameter(f"invalid {what}: {exc}", reason="schema") from None
    except (msgspec.DecodeError, RecursionError):
        raise InvalidParameter(f"the {what} is not valid JSON", reason="syntax") from None


def convert(value: Any, kind: type[T], *, what: str = "parameter") -> T:
    """Already parsed values (query strings, path parameters) as a ``kind``; strings are read as
    numbers or booleans where the type says so."""
    try:
        return msgspec.convert(value, kind, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidParameter(f"invalid {what}: {exc}", reason="schema") from None
