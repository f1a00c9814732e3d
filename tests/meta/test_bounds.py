"""Everything a client sends has declared bounds (``messenger/protocol/bounds.py``).

Walks the type of every request body, query and path parameter of every REST endpoint (the
admin API included) and every client WebSocket frame: each integer needs a minimum and a
maximum, each string and each list or object a maximum length. A field added without one fails
here, naming the field; give it a type from ``protocol.bounds`` (or a new one there).
"""

from __future__ import annotations

from typing import Any

import msgspec
import msgspec.inspect as mi

from messenger.protocol import api, frames
from messenger.server.http.admin import ADMIN_ENDPOINTS


def _unbounded(t: mi.Type, where: str, seen: set[type]) -> list[str]:
    if isinstance(t, mi.IntType):
        ok = t.ge is not None and t.le is not None
        return [] if ok else [f"{where}: int without ge/le"]
    if isinstance(t, mi.StrType):
        return [] if t.max_length is not None else [f"{where}: str without max_length"]
    if isinstance(t, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)):
        found = [] if t.max_length is not None else [f"{where}: list without max_length"]
        return found + _unbounded(t.item_type, where + "[]", seen)
    if isinstance(t, mi.DictType):
        found = [] if t.max_length is not None else [f"{where}: object without max_length"]
        return found + _unbounded(t.value_type, where + "{}", seen)
    if isinstance(t, mi.UnionType):
        return [p for member in t.types for p in _unbounded(member, where, seen)]
    if isinstance(t, mi.StructType):
        if t.cls in seen:
            return []
        seen.add(t.cls)
        return [p for f in t.fields for p in _unbounded(f.type, f"{t.cls.__name__}.{f.name}", seen)]
    if isinstance(t, (mi.FloatType, mi.BytesType, mi.ByteArrayType)):
        return [f"{where}: {type(t).__name__} is not expected in a request"]
    # bool, None, enums, literals: bounded by nature; Any: only inside a bounded object (the
    # decoder bounds its nesting and the request its size)
    return []


def _request_types() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = [("client frame", frames.AnyClientFrame)]
    for e in (*api.ENDPOINTS, *ADMIN_ENDPOINTS):
        if e.body is not None:
            found.append((f"{e.name} body", e.body))
        if e.query is not None:
            found.append((f"{e.name} query", e.query))
        for p in e.path_params:
            assert p in api.PATH_PARAMS, f"{e.name}: add path parameter {p!r} to api.PATH_PARAMS"
            found.append((f"{e.name} path {p}", api.PATH_PARAMS[p]))
    return found


def test_every_request_field_is_bounded() -> None:
    problems = [
        f"{what}: {p}"
        for what, kind in _request_types()
        for p in _unbounded(mi.type_info(kind), what, set())
    ]
    assert problems == [], "declare bounds (messenger/protocol/bounds.py):\n" + "\n".join(problems)


def test_the_check_sees_an_unbounded_field() -> None:
    """(The walk above can fail.)"""

    class Loose(msgspec.Struct):
        n: int
        s: str
        items: list[int]

    problems = _unbounded(mi.type_info(Loose), "Loose", set())
    assert len(problems) == 4
