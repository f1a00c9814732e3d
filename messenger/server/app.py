"""The ASGI application factory: routes, WebSocket, OpenAPI, metrics, and the services' lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route, WebSocketRoute

from messenger.protocol.errors import InvalidRequest, NotFound, SchemaTooNew
from messenger.server.config import ServerConfig
from messenger.server.context import ServerContext
from messenger.server.http.admin import ADMIN_ENDPOINTS, build_admin_routes
from messenger.server.http.errors import error_response
from messenger.server.http.media import build_media_routes
from messenger.server.http.openapi import build_openapi
from messenger.server.http.routes import build_routes
from messenger.server.http.ws import websocket_endpoint

log = logging.getLogger(__name__)


async def _media_collection_loop(ctx: ServerContext) -> None:
    """Unfinished uploads and unused files are collected after ``media_orphan_ms``."""
    period = min(max(ctx.config.media_orphan_ms / 4000, 1.0), 3600.0)
    while True:
        try:
            await ctx.media.collect()
        except Exception:
            log.exception("media collection failed")
        await asyncio.sleep(period)


async def _expiry_loop(ctx: ServerContext) -> None:
    while True:
        await asyncio.sleep(ctx.config.session_check_ms / 1000)
        try:
            await ctx.auth.expire_sessions()
        except Exception:
            log.exception("session expiry check failed")


def create_app(config: ServerConfig, ctx: ServerContext | None = None) -> Starlette:
    ctx = ctx or ServerContext.build(config)
    openapi = build_openapi(ADMIN_ENDPOINTS)

    async def openapi_json(_: Request) -> Response:
        return JSONResponse(openapi)

    async def metrics(_: Request) -> Response:
        return Response(ctx.metrics.render(), media_type="text/plain; version=0.0.4")

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(NotFound(f"no route {request.url.path}"))

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        """405 keeps its status, with a typed body like every other failure."""
        response = error_response(
            InvalidRequest(f"{request.method} is not allowed on {request.url.path}")
        )
        response.status_code = 405
        allowed: set[str] = set()
        for route in routes:  # every route of this path, not only the first one Starlette tried
            if isinstance(route, Route) and route.methods:
                match, _ = route.matches(request.scope)
                if match is not Match.NONE:
                    allowed |= route.methods
        if allowed:
            response.headers["Allow"] = ", ".join(sorted(allowed))
        return response

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            await ctx.storage.open()
        except SchemaTooNew as exc:  # the runner tells the CLI (uvicorn only logs a traceback)
            app.state.startup_error = exc
            raise
        await ctx.media.open()
        await ctx.hub.bus.start()
        await ctx.listener.catch_up_horizon()
        loop = asyncio.get_running_loop()
        expiry = loop.create_task(_expiry_loop(ctx))
        collection = loop.create_task(_media_collection_loop(ctx))
        log.info(
            "messenger-server ready (SDKAppID %s, data %s)", config.sdk_app_id, config.data_dir
        )
        try:
            yield
        finally:
            expiry.cancel()
            collection.cancel()
            await ctx.groups.live_counts.aclose()
            await ctx.hub.shutdown()
            await ctx.hub.bus.close()
            await ctx.callbacks.aclose()
            await ctx.storage.close()
            log.info("messenger-server stopped")

    routes: list[BaseRoute] = [
        *build_routes(ctx),
        *build_media_routes(ctx),
        *build_admin_routes(ctx),
        WebSocketRoute("/v1/ws", websocket_endpoint, name="websocket"),
        Route("/openapi.json", openapi_json, name="openapi"),
        Route("/metrics", metrics, name="metrics"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: not_found, 405: method_not_allowed},
    )
    app.state.ctx = ctx
    return app
