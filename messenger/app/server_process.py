"""``messenger --local-server``: the local server as its own process, shared by every window.

An app window starts it from the same executable (so a frozen build needs no second program),
detached from the window: quitting any window leaves it running for the others. It serves the
app data folder's ``server/`` on 127.0.0.1 and a free port, says where in ``server/server.run``
(under the lock ``server/server.lock``), and exits on its own once no app process has used it
for ``idle_exit`` seconds (``presence``). A second one started on the same folder sees the lock
taken and exits at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from messenger.app.presence import users

log = logging.getLogger(__name__)

IDLE_EXIT = 60.0  # seconds without any app process before the server stops
_CHECK_EVERY = 1.0


def command(data_dir: Path, idle_exit: float | None = None) -> list[str]:
    """The command line that runs the local server of ``data_dir`` (this executable)."""
    if getattr(sys, "frozen", False):  # a bundled app: the executable is messenger itself
        cmd = [sys.executable, "--local-server"]
    else:
        cmd = [sys.executable, "-m", "messenger.app", "--local-server"]
    cmd += ["--data-dir", str(data_dir)]
    if idle_exit is not None:
        cmd += ["--idle-exit", str(idle_exit)]
    return cmd


def spawn(data_dir: Path, idle_exit: float | None = None) -> subprocess.Popen[bytes]:
    """Start the local server detached from this process (its own session / process group);
    its output goes to ``server/server.log``."""
    server_dir = data_dir / "server"
    server_dir.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {}
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
    else:
        kwargs["start_new_session"] = True  # a terminal's Ctrl+C on a window does not reach it
    with (server_dir / "server.log").open("ab") as out:
        return subprocess.Popen(
            command(data_dir, idle_exit),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            close_fds=True,
            **kwargs,
        )


def run_local_server(data_dir: Path, idle_exit: float = IDLE_EXIT) -> int:
    """The ``--local-server`` mode: serve until idle (or signalled); 0 also when another
    process already serves this folder."""
    from messenger.server.config import load_config
    from messenger.server.runtime import DataDirInUse

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server_dir = data_dir / "server"
    server_dir.mkdir(parents=True, exist_ok=True)
    config = load_config(server_dir, {"host": "127.0.0.1", "port": 0})
    try:
        import uvloop

        loop_factory: Any = uvloop.new_event_loop
    except ImportError:
        loop_factory = None
    try:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            runner.run(_serve_until_idle(config, server_dir, idle_exit))
    except DataDirInUse:
        log.info("another local server runs on %s", server_dir)
    return 0


async def _serve_until_idle(config: Any, server_dir: Path, idle_exit: float) -> None:
    from messenger.server.runner import serve

    stop = asyncio.Event()
    server = asyncio.create_task(serve(config, stop=stop))
    idle = 0.0
    try:
        while not server.done():
            await asyncio.wait({server}, timeout=_CHECK_EVERY)
            idle = idle + _CHECK_EVERY if users(server_dir) == 0 else 0.0
            if idle >= idle_exit and not stop.is_set():
                log.info("no app has used the local server for %.0f s: stopping", idle)
                stop.set()  # graceful, as on a signal
    finally:
        if not server.done():
            server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
    log.info("local server %d stopped", os.getpid())
