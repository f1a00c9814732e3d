"""The OpenAPI 3.1 document, generated from ``protocol.api`` and the msgspec models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from messenger import __version__
from messenger.protocol import api
from messenger.protocol.models import ErrorBody

_REF = "#/components/schemas/{name}"


def _query_schema(kind: type[Any]) -> dict[str, Any]:
    """The object schema of a query struct (msgspec answers a ``$ref`` into its ``$defs``)."""
    schema: dict[str, Any] = msgspec.json.schema(kind)
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = schema["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return schema


_BINARY = {"type": "string", "format": "binary"}


def _answer(e: api.Endpoint, by_type: dict[Any, Any]) -> dict[str, Any]:
    if e.response is bytes:
        return {"image/png": {"schema": _BINARY}}
    return {"application/json": {"schema": by_type[e.response]}}


def build_openapi(admin: Sequence[api.Endpoint] = ()) -> dict[str, Any]:
    """The document of every endpoint of ``protocol.api``, and of the ``admin`` endpoints (which
    take an administrator's UserSig instead of a session)."""
    endpoints = [*api.ENDPOINTS, *admin]
    admin_names = {e.name for e in admin}
    types: list[type[Any]] = [ErrorBody]
    for e in endpoints:
        if e.response is not bytes:
            types.append(e.response)
        if e.body is not None:
            types.append(e.body)
    unique = list(dict.fromkeys(types))
    schemas, components = msgspec.json.schema_components(unique, ref_template=_REF)
    by_type = dict(zip(unique, schemas, strict=True))
    error_ref = by_type[ErrorBody]
    paths: dict[str, dict[str, Any]] = {}
    for e in endpoints:
        op: dict[str, Any] = {
            "operationId": e.name,
            "summary": e.summary,
            "tags": [e.tag] if e.tag else [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": _answer(e, by_type),
                },
                "default": {
                    "description": "A typed error",
                    "content": {"application/json": {"schema": error_ref}},
                },
            },
        }
        params: list[dict[str, Any]] = [
            {
                "name": p,
                "in": "path",
                "required": True,
                "schema": msgspec.json.schema(api.PATH_PARAMS[p]),
            }
            for p in e.path_params
        ]
        if e.query is not None:
            q_schema = _query_schema(e.query)
            for name, prop in q_schema.get("properties", {}).items():
                params.append(
                    {
                        "name": name,
                        "in": "query",
                        "required": name in q_schema.get("required", []),
                        "schema": prop,
                    }
                )
        if params:
            op["parameters"] = params
        if e.binary and e.method in ("POST", "PUT"):
            op["requestBody"] = {"required": True, "content": {"*/*": {"schema": _BINARY}}}
        if e.body is not None:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": by_type[e.body]}},
            }
        if e.name in admin_names:
            op["security"] = [{"admin": []}]
        elif e.auth:
            op["security"] = [{"session": []}]
        paths.setdefault(e.path, {})[e.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Messenger server",
            "version": __version__,
            "description": "REST API of messenger-server. Push goes over the WebSocket at /v1/ws "
            "(see docs/protocol.md).",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "session": {"type": "http", "scheme": "bearer"},
                "admin": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "UserSig <administrator identifier>:<UserSig>",
                },
            },
        },
    }
