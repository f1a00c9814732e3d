"""Errors as HTTP responses: every failure is an ``ErrorBody`` with its class's status."""

from __future__ import annotations

import logging

from starlette.responses import Response

from messenger.protocol.errors import MessengerError, ServerError
from messenger.protocol.frames import encode

log = logging.getLogger(__name__)


def error_response(exc: BaseException) -> Response:
    if not isinstance(exc, MessengerError):
        log.exception("unexpected error", exc_info=exc)
        exc = ServerError("internal server error")
    headers = {}
    retry = exc.details.get("retry_after_ms")
    if isinstance(retry, int):
        headers["Retry-After"] = str(max(1, (retry + 999) // 1000))
    return Response(
        encode(exc.to_wire()),
        status_code=exc.http_status,
        media_type="application/json",
        headers=headers,
    )
