"""Configuration: precedence (flags > environment > file > defaults), generated credentials,
and refusals with a reason."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from messenger.protocol.models import Limits
from messenger.server.config import ConfigError, load_config

CREDS = 'sdk_app_id = 1400000123\nsecret_key = "0123456789abcdef0123"\n'


def write(data: Path, text: str) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    (data / "server.toml").write_text(text, "utf-8")
    return data


def test_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, CREDS), environ={})
    assert (config.sdk_app_id, config.secret_key) == (1400000123, "0123456789abcdef0123")
    assert (config.host, config.port, config.device_limit) == ("127.0.0.1", 8080, 5)
    assert config.limits == Limits()
    assert config.database_path == tmp_path / "messenger.sqlite3"


def test_flags_beat_environment_beat_file(tmp_path: Path) -> None:
    data = write(tmp_path, CREDS + "port = 1111\ndevice_limit = 2\nhost = '0.0.0.0'\n")
    environ = {"MESSENGER_PORT": "2222", "MESSENGER_DEVICE_LIMIT": "3"}
    config = load_config(data, {"port": 3333}, environ)
    assert (config.port, config.device_limit, config.host) == (3333, 3, "0.0.0.0")
    config = load_config(data, {"port": None}, environ)  # an absent flag is no flag
    assert (config.port, config.device_limit) == (2222, 3)
    config = load_config(data, None, {})
    assert (config.port, config.device_limit) == (1111, 2)


def test_environment_values_are_parsed(tmp_path: Path) -> None:
    environ = {
        "MESSENGER_USER_MSG_RATE": "2.5",
        "MESSENGER_ADMIN_USERS": "root, ops ,",
        "MESSENGER_DEVICE_POLICY": "reject_new",
        "MESSENGER_DATA_DIR": "/not/a/setting",  # (used by the CLI for the folder, ignored here)
    }
    config = load_config(write(tmp_path, CREDS), environ=environ)
    assert config.user_msg_rate == 2.5
    assert config.admin_users == ("root", "ops")
    assert config.device_policy == "reject_new"


def test_limits_from_the_file_and_from_overrides(tmp_path: Path) -> None:
    data = write(tmp_path, CREDS + "[limits]\nrecall_window_ms = 300\ntext_bytes = 100\n")
    config = load_config(data, {"limits": {"text_bytes": 200}}, {})
    assert (config.limits.recall_window_ms, config.limits.text_bytes) == (300, 200)
    assert config.limits.mentions == Limits().mentions


def test_first_start_generates_private_credentials(tmp_path: Path) -> None:
    data = tmp_path / "new"
    config = load_config(data, environ={})
    path = data / "server.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = tomllib.loads(path.read_text("utf-8"))
    assert (saved["sdk_app_id"], saved["secret_key"]) == (config.sdk_app_id, config.secret_key)
    assert 1_400_000_000 <= config.sdk_app_id < 1_500_000_000
    assert len(config.secret_key) == 64
    again = load_config(data, environ={})
    assert (again.sdk_app_id, again.secret_key) == (config.sdk_app_id, config.secret_key)
    other = load_config(tmp_path / "other", environ={})
    assert other.secret_key != config.secret_key


def test_missing_credentials_are_added_to_an_existing_file(tmp_path: Path) -> None:
    data = write(tmp_path, "# mine\nport = 1234\n\n[limits]\nmentions = 5\n")
    config = load_config(data, environ={})
    text = (data / "server.toml").read_text("utf-8")
    saved = tomllib.loads(text)
    assert saved["port"] == 1234 and saved["limits"] == {"mentions": 5}
    assert saved["sdk_app_id"] == config.sdk_app_id and "# mine" in text
    assert stat.S_IMODE((data / "server.toml").stat().st_mode) == 0o600
    assert load_config(data, environ={}).secret_key == config.secret_key


def test_credentials_from_flags_or_environment_write_nothing(tmp_path: Path) -> None:
    data = tmp_path / "flags"
    load_config(data, {"sdk_app_id": 1400000001, "secret_key": "k" * 20}, {})
    assert not (data / "server.toml").exists()
    environ = {"MESSENGER_SDK_APP_ID": "1400000002", "MESSENGER_SECRET_KEY": "e" * 20}
    assert load_config(data, None, environ).sdk_app_id == 1400000002
    assert not (data / "server.toml").exists()


@pytest.mark.parametrize(
    ("toml", "environ", "overrides", "message"),
    [
        ("port = 'eighty'\n", {}, {}, "port"),
        ("", {"MESSENGER_PORT": "8o"}, {}, "port"),
        ("", {}, {"port": 65536}, "port"),
        ("", {}, {"port": -1}, "port"),
        ("device_limit = 0\n", {}, {}, "device_limit"),
        ("device_limit = true\n", {}, {}, "device_limit"),
        ("device_policy = 'coin_toss'\n", {}, {}, "device_policy"),
        ("", {"MESSENGER_USER_MSG_RATE": "inf"}, {}, "user_msg_rate"),
        ("", {"MESSENGER_GROUP_MSG_RATE": "0"}, {}, "group_msg_rate"),
        ("user_msg_burst = 0\n", {}, {}, "user_msg_burst"),
        ("ws_queue_limit = 0\n", {}, {}, "ws_queue_limit"),
        ("password_usersig_expire = 1\n", {}, {}, "password_usersig_expire"),
        ("sqlite_synchronous = 'OFF'\n", {}, {}, "sqlite_synchronous"),
        ("log_level = 'chatty'\n", {}, {}, "log_level"),
        ("log_format = 'xml'\n", {}, {}, "log_format"),
        ("sdk_app_id = 0\n", {}, {}, "sdk_app_id"),
        ("secret_key = 'short'\n", {}, {}, "secret_key"),
        ("prot = 8080\n", {}, {}, "prot"),
        ("", {}, {"prot": 8080}, "prot"),
        ("[limits]\ntext_bytes = 0\n", {}, {}, "text_bytes"),
        ("[limits]\ntext_bytes = 'lots'\n", {}, {}, "limits"),
        ("[limits]\ntxt_bytes = 5\n", {}, {}, "txt_bytes"),
        ("limits = 3\n", {}, {}, "limits"),
        ("port = \n", {}, {}, "server.toml"),
    ],
)
def test_unusable_values_are_refused_with_a_reason(
    tmp_path: Path, toml: str, environ: dict[str, str], overrides: dict[str, Any], message: str
) -> None:
    full = toml if toml.startswith(("sdk_app_id", "secret_key")) else CREDS + toml
    if toml.startswith("secret_key"):
        full = "sdk_app_id = 1400000123\n" + toml
    data = write(tmp_path, full)
    with pytest.raises(ConfigError, match=message):
        load_config(data, overrides, environ)


def test_nothing_is_written_for_an_unusable_configuration(tmp_path: Path) -> None:
    data = tmp_path / "bad"
    with pytest.raises(ConfigError, match="port"):
        load_config(data, environ={"MESSENGER_PORT": "99999"})
    assert not (data / "server.toml").exists()
