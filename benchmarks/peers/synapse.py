"""Matrix Synapse as a peer: installed from PyPI into its own virtualenv, configured here (SQLite,
loopback, every rate limit raised, optional features that cost CPU per event turned off), started
as a subprocess, and set up through its client-server and admin APIs.

Nothing of Synapse is in the repository: the virtualenv lives under ``.bench/`` (git-ignored), the
version is pinned in ``benchmarks/peers/synapse-requirements.txt``, and the configuration is
generated below.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from benchmarks.peers.clients import Cred, Target
from benchmarks.peers.wire import HttpPool
from benchmarks.peers.workloads import Pair

REQUIREMENTS = Path(__file__).with_name("synapse-requirements.txt")
SERVER_NAME = "bench.local"
_UNLIMITED = {"per_second": 1_000_000, "burst_count": 1_000_000}


def pinned_version() -> str:
    for line in REQUIREMENTS.read_text().splitlines():
        if line.startswith("matrix-synapse=="):
            return line.split("==", 1)[1].strip()
    raise RuntimeError(f"{REQUIREMENTS.name} pins no matrix-synapse")


def ensure_installed(venv: Path, log: Path) -> Path:
    """Create ``venv`` with the pinned Synapse unless it is there already; its Python."""
    python = venv / "bin" / "python"
    want = pinned_version()
    if python.exists():
        probe = subprocess.run(
            [str(python), "-c", "import synapse; print(synapse.__version__)"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.split()[0] == want:
            return python
    started = time.monotonic()
    print(f"installing Synapse {want} into {venv.name} …", flush=True)
    with log.open("a") as out:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
            check=True,
            stdout=out,
            stderr=out,
        )
    print(f"  installed in {time.monotonic() - started:.0f} s", flush=True)
    return python


def config_yaml(data_dir: Path, port: int, shared_secret: str) -> str:
    """``homeserver.yaml`` as JSON (a subset of YAML)."""
    config = {
        "server_name": SERVER_NAME,
        "pid_file": str(data_dir / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(data_dir / "homeserver.db")}},
        "log_config": str(data_dir / "log.yaml"),
        "media_store_path": str(data_dir / "media"),
        "signing_key_path": str(data_dir / "signing.key"),
        "registration_shared_secret": shared_secret,
        "enable_registration": False,
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "bcrypt_rounds": 4,
        # Features our server does not have and whose per-event cost would only slow Synapse down:
        "presence": {"enabled": False},
        "user_directory": {"enabled": False},
        "stats": {"enabled": False},
        "url_preview_enabled": False,
        "enable_metrics": False,
        "limit_profile_requests_to_users_who_share_rooms": False,
        "require_auth_for_profile_requests": False,
        # Every rate limit raised:
        "rc_message": _UNLIMITED,
        "rc_registration": _UNLIMITED,
        "rc_registration_token_validity": _UNLIMITED,
        "rc_login": {"address": _UNLIMITED, "account": _UNLIMITED, "failed_attempts": _UNLIMITED},
        "rc_admin_redaction": _UNLIMITED,
        "rc_joins": {"local": _UNLIMITED, "remote": _UNLIMITED},
        "rc_joins_per_room": _UNLIMITED,
        "rc_3pid_validation": _UNLIMITED,
        "rc_invites": {"per_room": _UNLIMITED, "per_user": _UNLIMITED, "per_issuer": _UNLIMITED},
        "rc_third_party_invite": _UNLIMITED,
        "rc_media_create": _UNLIMITED,
        "rc_presence": {"per_user": _UNLIMITED},
        "rc_delayed_event_mgmt": _UNLIMITED,
        "rc_room_creation": _UNLIMITED,
        "rc_reports": _UNLIMITED,
        "rc_user_directory": _UNLIMITED,
        "rc_profile": _UNLIMITED,
        "rc_key_requests": _UNLIMITED,
        "rc_federation": {
            "window_size": 1000,
            "sleep_limit": 1_000_000,
            "sleep_delay": 0,
            "reject_limit": 1_000_000,
            "concurrent": 1_000_000,
        },
        "max_event_delay_duration": "24h",
    }
    return json.dumps(config, indent=1)


LOG_YAML = """version: 1
formatters:
  precise:
    format: '%(asctime)s %(name)s %(levelname)s %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: {path}
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
"""


class SynapseServer:
    """One Synapse process on a fresh data folder."""

    name = "Synapse"

    def __init__(self, python: Path, data_dir: Path, port: int) -> None:
        self.python = python
        self.data_dir = data_dir
        self.port = port
        self.host = "127.0.0.1"
        self.shared_secret = secrets.token_hex(16)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.config = data_dir / "homeserver.yaml"
        self.config.write_text(config_yaml(data_dir, port, self.shared_secret))
        (data_dir / "log.yaml").write_text(LOG_YAML.format(path=data_dir / "homeserver.log"))
        self.proc: subprocess.Popen[bytes] | None = None
        self.version = ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> None:
        cmd = [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.config)]
        subprocess.run([*cmd, "--generate-keys"], check=True, capture_output=True)
        err = (self.data_dir / "stderr.log").open("ab")
        self.proc = subprocess.Popen(cmd, stdout=err, stderr=err, cwd=self.data_dir)
        asyncio.run(self._wait_ready())

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"Synapse exited; see {self.data_dir / 'stderr.log'}")
            http = HttpPool(self.host, self.port, 1)
            try:
                answer = await http.ok("GET", "/_matrix/client/versions")
                if answer:
                    server = await http.ok("GET", "/_synapse/admin/v1/server_version")
                    self.version = str(server.get("server_version", "")).split(" ")[0]
                    return
            except (OSError, RuntimeError):
                await asyncio.sleep(0.3)
            finally:
                await http.close()
        raise RuntimeError("Synapse did not start within 180 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass(frozen=True)
class MatrixUser:
    user_id: str
    token: str


async def register(server: SynapseServer, http: HttpPool, localpart: str) -> MatrixUser:
    """A user through the shared-secret admin registration (no password hashing worth the name:
    ``bcrypt_rounds`` is 4)."""
    nonce = (await http.ok("GET", "/_synapse/admin/v1/register"))["nonce"]
    password = "bench-password"
    mac = hmac.new(server.shared_secret.encode(), digestmod=hashlib.sha1)
    mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), b"notadmin"]))
    answer = await http.ok(
        "POST",
        "/_synapse/admin/v1/register",
        {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": False,
            "mac": mac.hexdigest(),
        },
    )
    return MatrixUser(answer["user_id"], answer["access_token"])


async def register_many(
    server: SynapseServer, http: HttpPool, localparts: list[str], concurrency: int = 16
) -> list[MatrixUser]:
    gate = asyncio.Semaphore(concurrency)

    async def one(localpart: str) -> MatrixUser:
        async with gate:
            return await register(server, http, localpart)

    return list(await asyncio.gather(*(one(p) for p in localparts)))


def room_path(room_id: str) -> str:
    return quote(room_id, safe="")


async def direct_room(http: HttpPool, a: MatrixUser, b: MatrixUser) -> str:
    """A DM room between ``a`` and ``b`` (a invites, b joins)."""
    answer = await http.ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        {"preset": "private_chat", "invite": [b.user_id], "is_direct": True},
        token=a.token,
    )
    room_id = str(answer["room_id"])
    await http.ok("POST", f"/_matrix/client/v3/join/{room_path(room_id)}", {}, token=b.token)
    return room_id


async def group_room(
    http: HttpPool,
    owner: MatrixUser,
    members: list[MatrixUser],
    concurrency: int = 8,
    budget_s: float = 600,
) -> tuple[str, list[MatrixUser], float]:
    """A public room of ``owner`` that ``members`` join; stops at ``budget_s`` seconds.

    Returns the room, the members who joined, and the seconds it took."""
    answer = await http.ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        {"preset": "public_chat", "name": "bench group"},
        token=owner.token,
    )
    room_id = str(answer["room_id"])
    started = time.monotonic()
    joined: list[MatrixUser] = []
    gate = asyncio.Semaphore(concurrency)
    stop = False

    async def join(user: MatrixUser) -> None:
        nonlocal stop
        async with gate:
            if stop:
                return
            if time.monotonic() - started > budget_s:
                stop = True
                return
            await http.ok(
                "POST", f"/_matrix/client/v3/join/{room_path(room_id)}", {}, token=user.token
            )
            joined.append(user)

    await asyncio.gather(*(join(u) for u in members))
    return room_id, joined, time.monotonic() - started


def _cred(user: MatrixUser, room: str = "") -> Cred:
    return Cred(user.user_id, user.token, room)


class SynapsePeer(SynapseServer):
    """Synapse with the same setup helpers as ``OurServer``."""

    @property
    def target(self) -> Target:
        return Target("matrix", self.host, self.port)

    async def pairs(self, count: int, tag: str) -> list[Pair]:
        http = HttpPool(self.host, self.port, 16)
        try:
            users = await register_many(self, http, [f"{tag}{i}" for i in range(2 * count)])
            gate = asyncio.Semaphore(8)

            async def room(i: int) -> str:
                async with gate:
                    return await direct_room(http, users[2 * i], users[2 * i + 1])

            rooms = await asyncio.gather(*(room(i) for i in range(count)))
        finally:
            await http.close()
        return [
            Pair(_cred(users[2 * i], rooms[i]), _cred(users[2 * i + 1], rooms[i]))
            for i in range(count)
        ]

    async def group(
        self, size: int, tag: str, budget_s: float
    ) -> tuple[Cred, list[Cred], float, int]:
        """A room of ``size`` members (the owner included), joined one by one until
        ``budget_s``: the owner's device, the members who joined, the setup seconds, and how many
        members the room reached."""
        started = time.monotonic()
        http = HttpPool(self.host, self.port, 16)
        try:
            users = await register_many(self, http, [f"{tag}{i}" for i in range(size)])
            room_id, joined, _ = await group_room(http, users[0], users[1:], budget_s=budget_s)
        finally:
            await http.close()
        members = [_cred(u, room_id) for u in joined]
        return _cred(users[0], room_id), members, time.monotonic() - started, len(joined) + 1
