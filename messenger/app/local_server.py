"""The local server on this computer, shared by every app window of one data folder.

The server is its own process (``messenger --local-server``, see ``server_process``). Its folder
``<data>/server`` holds the lock ``server.lock`` (taken by the running server) and ``server.run``
(where it listens). A window reads ``server.run``, checks ``/health``, and when nobody serves
the folder starts the server (one window at a time: ``start.lock``) and waits until it answers.

The core asks again (``resolve``) when its connection fails, so when the server has moved (it
stopped and was started again on another port) every window follows it within seconds, and a
server that has gone away is started again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from messenger.app import server_process
from messenger.app.presence import Presence
from messenger.server.runtime import DataDirLock, read_run_info

log = logging.getLogger(__name__)

START_LOCK = "start.lock"
_NOWHERE = "http://127.0.0.1:9"  # refuses connections: the core asks the resolver at once
_START_TIMEOUT = 30.0


class LocalServerError(RuntimeError):
    """The local server could not be started (its log says why)."""


def running_url(server_dir: Path) -> str | None:
    """The URL of the local server of this folder, if one runs and answers."""
    url = read_run_info(server_dir)
    if url is None:
        return None
    import httpx

    try:
        answer = httpx.get(url + "/health", timeout=2)
        answer.raise_for_status()
        healthy = answer.json().get("status") == "ok"
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return url if healthy else None


def served(server_dir: Path) -> bool:
    """Does a process hold the server lock of this folder (running, or starting)?"""
    if not server_dir.is_dir():
        return False
    probe = DataDirLock(server_dir)
    if probe.try_acquire():
        probe.release()
        return False
    return True


class LocalServer:
    """This window's handle on the shared local server of ``<data>/server``."""

    def __init__(self, server_dir: Path, *, idle_exit: float | None = None) -> None:
        self.server_dir = server_dir
        self.idle_exit = idle_exit  # None: the server's default
        self.presence = Presence(server_dir)
        self.started = False  # this window started the server at least once
        self._url: str | None = None
        self._lock = asyncio.Lock()
        self._warming: asyncio.Task[None] | None = None

    async def url(self) -> str:
        """The running server's URL; starts the server if nobody runs it. Also the core's
        resolver: asked again when a connection fails, it finds where the server is now."""
        async with self._lock:
            self._url = await asyncio.to_thread(self._find_or_start)
            return self._url

    def known_url(self) -> str:
        """Where the server was last seen, without waiting (a resumed session paints from its
        store at once and connects when the server answers; the core follows it if it moved).
        Also starts the server in the background if it is not running."""
        self._warm()
        return self._url or read_run_info(self.server_dir) or _NOWHERE

    def _warm(self) -> None:
        if self._warming is None or self._warming.done():
            self._warming = asyncio.get_running_loop().create_task(self._quietly())

    async def _quietly(self) -> None:
        try:
            await self.url()
        except LocalServerError as exc:  # the connection keeps trying; the log says why
            log.warning("%s", exc)

    def _find_or_start(self) -> str:
        self.presence.enter()  # before the server can see no users and stop
        url = running_url(self.server_dir)
        if url is not None:
            return url
        self.server_dir.mkdir(parents=True, exist_ok=True)
        starter = DataDirLock(self.server_dir, START_LOCK)
        deadline = time.monotonic() + _START_TIMEOUT
        while not starter.try_acquire():  # another window is starting it: wait for that one
            if time.monotonic() > deadline:
                raise LocalServerError("another window kept starting the local server")
            time.sleep(0.05)
        try:
            url = running_url(self.server_dir)
            if url is not None:
                return url
            process = None
            if not served(self.server_dir):
                log.info("starting the local server in %s", self.server_dir)
                process = server_process.spawn(self.server_dir.parent, self.idle_exit)
                _keep(process)
                self.started = True
            while (url := running_url(self.server_dir)) is None:
                if process is not None and process.poll() is not None:
                    raise LocalServerError(f"the local server exited: {self._log_tail()}")
                if time.monotonic() > deadline:
                    raise LocalServerError(f"the local server did not start: {self._log_tail()}")
                time.sleep(0.05)
            return url
        finally:
            starter.release()

    def _log_tail(self) -> str:
        try:
            return (self.server_dir / "server.log").read_text("utf-8", "replace")[-2000:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """This window is done with the server (the server stays for the other windows, and
        stops by itself once none is left)."""
        if self._warming is not None:
            self._warming.cancel()
        self.presence.leave()
        self._url = None


_children: list[object] = []  # started servers, kept so that no Popen is collected while alive


def _keep(process: object) -> None:
    _children.append(process)
