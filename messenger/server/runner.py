"""Running the ASGI app under uvicorn: the data-folder lock, the bound socket, announcing readiness."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from messenger.server.app import create_app
from messenger.server.config import ServerConfig
from messenger.server.context import ServerContext
from messenger.server.http import connections
from messenger.server.http.connections import ConnectionsByAddress
from messenger.server.http.httpproto import with_head_timeout
from messenger.server.http.wsproto import MessengerWebSocketProtocol
from messenger.server.runtime import (
    DataDirLock,
    clear_run_info,
    local_url,
    write_run_info,
)


def uvicorn_config(app: Any, config: ServerConfig) -> uvicorn.Config:
    connections.COUNTER = ConnectionsByAddress(config.ip_connection_limit, config.ip_limits_exempt)
    return uvicorn.Config(
        app,
        http=with_head_timeout(config.request_timeout_ms / 1000),
        ws=MessengerWebSocketProtocol,
        ws_max_size=config.limits.request_bytes,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        lifespan="on",
        log_level=config.log_level,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=5,
    )


async def serve(
    config: ServerConfig,
    sock: socket.socket | None = None,
    port_file: Path | None = None,
    on_started: Callable[[], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until cancelled, signalled or ``stop`` is set (a graceful stop, like a signal).
    ``sock``: an already bound socket (tests, embedded).

    The data folder is locked while the server runs (``DataDirInUse`` if another server has it),
    and ``server.run`` in it says where the server listens (for ``messenger-server admin``)."""
    lock = DataDirLock(config.data_dir)
    lock.acquire()
    try:
        if sock is None:
            sock = socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((config.host, config.port))
        app = create_app(config, ServerContext.build(config))
        server = uvicorn.Server(uvicorn_config(app, config))
        loop = asyncio.get_running_loop()
        helpers = [
            loop.create_task(_announce(server, sock, config.data_dir, port_file, on_started))
        ]
        if stop is not None:
            helpers.append(loop.create_task(_stop_when_set(server, stop)))
        try:
            await server.serve(sockets=[sock])
        except SystemExit:  # uvicorn's answer to a failed startup: say why instead
            startup_error = getattr(app.state, "startup_error", None)
            if startup_error is not None:
                raise startup_error from None
            raise
        finally:
            for helper in helpers:
                helper.cancel()
    finally:
        clear_run_info(config.data_dir)
        lock.release()


async def _stop_when_set(server: uvicorn.Server, stop: asyncio.Event) -> None:
    await stop.wait()
    server.should_exit = True


async def _announce(
    server: uvicorn.Server,
    sock: socket.socket,
    data_dir: Path,
    port_file: Path | None,
    on_started: Callable[[], None] | None,
) -> None:
    """Once the server accepts connections: say where (``server.run``, and the bound port in
    ``port_file``), call ``on_started``."""
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no started event
        await asyncio.sleep(0.02)
    host, port = sock.getsockname()[:2]
    await asyncio.to_thread(write_run_info, data_dir, local_url(host, port))
    if port_file is not None:
        await asyncio.to_thread(port_file.write_text, str(port), "utf-8")
    if on_started is not None:
        on_started()
