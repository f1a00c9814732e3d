"""One app instance per account of a data folder: a second launch shows the running window.

While an instance shows an account it holds ``instances/<digest>.lock`` in the data folder (the
operating system drops the lock however the process ends) and listens on a local socket of the
same name (``QLocalServer``: a Unix socket, a named pipe on Windows). A launch that would open
the same account finds the lock taken, asks the holder through the socket to show its window,
and ends; signing in a second time would have signed the first window out. The sign-in window of
another instance does the same when it is asked to open that account (``show_if_open``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from messenger.server.runtime import DataDirLock

log = logging.getLogger(__name__)

INSTANCES_DIR = "instances"
_SHOW = b"show\n"
_SHOWN = b"ok\n"


def socket_name(data_dir: Path, key: str) -> str:
    """A short name, the same for every process using this data folder and account."""
    where = f"{data_dir.resolve()}\n{key}".encode()
    return "messenger-" + hashlib.sha256(where).hexdigest()[:20]


def ask_to_show(data_dir: Path, key: str, timeout_ms: int = 2000) -> bool:
    """If an instance shows ``key`` already, ask it to bring its window to the front; True if
    one does (then this launch should end)."""
    name = socket_name(data_dir, key)
    if not _held_elsewhere(data_dir, name):
        return False
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        log.warning("another instance holds %s but does not answer", key)
        return True  # it runs (the lock says so): a second sign-in would sign it out
    socket.write(_SHOW)
    socket.waitForBytesWritten(timeout_ms)
    socket.waitForReadyRead(timeout_ms)
    socket.disconnectFromServer()
    return True


def _held_elsewhere(data_dir: Path, name: str) -> bool:
    (data_dir / INSTANCES_DIR).mkdir(parents=True, exist_ok=True)
    probe = DataDirLock(data_dir / INSTANCES_DIR, name + ".lock")
    if probe.try_acquire():
        probe.release()
        return False
    return True


async def show_if_open(data_dir: Path, key: str, timeout_s: float = 2.0) -> bool:
    """``ask_to_show`` for a running window (the sign-in window choosing an account): the
    event loop keeps turning while the other instance answers (it may be in this process)."""
    name = socket_name(data_dir, key)
    if not _held_elsewhere(data_dir, name):
        return False
    socket = QLocalSocket()
    answered = asyncio.get_running_loop().create_future()

    def done() -> None:
        if not answered.done():
            answered.set_result(None)

    socket.readyRead.connect(done)
    socket.disconnected.connect(done)
    socket.errorOccurred.connect(lambda _error: done())
    socket.connected.connect(lambda: socket.write(_SHOW))
    socket.connectToServer(name)
    try:
        async with asyncio.timeout(timeout_s):
            await answered
    except TimeoutError:
        log.warning("another instance holds %s but does not answer", key)
    finally:
        socket.abort()
        socket.deleteLater()
    return True  # it runs (the lock says so): a second sign-in would sign it out


class InstanceGuard(QObject):
    """Claims the account this instance shows; ``show_requested`` when another launch asks."""

    show_requested = Signal()

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.data_dir = data_dir
        self._lock: DataDirLock | None = None
        self._server: QLocalServer | None = None

    def claim(self, key: str) -> bool:
        """This instance shows ``key`` now; False if another one holds it."""
        self.release()
        name = socket_name(self.data_dir, key)
        (self.data_dir / INSTANCES_DIR).mkdir(parents=True, exist_ok=True)
        lock = DataDirLock(self.data_dir / INSTANCES_DIR, name + ".lock")
        if not lock.try_acquire():
            return False
        self._lock = lock
        QLocalServer.removeServer(name)  # a socket file left by a process that ended
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._answer)
        if not server.listen(name):
            log.warning("cannot listen on %s: %s", name, server.errorString())
        self._server = server
        return True

    def release(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            server.deleteLater()
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def _answer(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            connection = server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        if bytes(connection.readAll().data()).startswith(_SHOW.strip()):
            log.info("another launch of this account: showing the window")
            self.show_requested.emit()
            connection.write(_SHOWN)
