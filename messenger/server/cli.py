"""``messenger-server``: run the server, or administer its data folder.

messenger-server --data-dir DIR [--host H] [--port P] [--sdk-app-id N] [--secret-key K]
messenger-server admin --data-dir DIR add-user USER [--password P] [--nickname N]
messenger-server admin --data-dir DIR import-users FILE        (JSON list or CSV user_id,nickname,password)
messenger-server admin --data-dir DIR usersig USER [--expire SECONDS]
messenger-server admin --data-dir DIR ban USER | unban USER
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn

from messenger.protocol.errors import MessengerError
from messenger.protocol.ids import check_user_id
from messenger.server.app import create_app
from messenger.server.config import ConfigError, ServerConfig, load_config
from messenger.server.context import ServerContext
from messenger.server.logs import setup_logging
from messenger.server.services import passwords

DEFAULT_DATA_DIR = Path("messenger-data")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder for the database and server.toml (default: ./messenger-data)",
    )
    parser.add_argument("--sdk-app-id", type=int, default=None)
    parser.add_argument("--secret-key", default=None)


def _serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="messenger-server", description="Run the Messenger IM server.")
    _common(p)
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8080; 0 picks a free one)")
    p.add_argument("--device-limit", type=int, default=None)
    p.add_argument("--device-policy", choices=["kick_oldest", "reject_new"], default=None)
    p.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"], default=None)
    p.add_argument("--log-level", default=None)
    p.add_argument("--log-format", choices=["text", "json"], default=None)
    p.add_argument(
        "--port-file",
        type=Path,
        default=None,
        help="write the port actually bound to this file once listening",
    )
    return p


def _config(args: argparse.Namespace, **extra: Any) -> ServerConfig:
    import os

    data_dir = args.data_dir or Path(os.environ.get("MESSENGER_DATA_DIR", DEFAULT_DATA_DIR))
    overrides = {"sdk_app_id": args.sdk_app_id, "secret_key": args.secret_key, **extra}
    return load_config(data_dir, overrides)


def uvicorn_config(app: Any, config: ServerConfig) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http="httptools",
        ws="websockets-sansio",
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
    config: ServerConfig, sock: socket.socket | None = None, port_file: Path | None = None
) -> None:
    """Run until cancelled or signalled. ``sock``: an already bound socket (tests, embedded)."""
    if sock is None:
        sock = socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((config.host, config.port))
    app = create_app(config, ServerContext.build(config))
    server = uvicorn.Server(uvicorn_config(app, config))
    if port_file is not None:
        asyncio.get_running_loop().create_task(_announce_port(server, sock, port_file))
    await server.serve(sockets=[sock])


async def _announce_port(server: uvicorn.Server, sock: socket.socket, port_file: Path) -> None:
    """Write the bound port to ``port_file`` once the server accepts connections."""
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no started event
        await asyncio.sleep(0.02)
    port = str(sock.getsockname()[1])
    await asyncio.to_thread(port_file.write_text, port, "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["admin"]:
        return admin_main(argv[1:])
    args = _serve_parser().parse_args(argv)
    try:
        config = _config(
            args,
            host=args.host,
            port=args.port,
            device_limit=args.device_limit,
            device_policy=args.device_policy,
            sqlite_synchronous=args.sqlite_synchronous,
            log_level=args.log_level,
            log_format=args.log_format,
        )
    except ConfigError as exc:
        print(f"messenger-server: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.log_level, config.log_format)
    try:
        import uvloop

        loop_factory: Any = uvloop.new_event_loop
    except ImportError:
        loop_factory = None
    try:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            runner.run(serve(config, port_file=args.port_file))
    except OSError as exc:
        print(
            f"messenger-server: cannot listen on {config.host}:{config.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        pass
    return 0


# -- admin -----------------------------------------------------------------------------------------------
def _admin_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="messenger-server admin", description="Administer a Messenger server's data folder."
    )
    _common(p)
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-user", help="create a user")
    add.add_argument("user_id")
    add.add_argument("--password", default=None)
    add.add_argument("--nickname", default="")
    imp = sub.add_parser("import-users", help="create users from a JSON list or CSV file")
    imp.add_argument("file", type=Path)
    sig = sub.add_parser("usersig", help="print a UserSig for a user")
    sig.add_argument("user_id")
    sig.add_argument("--expire", type=int, default=180 * 86400, help="seconds (default 180 days)")
    for name in ("ban", "unban"):
        b = sub.add_parser(name, help=f"{name} a user")
        b.add_argument("user_id")
    return p


def _read_users(path: Path) -> list[dict[str, str]]:
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, list):
            raise ValueError("the JSON file must hold a list of users")
        return [{k: str(v) for k, v in dict(u).items()} for u in data]
    rows = csv.DictReader(text.splitlines())
    return [dict(r) for r in rows]


async def _admin(args: argparse.Namespace, config: ServerConfig) -> int:
    ctx = ServerContext.build(config)
    if args.command == "usersig":
        check_user_id(args.user_id)
        print(ctx.auth.issue_usersig(args.user_id, args.expire))
        return 0
    await ctx.storage.open()
    try:
        if args.command == "add-user":
            check_user_id(args.user_id)
            hashed = passwords.hash_password(args.password) if args.password else None
            await ctx.storage.create_user(args.user_id, args.nickname, hashed)
            print(f"created {args.user_id}")
        elif args.command == "import-users":
            created = skipped = 0
            for row in _read_users(args.file):
                user_id = check_user_id(row.get("user_id", "").strip())
                password = row.get("password") or None
                hashed = passwords.hash_password(password) if password else None
                _, new = await ctx.storage.create_user(
                    user_id, row.get("nickname", ""), hashed, exist_ok=True
                )
                created, skipped = created + new, skipped + (not new)
            print(f"created {created} users, {skipped} already existed")
        elif args.command in ("ban", "unban"):
            await ctx.storage.set_banned(args.user_id, args.command == "ban")
            print(f"{args.command}ned {args.user_id}")
    finally:
        await ctx.storage.close()
    return 0


def admin_main(argv: Sequence[str]) -> int:
    args = _admin_parser().parse_args(argv)
    try:
        config = _config(args)
        return asyncio.run(_admin(args, config))
    except (ConfigError, MessengerError, OSError, ValueError) as exc:
        print(f"messenger-server admin: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
