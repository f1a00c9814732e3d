"""A slow link for downloads: the real HTTP transport, with file downloads (``/v1/media/…``)
trickling in small pieces, so a test can watch their progress and cancel them midway. The
server's answer is read whole first, then handed out piece by piece (nothing is left open when
the client stops reading)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx


class _Trickle(httpx.AsyncByteStream):
    def __init__(self, data: bytes, piece: int, pause: float) -> None:
        self._data = data
        self._piece = piece
        self._pause = pause

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self._data), self._piece):
            await asyncio.sleep(self._pause)
            yield self._data[start : start + self._piece]


class SlowDownloads(httpx.AsyncBaseTransport):
    """About ``piece / pause`` bytes a second for files; everything else at full speed."""

    def __init__(self, piece: int = 16 * 1024, pause: float = 0.02) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._piece = piece
        self._pause = pause

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method == "GET" and request.url.path.startswith("/v1/media/"):
            data = await response.aread()
            await response.aclose()
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=_Trickle(data, self._piece, self._pause),
                request=request,
            )
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
