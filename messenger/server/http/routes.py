"""REST routes generated from ``protocol.api.ENDPOINTS``: size cap, auth, decoding, errors."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messenger.protocol import api
from messenger.protocol.errors import InvalidParameter, PayloadTooLarge
from messenger.protocol.frames import encode
from messenger.server.context import ServerContext
from messenger.server.http.errors import error_response
from messenger.server.http.handlers import HANDLERS, Call, Handler
from messenger.server.services.auth import Session


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with ``PayloadTooLarge`` before more than ``limit`` is read."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise PayloadTooLarge(f"request body over {limit} bytes", limit=limit)
        except ValueError:
            raise InvalidParameter("bad Content-Length") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request body over {limit} bytes", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _decode(raw: bytes, kind: type[Any]) -> Any:
    try:
        return msgspec.json.decode(raw or b"{}", type=kind)
    except msgspec.ValidationError as exc:
        raise InvalidParameter(f"invalid request: {exc}") from None
    except msgspec.DecodeError:
        raise InvalidParameter("the request body is not valid JSON") from None


def _query(request: Request, kind: type[Any]) -> Any:
    try:
        return msgspec.convert(dict(request.query_params), kind, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidParameter(f"invalid query: {exc}") from None


Authenticate = Callable[[Request], Awaitable[Session | None]]


def build_route(
    endpoint: api.Endpoint,
    ctx: ServerContext,
    handler: Handler | None = None,
    authenticate: Authenticate | None = None,
) -> Route:
    """The route of one endpoint: ``handler`` defaults to the one registered under its name, and
    ``authenticate`` to the session check (when the endpoint needs one)."""
    handler = handler or HANDLERS[endpoint.name]
    limit = ctx.config.limits.request_bytes
    requests = ctx.metrics.requests
    latency = ctx.metrics.request_seconds.labels(endpoint.name)

    async def session_of(request: Request) -> Session | None:
        return await ctx.auth.authenticate(_bearer(request)) if endpoint.auth else None

    check = authenticate or session_of

    async def endpoint_fn(request: Request) -> Response:
        started = time.perf_counter()
        status = 200
        try:
            session = await check(request)
            body = query = None
            raw = b""
            if endpoint.binary and endpoint.method in ("POST", "PUT"):
                raw = await read_body(request, ctx.config.limits.avatar_bytes)
            elif endpoint.body is not None:
                body = _decode(await read_body(request, limit), endpoint.body)
            if endpoint.query is not None:
                query = _query(request, endpoint.query)
            path = dict(request.path_params)
            call = Call(ctx, session, path, body, query, started, raw)
            result = await handler(call)
            if isinstance(result, Response):
                response = result
            else:
                response = Response(encode(result), media_type="application/json")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error body
            response = error_response(exc)
            status = response.status_code
        requests.labels(endpoint.name, str(status)).inc()
        latency.observe(time.perf_counter() - started)
        return response

    return Route(endpoint.path, endpoint_fn, methods=[endpoint.method], name=endpoint.name)


def build_routes(ctx: ServerContext) -> list[Route]:
    missing = [e.name for e in api.ENDPOINTS if e.name not in HANDLERS]
    if missing:
        raise RuntimeError(f"endpoints without handlers: {missing}")
    return [build_route(e, ctx) for e in api.ENDPOINTS]
