"""Server configuration: flags, then environment, then ``server.toml`` in the data folder, then
defaults. The first start writes ``server.toml`` with a fresh SDKAppID and secret key."""

from __future__ import annotations

import dataclasses
import math
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from messenger.protocol.models import Limits

CONFIG_FILE = "server.toml"
DATABASE_FILE = "messenger.sqlite3"
ENV_PREFIX = "MESSENGER_"


class ConfigError(Exception):
    """The configuration cannot be used; the message says why."""


@dataclass(slots=True)
class ServerConfig:
    data_dir: Path
    sdk_app_id: int
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8080
    limits: Limits = field(default_factory=Limits)
    device_limit: int = 5
    device_policy: str = "kick_oldest"  # or "reject_new"
    user_msg_rate: float = 20.0  # messages per second per sender
    user_msg_burst: int = 50
    group_msg_rate: float = 40.0  # messages per second per group (TIM's default)
    group_msg_burst: int = 80
    password_usersig_expire: int = 180 * 86400  # seconds
    sqlite_synchronous: str = "FULL"  # FULL survives power loss; NORMAL only process crashes
    # "" (messenger.sqlite3 in the data folder), an SQLite file's path, or postgresql://...
    database: str = ""
    database_pool: int = 8  # PostgreSQL: pooled connections for reads (plus one writer)
    ws_queue_limit: int = 20_000  # frames waiting for one slow device before it is dropped
    expiry_notice_ms: int = 5 * 60 * 1000  # warn a device this long before its UserSig ends
    session_check_ms: int = 15_000  # how often sessions are checked for expiry
    request_timeout_ms: int = 10_000  # request headers and body, or a WebSocket's hello, within
    # admission (services/admission.py): per-IP limits skip ip_limits_exempt, per-user ones do not
    ip_limits_exempt: tuple[str, ...] = ("127.0.0.1", "::1")
    ip_request_rate: float = 100.0  # REST requests per second per address (burst below)
    ip_request_burst: int = 400
    ip_sign_in_rate: float = 0.5  # register / password / login attempts per second per address
    ip_sign_in_burst: int = 30
    ip_socket_limit: int = 200  # open WebSockets per address
    ip_connection_limit: int = 256  # open TCP connections per address (http/connections.py)
    user_request_rate: float = 50.0  # REST requests and WebSocket frames per second per user
    user_request_burst: int = 200
    user_socket_limit: int = 50  # open WebSockets per user (all devices)
    log_level: str = "info"
    log_format: str = "text"  # or "json"
    profile_custom_keys: tuple[str, ...] = ()  # keys users may set in their profile's custom fields
    admin_users: tuple[str, ...] = ("administrator",)
    group_custom_keys: tuple[str, ...] = ()  # custom group fields clients may set
    member_custom_keys: tuple[str, ...] = ()  # custom member fields clients may set
    media_max_pixels: int = 100_000_000  # images with more pixels are refused (decompression bombs)
    media_orphan_ms: int = 24 * 3600 * 1000  # unfinished uploads and unused files kept this long
    media_link_ms: int = 5 * 60 * 1000  # life of a signed download link
    # several nodes: the node bus (bus/redis_bus.py); an empty URL: this node alone
    redis_url: str = ""
    # where uploaded files and avatars live; empty: <data_dir>/media and <data_dir>/avatars.
    # Several nodes need one folder they all reach (the same path on each).
    media_path: str = ""
    # callbacks to the operator's service (services/callbacks.py); an empty URL: none
    callback_url: str = ""
    callback_secret: str = ""  # HMAC key of the X-Messenger-Signature header
    callback_timeout_ms: int = 2000
    callback_on_failure: str = "allow"  # or "refuse": when the service fails or is too slow
    callback_events: tuple[str, ...] = (
        "before_send",
        "after_send",
        "before_join",
        "after_friend_request",
    )

    @property
    def database_path(self) -> Path:
        """The SQLite file (when ``database`` is not a PostgreSQL address)."""
        return Path(self.database) if self.database else self.data_dir / DATABASE_FILE

    @property
    def uses_postgres(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    @property
    def media_dir(self) -> Path:
        return Path(self.media_path) / "media" if self.media_path else self.data_dir / "media"

    @property
    def avatars_dir(self) -> Path:
        return Path(self.media_path) / "avatars" if self.media_path else self.data_dir / "avatars"

    def validate(self) -> None:
        """Raise ``ConfigError`` naming the first setting that cannot be used."""
        if not 0 < self.sdk_app_id < 2**32:
            raise ConfigError("sdk_app_id must be a positive 32-bit number")
        if len(self.secret_key) < 16:
            raise ConfigError("secret_key must be at least 16 characters")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be 0–65535, not {self.port}")
        if self.device_policy not in ("kick_oldest", "reject_new"):
            raise ConfigError("device_policy must be kick_oldest or reject_new")
        if self.device_limit < 1:
            raise ConfigError("device_limit must be at least 1")
        if self.sqlite_synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise ConfigError("sqlite_synchronous must be FULL, NORMAL or EXTRA")
        for name in ("user_msg_rate", "group_msg_rate", *_ADMISSION_RATES):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ConfigError(f"{name} must be a positive number of messages per second")
        for name in (
            "user_msg_burst",
            "group_msg_burst",
            "ws_queue_limit",
            "database_pool",
            "media_max_pixels",
            "media_orphan_ms",
            "media_link_ms",
            *_ADMISSION_COUNTS,
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.password_usersig_expire < 60:
            raise ConfigError("password_usersig_expire must be at least 60 seconds")
        if self.expiry_notice_ms < 0:
            raise ConfigError("expiry_notice_ms must not be negative")
        if self.session_check_ms < 10:
            raise ConfigError("session_check_ms must be at least 10")
        if self.request_timeout_ms < 10:
            raise ConfigError("request_timeout_ms must be at least 10")
        if self.log_level.lower() not in LOG_LEVELS:
            raise ConfigError(f"log_level must be one of {', '.join(LOG_LEVELS)}")
        if self.log_format not in ("text", "json"):
            raise ConfigError("log_format must be text or json")
        self._validate_callbacks()
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError("redis_url must be a redis://, rediss:// or unix:// URL")
        for name in _LIMIT_FIELDS:
            if getattr(self.limits, name) < 1:
                raise ConfigError(f"limits.{name} must be at least 1")

    def _validate_callbacks(self) -> None:
        if self.callback_on_failure not in ("allow", "refuse"):
            raise ConfigError("callback_on_failure must be allow or refuse")
        if not 10 <= self.callback_timeout_ms <= 60_000:
            raise ConfigError("callback_timeout_ms must be 10–60000")
        unknown = sorted(set(self.callback_events) - set(CALLBACK_EVENTS))
        if unknown:
            raise ConfigError(
                f"callback_events: unknown event {unknown[0]!r} (known: {', '.join(CALLBACK_EVENTS)})"
            )
        if not self.callback_url:
            return
        if not self.callback_url.startswith(("http://", "https://")):
            raise ConfigError("callback_url must be an http:// or https:// URL")
        if len(self.callback_secret) < 16:
            raise ConfigError("callback_secret must be at least 16 characters")


CALLBACK_EVENTS = ("before_send", "after_send", "before_join", "after_friend_request")
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_ADMISSION_RATES = ("ip_request_rate", "ip_sign_in_rate", "user_request_rate")
_ADMISSION_COUNTS = (
    "ip_request_burst",
    "ip_sign_in_burst",
    "ip_socket_limit",
    "ip_connection_limit",
    "user_request_burst",
    "user_socket_limit",
)
_SCALAR_FIELDS = {
    f.name: f.type for f in dataclasses.fields(ServerConfig) if f.name not in ("data_dir", "limits")
}
_LIMIT_FIELDS = tuple(f.name for f in msgspec.structs.fields(Limits))


def _coerce(name: str, value: Any) -> Any:
    kind = str(_SCALAR_FIELDS[name])
    if isinstance(value, bool) and kind != "str":  # TOML true is not a number
        raise ConfigError(f"{name}: {value!r} is not a valid {kind}")
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind.startswith("tuple"):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(v).strip() for v in items if str(v).strip())
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: {value!r} is not a valid {kind}") from None
    return str(value)


def _render_toml(values: Mapping[str, Any]) -> str:
    lines = []
    for key, value in values.items():
        if isinstance(value, str):
            lines.append(f"{key} = {value!r}".replace("'", '"'))
        elif isinstance(value, (list, tuple)):
            lines.append(f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in value)}]")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it) readable by the owner only from the start."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o600)  # (os.open's mode is subject to the umask; this one is not)
    os.replace(tmp, path)


def load_config(
    data_dir: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ServerConfig:
    """Build the configuration for ``data_dir``; create the folder and ``server.toml`` if needed.

    Flags (``overrides``) beat the environment (``MESSENGER_<NAME>``), which beats ``server.toml``,
    which beats the defaults. Without an SDKAppID and secret key from any of them, fresh ones are
    generated and saved in ``server.toml`` (mode 0600), so that UserSigs stay valid across
    restarts. Unknown settings and unusable values raise ``ConfigError``.
    """
    environ = os.environ if environ is None else environ
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CONFIG_FILE
    from_file: dict[str, Any] = {}
    text = ""
    if path.exists():
        try:
            text = path.read_text("utf-8")
            from_file = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path.name} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    limits_values = from_file.pop("limits", {}) or {}
    if not isinstance(limits_values, dict):
        raise ConfigError(f"{path.name}: limits must be a table ([limits])")
    limits_values = dict(limits_values)
    unknown = sorted(set(from_file) - set(_SCALAR_FIELDS))
    if unknown:
        raise ConfigError(f"{path.name}: unknown setting {unknown[0]!r}")
    for name in _SCALAR_FIELDS:
        if name in from_file:
            values[name] = _coerce(name, from_file[name])
        env_value = environ.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = _coerce(name, env_value)
    for name, value in (overrides or {}).items():
        if value is None:
            continue
        if name == "limits":
            limits_values.update(value)
        elif name in _SCALAR_FIELDS:
            values[name] = _coerce(name, value)
        else:
            raise ConfigError(f"unknown setting {name!r}")
    unknown = sorted(set(limits_values) - set(_LIMIT_FIELDS))
    if unknown:
        raise ConfigError(f"unknown setting limits.{unknown[0]}")
    generated: dict[str, Any] = {}
    if "sdk_app_id" not in values:
        generated["sdk_app_id"] = 1_400_000_000 + secrets.randbelow(99_999_999)
    if "secret_key" not in values:
        generated["secret_key"] = secrets.token_hex(32)
    values.update(generated)
    try:
        limits = msgspec.convert(limits_values, Limits)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"limits: {exc}") from None
    config = ServerConfig(data_dir=data_dir, limits=limits, **values)
    config.validate()
    if generated:  # saved once the rest is known to be usable
        header = "# Messenger server configuration (written on first start; edit freely).\n"
        if text:  # keep the operator's settings; the keys go first (before any [table])
            header = "# Generated on start: this server's SDKAppID and secret key.\n"
        _write_private(path, header + _render_toml(generated) + ("\n" + text if text else ""))
    return config
