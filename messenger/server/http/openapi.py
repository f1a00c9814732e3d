"""The OpenAPI 3.1 document, generated from ``protocol.api`` and the msgspec models."""

from __future__ import annotations

from typing import Any

import msgspec

from messenger import __version__
from messenger.protocol import api
from messenger.protocol.models import ErrorBody

_REF = "#/components/schemas/{name}"


def build_openapi() -> dict[str, Any]:
    types: list[type[Any]] = [ErrorBody]
    for e in api.ENDPOINTS:
        types.append(e.response)
        if e.body is not None:
            types.append(e.body)
    unique = list(dict.fromkeys(types))
    schemas, components = msgspec.json.schema_components(unique, ref_template=_REF)
    by_type = dict(zip(unique, schemas, strict=True))
    error_ref = by_type[ErrorBody]
    paths: dict[str, dict[str, Any]] = {}
    for e in api.ENDPOINTS:
        op: dict[str, Any] = {
            "operationId": e.name,
            "summary": e.summary,
            "tags": [e.tag] if e.tag else [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": by_type[e.response]}},
                },
                "default": {
                    "description": "A typed error",
                    "content": {"application/json": {"schema": error_ref}},
                },
            },
        }
        params: list[dict[str, Any]] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in e.path_params
        ]
        if e.query is not None:
            q_schema = msgspec.json.schema(e.query)
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
        if e.body is not None:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": by_type[e.body]}},
            }
        if e.auth:
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
            "securitySchemes": {"session": {"type": "http", "scheme": "bearer"}},
        },
    }
