"""The embedded default: a real messenger-server on loopback, in a thread of the app's process.

It uses the app's data folder, listens on 127.0.0.1 only (a free port unless one is given), and
stops with the app. The GUI's event loop stays the GUI's: the server runs its own loop.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
from pathlib import Path

from messenger.server.config import ServerConfig, load_config
from messenger.server.runner import serve


class EmbeddedServer:
    def __init__(self, data_dir: Path, port: int = 0) -> None:
        self.config: ServerConfig = load_config(data_dir, {"host": "127.0.0.1", "port": port})
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self.port: int = self._sock.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> EmbeddedServer:
        self._thread = threading.Thread(target=self._main, name="embedded-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            raise RuntimeError(f"the embedded server did not start: {self._error!r}")
        return self

    def _main(self) -> None:
        loop = _plain_loop()
        self._loop = loop
        try:
            self._task = loop.create_task(
                serve(self.config, self._sock, on_started=self._ready.set)
            )
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        if self._thread is not None:
            self._thread.join(10)


def _plain_loop() -> asyncio.AbstractEventLoop:
    """A loop of our own, not the GUI's: the app's policy makes Qt loops, which need Qt's thread."""
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:
        if sys.platform == "win32":
            return asyncio.ProactorEventLoop()
        return asyncio.SelectorEventLoop()
