"""The local server on this computer: reuse the one another app instance runs, else start one.

Started lazily (only when an account on "this computer" is used) and in a worker thread, so
the window stays responsive while it starts. Only the instance that started it stops it.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from messenger.app.embedded import EmbeddedServer
from messenger.server.runtime import read_run_info


def running_embedded_url(server_dir: Path) -> str | None:
    """The URL of an embedded server another app instance started on this folder, if alive."""
    url = read_run_info(server_dir)
    if url is None:
        return None
    try:
        httpx.get(url + "/health", timeout=2).raise_for_status()
    except httpx.HTTPError:
        return None
    return url


class LocalServer:
    def __init__(self, server_dir: Path) -> None:
        self.server_dir = server_dir
        self.embedded: EmbeddedServer | None = None  # set when this process runs it
        self._url: str | None = None
        self._lock = asyncio.Lock()

    @property
    def owned(self) -> bool:
        """This process started the server (and runs the demo bot, stops it at the end)."""
        return self.embedded is not None

    async def url(self) -> str:
        async with self._lock:
            if self._url is None:
                self._url = await asyncio.to_thread(self._find_or_start)
            return self._url

    def _find_or_start(self) -> str:
        url = running_embedded_url(self.server_dir)
        if url is not None:
            return url
        self.server_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.embedded = EmbeddedServer(self.server_dir).start()
        except RuntimeError:
            # Another instance may be starting one on this folder right now: use it.
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                url = running_embedded_url(self.server_dir)
                if url is not None:
                    return url
                time.sleep(0.2)
            raise
        return self.embedded.url

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None
            self._url = None
