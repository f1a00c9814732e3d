"""A PulseAudio server of a test's own: one null sink ("speakers": plays into nothing, at real
speed) and one null source ("microphone": silence), so Qt Multimedia records and plays as on a
desktop, on a machine without sound hardware, and nothing reaches a real microphone or
speakers. Clients find it through ``PULSE_SERVER`` (``address``).

    with start_sound_server() as server:
        subprocess.run([...], env={**os.environ, "PULSE_SERVER": server.address})

``NoSoundServer`` says why it cannot start (``pulseaudio`` not installed: ``make
system-deps-test`` installs it). Should the test process die without stopping it, the server
ends by itself once no client has used it for two minutes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


class NoSoundServer(Exception):
    """The sound server could not be started (the message says why)."""


class SoundServer:
    def __init__(self, process: subprocess.Popen[bytes], folder: Path, log: Path) -> None:
        self.process = process
        self.folder = folder
        self.log = log
        self.address = f"unix:{folder / 'native'}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def start_sound_server(within: float = 15.0) -> Iterator[SoundServer]:
    binary = shutil.which("pulseaudio")
    if binary is None:
        raise NoSoundServer("pulseaudio is not installed (make system-deps-test installs it)")
    # A short folder of its own: a Unix socket's path is limited to about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="pulse-"))
    folder.chmod(0o700)
    log = folder / "log.txt"
    sock = folder / "native"
    env = {
        **os.environ,
        "HOME": str(folder),
        "XDG_RUNTIME_DIR": str(folder),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "PULSE_RUNTIME_PATH": str(folder),
    }
    env.pop("PULSE_SERVER", None)
    command = [
        binary,
        "-n",  # no default configuration: only the modules below
        "--daemonize=no",
        "--use-pid-file=no",
        "--exit-idle-time=120",
        "--log-target=stderr",
        "-L",
        f"module-native-protocol-unix socket={sock} auth-anonymous=1",
        "-L",
        "module-null-sink sink_name=speakers",
        "-L",
        "module-null-source source_name=microphone",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = SoundServer(process, folder, log)
    deadline = time.monotonic() + within
    while not (sock.exists() and _answers(sock)):
        if process.poll() is not None or time.monotonic() > deadline:
            reason = log.read_text(errors="replace").strip().splitlines()[-3:]
            server.stop()
            raise NoSoundServer("pulseaudio did not start: " + " | ".join(reason))
        time.sleep(0.05)
    try:
        yield server
    finally:
        server.stop()
