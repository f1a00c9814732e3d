"""The streaming media routes, outside the JSON router and its body cap: an upload's bytes
come in as they are sent (written on arrival, so a dropped connection keeps what came), and a
download goes out from the file with ``Range`` honoured.

Like every route they count against the per-address request rate, their path parameters are
decoded to their bounded types, and an upload whose bytes stop coming for ``request_timeout_ms``
is ended as if the connection had dropped (what arrived is kept; the client resumes)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from messenger.protocol import api
from messenger.protocol.api import DownloadQuery
from messenger.protocol.errors import InvalidParameter
from messenger.protocol.frames import encode
from messenger.server.context import ServerContext
from messenger.server.http.errors import error_response
from messenger.server.http.routes import _bearer, _path, _query

DOWNLOAD_CHUNK = 1 << 20
log = logging.getLogger(__name__)


class _FileResponse(FileResponse):
    chunk_size = DOWNLOAD_CHUNK


async def _until_disconnect(request: Request, idle: float) -> AsyncIterator[bytes]:
    stream = request.stream().__aiter__()
    try:
        while True:
            try:
                async with asyncio.timeout(idle):
                    chunk = await stream.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError:
                log.debug("an upload stalled for %.0f s: ended", idle)
                return  # as for a dropped connection: what arrived is kept
            if chunk:
                yield chunk
    except ClientDisconnect:
        return  # what arrived is kept; the client asks where to continue


def build_media_routes(ctx: ServerContext) -> list[Route]:
    upload_ep, download_ep = api.BY_NAME["upload_bytes"], api.BY_NAME["download"]
    requests = ctx.metrics.requests

    async def upload_bytes(request: Request) -> Response:
        started = time.perf_counter()
        try:
            await ctx.admission.ip_request(request.client.host if request.client else None)
            session = await ctx.auth.authenticate(_bearer(request))
            await ctx.admission.user_request(session.user_id)
            path = _path(request)
            raw = request.headers.get("upload-offset", "")
            if not raw.isdigit() or len(raw) > 15:
                raise InvalidParameter("Upload-Offset must be a byte offset", field="offset")
            status = await ctx.media.write(
                session.user_id,
                path["upload_id"],
                int(raw),
                _until_disconnect(request, ctx.config.request_timeout_ms / 1000),
            )
            response = Response(encode(status), media_type="application/json")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error body
            response = error_response(exc)
        requests.labels(upload_ep.name, str(response.status_code)).inc()
        ctx.metrics.request_seconds.labels(upload_ep.name).observe(time.perf_counter() - started)
        return response

    async def download(request: Request) -> Response:
        try:
            await ctx.admission.ip_request(request.client.host if request.client else None)
            q: DownloadQuery = _query(request, DownloadQuery)
            media_id = _path(request)["media_id"]
            if q.sig:
                ctx.media.check_link(
                    media_id, q.variant, q.user, q.expires, q.conversation_id, q.message_id, q.sig
                )
                user_id = q.user
            else:
                user_id = (await ctx.auth.authenticate(_bearer(request))).user_id
            found = await ctx.media.download(
                user_id, media_id, q.conversation_id, q.message_id, q.variant
            )
            response: Response = _FileResponse(
                found.path,
                media_type=found.mime,
                filename=found.filename,
                content_disposition_type="inline" if found.inline else "attachment",
                headers={
                    "X-Content-Type-Options": "nosniff",
                    "Cache-Control": "private, max-age=3600",
                    "Content-Security-Policy": "sandbox",
                },
            )
        except Exception as exc:  # noqa: BLE001
            response = error_response(exc)
        requests.labels(download_ep.name, str(response.status_code)).inc()
        return response

    return [
        Route(upload_ep.path, upload_bytes, methods=[upload_ep.method], name=upload_ep.name),
        Route(download_ep.path, download, methods=[download_ep.method], name=download_ep.name),
    ]
