"""A real ``messenger-server`` for the backbone benchmarks: a subprocess on a free loopback port,
in a folder of the caller's, with the rate limits raised out of the way."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SDK_APP_ID = 1400000002
KEY = "benchmark-secret-key-0123456789abcdef"


class Server:
    def __init__(
        self, data_dir: Path, synchronous: str, *extra_args: str, code_root: Path | None = None
    ) -> None:
        """``code_root``: run the server from another copy of the code (a before/after)."""
        self.data_dir = data_dir
        port_file = data_dir / "port"
        env = {
            **os.environ,
            "MESSENGER_USER_MSG_RATE": "1000000",
            "MESSENGER_USER_MSG_BURST": "1000000",
            "MESSENGER_GROUP_MSG_RATE": "1000000",
            "MESSENGER_GROUP_MSG_BURST": "1000000",
            "MESSENGER_USER_REQUEST_RATE": "1000000",  # (a benchmark is one user's flood)
            "MESSENGER_USER_REQUEST_BURST": "1000000",
            "MESSENGER_USER_SOCKET_LIMIT": "1000000",
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "messenger.server.cli",
                "--data-dir",
                str(data_dir),
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--sdk-app-id",
                str(SDK_APP_ID),
                "--secret-key",
                KEY,
                "--log-level",
                "warning",
                "--sqlite-synchronous",
                synchronous,
                *extra_args,
            ],
            env=env if code_root is None else {**env, "PYTHONPATH": str(code_root)},
            cwd=code_root,
        )
        for _ in range(500):
            if port_file.exists() and port_file.read_text():
                break
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{port_file.read_text()}"
        self.ws_url = self.url.replace("http", "ws") + "/v1/ws"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)
