"""Slow links: the real HTTP transport, with file downloads (``/v1/media/…``) trickling in small
pieces, so a test can watch their progress and cancel them midway (the server's answer is read
whole first, then handed out piece by piece: nothing is left open when the client stops
reading); or with upload bytes (``/v1/uploads/…``) sent at a set pace, so a test can stop the
app in the middle of an upload."""

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


class _Paced(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, per_second: int) -> None:
        self._inner = inner
        self._per_second = per_second

    async def __aiter__(self) -> AsyncIterator[bytes]:
        piece = max(1, self._per_second // 20)
        async for chunk in self._inner:
            for start in range(0, len(chunk), piece):
                await asyncio.sleep(0.05)
                yield chunk[start : start + piece]


class SlowUploads(httpx.AsyncBaseTransport):
    """Upload bytes at about ``per_second``; everything else at full speed."""

    def __init__(self, per_second: int = 1_000_000) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._per_second = per_second

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.startswith("/v1/uploads/"):
            assert isinstance(request.stream, httpx.AsyncByteStream)
            request.stream = _Paced(request.stream, self._per_second)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
