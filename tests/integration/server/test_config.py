"""Configuration as an operator meets it: the first start, precedence, and refusals."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from messenger.protocol import errors
from messenger.protocol.usersig import generate_usersig
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import SDK_APP_ID, SECRET_KEY, ServerProcess


async def signs_in(url: str, app_id: int, key: str) -> int:
    """Sign in with a UserSig made from ``app_id``/``key``; returns the server's SDKAppID."""
    user = uid("cfg")
    device = RawDevice(url, user)
    try:
        await device.sign_in(generate_usersig(app_id, key, user, 600))
        assert device.login is not None
        return device.login.sdk_app_id
    finally:
        await device.aclose()


async def test_the_first_start_writes_fresh_private_credentials(tmp_path: Path) -> None:
    first = ServerProcess(tmp_path / "one", credentials=False)
    second = ServerProcess(tmp_path / "two", credentials=False)
    try:
        first.start()
        second.start()
        path = first.data_dir / "server.toml"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        written = tomllib.loads(path.read_text("utf-8"))
        app_id, key = written["sdk_app_id"], written["secret_key"]
        assert 1_400_000_000 <= app_id < 2**32 and len(key) >= 32
        assert await signs_in(first.url, app_id, key) == app_id
        with pytest.raises(errors.UserSigForged):  # the test key is not this server's
            await signs_in(first.url, app_id, SECRET_KEY)
        other = tomllib.loads((second.data_dir / "server.toml").read_text("utf-8"))
        assert (other["sdk_app_id"], other["secret_key"]) != (app_id, key)
        # a restart keeps them, and keeps the file as it was
        before = path.read_text("utf-8")
        first.restart()
        assert path.read_text("utf-8") == before
        assert await signs_in(first.url, app_id, key) == app_id
    finally:
        first.stop()
        second.stop()


async def test_credentials_are_added_to_a_file_that_lacks_them(tmp_path: Path) -> None:
    data = tmp_path / "partial"
    data.mkdir()
    (data / "server.toml").write_text("device_limit = 3\n\n[limits]\nrecall_window_ms = 5000\n")
    proc = ServerProcess(data, credentials=False)
    try:
        proc.start()
        written = tomllib.loads((data / "server.toml").read_text("utf-8"))
        assert written["device_limit"] == 3
        assert written["limits"] == {"recall_window_ms": 5000}
        app_id, key = written["sdk_app_id"], written["secret_key"]
        proc.restart()
        assert await signs_in(proc.url, app_id, key) == app_id
    finally:
        proc.stop()


async def test_flags_beat_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    data = tmp_path / "precedence"
    data.mkdir()
    file_app, env_app = SDK_APP_ID + 1, SDK_APP_ID + 2
    (data / "server.toml").write_text(f'sdk_app_id = {file_app}\nsecret_key = "{SECRET_KEY}"\n')
    env = {"MESSENGER_SDK_APP_ID": str(env_app)}

    from_file = ServerProcess(data, credentials=False)
    from_env = ServerProcess(data, env=env, credentials=False)
    from_flag = ServerProcess(data, "--sdk-app-id", str(SDK_APP_ID), env=env, credentials=False)
    for proc, expected in ((from_file, file_app), (from_env, env_app), (from_flag, SDK_APP_ID)):
        try:
            proc.start()
            assert await signs_in(proc.url, expected, SECRET_KEY) == expected
        finally:
            proc.stop()


def run_server(
    data: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "messenger.server.cli",
            "--data-dir",
            str(data),
            "--port",
            "0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.parametrize(
    ("toml", "env", "args", "message"),
    [  # (every rule is in tests/unit/server/test_config.py; here: each source, end to end)
        ("", {"MESSENGER_PORT": "eighty"}, (), "port"),
        ("", {"MESSENGER_USER_MSG_RATE": "nan"}, (), "user_msg_rate"),
        ("", {}, ("--port", "70000"), "port"),
        ("", {}, ("--log-level", "loud"), "log_level"),
        ("", {}, ("--port", "eighty"), "--port"),
        ("device_limit = 0\n", {}, (), "device_limit"),
        ("recall_window = 5\n", {}, (), "recall_window"),
        ("[limits]\nrecall_window_ms = -1\n", {}, (), "recall_window_ms"),
        ("this is not toml", {}, (), "server.toml"),
    ],
)
def test_unusable_settings_are_refused_with_exit_code_2(
    tmp_path: Path, toml: str, env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    data = tmp_path / "bad"
    data.mkdir()
    if toml:
        (data / "server.toml").write_text(toml, "utf-8")
    done = run_server(data, *args, env=env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert message in done.stderr.strip().splitlines()[-1], "the last line says what is wrong"
