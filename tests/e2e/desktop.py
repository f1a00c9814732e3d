"""A real X desktop for the end-to-end tests: Xvfb on a free display, a window manager, input
with xdotool, and the app in real processes with its opt-in test probe."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOLS = ("Xvfb", "openbox", "xdotool")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@contextlib.contextmanager
def x_desktop(width: int = 1600, height: int = 1000) -> Iterator[str]:
    """Xvfb on a display it picks itself (``-displayfd``) with openbox on it; yields ``:N``."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    display = f":{number}"
    wm = subprocess.Popen(
        ["openbox"],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)  # the window manager takes the screen
        yield display
    finally:
        for proc in (wm, xvfb):
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)


def xdotool(display: str, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


@dataclass
class App:
    """One app process with its probe."""

    name: str
    proc: subprocess.Popen[bytes]
    probe_path: Path
    display: str
    log_path: Path
    _sock: socket.socket | None = field(default=None, repr=False)
    _buffer: bytes = b""

    def ask(self, cmd: str, **fields: Any) -> dict[str, Any]:
        if self._sock is None:
            self._sock = socket.socket(socket.AF_UNIX)
            self._sock.settimeout(20)
            self._sock.connect(str(self.probe_path))
        self._sock.sendall(json.dumps({"cmd": cmd, **fields}).encode() + b"\n")
        while b"\n" not in self._buffer:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"{self.name}: the probe closed")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        if not answer.pop("ok"):
            raise RuntimeError(f"{self.name}: {answer['error']}")
        return answer

    def until(self, test: Any, within: float = 30.0, what: str = "") -> dict[str, Any]:
        """Ask for the state until ``test(state)`` holds; returns that state."""
        deadline = time.monotonic() + within
        while True:
            state = self.ask("state")
            if test(state):
                return state
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {what or 'condition'} not reached: {state}")
            time.sleep(0.1)

    def click(self, rect: list[int]) -> None:
        x, y, w, h = rect
        xdotool(self.display, "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")

    def click_widget(self, path: str) -> None:
        self.click(self.ask("widget", path=path)["rect"])

    def type(self, text: str) -> None:
        xdotool(self.display, "type", "--delay", "15", text)

    def key(self, *keys: str) -> None:
        xdotool(self.display, "key", *keys)

    def resize(self, width: int, height: int) -> None:
        window = str(self.ask("state")["window_id"])
        xdotool(self.display, "windowsize", "--sync", window, str(width), str(height))

    def activate(self) -> None:
        window = str(self.ask("state")["window_id"])
        xdotool(self.display, "windowactivate", "--sync", window)
        xdotool(self.display, "windowraise", window)
        time.sleep(0.2)  # the window manager restacks

    def move(self, x: int, y: int) -> None:
        window = str(self.ask("state")["window_id"])
        xdotool(self.display, "windowmove", "--sync", window, str(x), str(y))

    def log(self) -> str:
        try:
            return self.log_path.read_text("utf-8", "replace")[-3000:]
        except OSError:
            return "(no log)"

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.proc.poll() is None:
            with contextlib.suppress(Exception):
                self.ask("quit")
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait(10)


def launch(
    name: str, data: Path, display: str, runtime: Path, *args: str, probe: bool = True
) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """Start ``messenger`` on ``display``; returns the process, its probe socket and its log."""
    probe_path = runtime / f"{name}.sock"
    probe_path.unlink(missing_ok=True)
    log_path = runtime / f"{name}.log"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "MESSENGER_CONSOLE_LOG": "info",
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/messenger-e2e-bus",
    }
    if probe:
        env["MESSENGER_TEST_PROBE"] = str(probe_path)
    with log_path.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "messenger.app", "--data-dir", str(data), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, probe_path, log_path


def start_app(name: str, data: Path, display: str, runtime: Path, *args: str) -> App:
    proc, probe_path, log_path = launch(name, data, display, runtime, *args)
    deadline = time.monotonic() + 60
    while not probe_path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{name} did not start: {log_path.read_text()[-3000:]}")
        time.sleep(0.05)
    return App(name, proc, probe_path, display, log_path)
