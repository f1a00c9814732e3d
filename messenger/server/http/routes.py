"""REST routes generated from ``protocol.api.ENDPOINTS``: size cap, auth, decoding, errors.

This is the REST edge: the body is read within ``request_timeout_ms`` and ``request_bytes``, then
the body, the query and the path parameters are decoded by ``protocol.decoding`` into their
declared, bounded types. A handler never sees raw input, and every failure on the way is a typed
4xx (client mistakes are logged at DEBUG, never with a traceback).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from messenger.protocol import api, decoding
from messenger.protocol.errors import InvalidParameter, PayloadTooLarge, RequestTooSlow
from messenger.protocol.frames import encode
from messenger.server.context import ServerContext
from messenger.server.http import operation_handlers as _operation_handlers  # noqa: F401
from messenger.server.http.errors import error_response
from messenger.server.http.handlers import HANDLERS, Call, Handler
from messenger.server.services.auth import Session


async def read_body(request: Request, limit: int, within: float = 10.0) -> bytes:
    """The request body, refused with ``PayloadTooLarge`` before more than ``limit`` is read, and
    with ``RequestTooSlow`` if it has not all arrived within ``within`` seconds."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise InvalidParameter("bad Content-Length", reason="header") from None
        if length > limit:
            raise PayloadTooLarge(f"request body over {limit} bytes", limit=limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(within):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"request body over {limit} bytes", limit=limit)
                chunks.append(chunk)
    except TimeoutError:
        raise RequestTooSlow(
            f"the request body did not arrive within {within:g} s", timeout_ms=int(within * 1000)
        ) from None
    except ClientDisconnect:
        raise InvalidParameter("the request body ended early", reason="disconnect") from None
    return b"".join(chunks)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _path(request: Request) -> dict[str, Any]:
    """The path parameters, each as its type in ``api.PATH_PARAMS``."""
    return {
        name: decoding.convert(value, api.PATH_PARAMS[name], what=f"path parameter {name}")
        for name, value in request.path_params.items()
    }


def _query(request: Request, kind: type[Any]) -> Any:
    try:
        params = dict(request.query_params)
    except UnicodeDecodeError:
        raise InvalidParameter("the query is not valid UTF-8", reason="encoding") from None
    return decoding.convert(params, kind, what="query")


Authenticate = Callable[[Request], Awaitable[Session | None]]

SIGN_IN = frozenset({"register", "password_login", "login"})
"""Endpoints that count as sign-in attempts (``Admission.sign_in``)."""
OWN_LIMITS = frozenset({"send"})
"""Endpoints with limits of their own (messages per sender and per group) instead of the
per-user request rate."""


def build_route(
    endpoint: api.Endpoint,
    ctx: ServerContext,
    handler: Handler | None = None,
    authenticate: Authenticate | None = None,
) -> Route:
    """The route of one endpoint: ``handler`` defaults to the one registered under its name, and
    ``authenticate`` to the session check (when the endpoint needs one)."""
    handler = handler or HANDLERS[endpoint.name]
    unknown = [p for p in endpoint.path_params if p not in api.PATH_PARAMS]
    if unknown:
        raise RuntimeError(f"{endpoint.name}: add path parameters {unknown} to api.PATH_PARAMS")
    limit = ctx.config.limits.request_bytes
    timeout = ctx.config.request_timeout_ms / 1000
    requests = ctx.metrics.requests
    latency = ctx.metrics.request_seconds.labels(endpoint.name)

    async def session_of(request: Request) -> Session | None:
        return await ctx.auth.authenticate(_bearer(request)) if endpoint.auth else None

    check = authenticate or session_of
    admission = ctx.admission
    sign_in = endpoint.name in SIGN_IN

    async def endpoint_fn(request: Request) -> Response:
        started = time.perf_counter()
        status = 200
        try:
            ip = request.client.host if request.client else None
            await admission.ip_request(ip)
            if sign_in:
                await admission.sign_in(ip)
            session = await check(request)
            if session is not None and endpoint.name not in OWN_LIMITS:
                await admission.user_request(session.user_id)
            body = query = None
            path = _path(request)
            raw = b""
            if endpoint.binary and endpoint.method in ("POST", "PUT"):
                raw = await read_body(request, ctx.config.limits.avatar_bytes, timeout)
            elif endpoint.body is not None:
                body = decoding.decode(
                    await read_body(request, limit, timeout) or b"{}",
                    endpoint.body,
                    what="request body",
                )
            if endpoint.query is not None:
                query = _query(request, endpoint.query)
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
