"""``messenger-server``: run the server, or administer its data folder.

messenger-server --data-dir DIR [--host H] [--port P] [--sdk-app-id N] [--secret-key K]
                 [--redis redis://…] [--media-path DIR]
messenger-server admin --data-dir DIR add-user USER [--password P] [--nickname N]
messenger-server admin --data-dir DIR import-users FILE        (JSON list or CSV user_id,nickname,password)
messenger-server admin --data-dir DIR usersig USER [--expire SECONDS]
messenger-server admin --data-dir DIR ban USER | unban USER
messenger-server admin --data-dir DIR create-group OWNER NAME [MEMBER...] | add-members GROUP USER...
messenger-server admin --data-dir DIR notice TEXT USER...

While a server runs on the data folder, admin commands go through its admin API (signed with an
administrator UserSig), so that they take effect at once; otherwise they write the data folder.
``--server URL`` names the server to use. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from messenger.protocol.errors import SchemaTooNew
from messenger.server.admin_cli import admin_main
from messenger.server.cli_options import add_common_options, config_from_args
from messenger.server.config import ConfigError
from messenger.server.logs import setup_logging
from messenger.server.runner import serve
from messenger.server.runtime import DataDirInUse


def _serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="messenger-server", description="Run the Messenger IM server.")
    add_common_options(p)
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8080; 0 picks a free one)")
    p.add_argument("--device-limit", type=int, default=None)
    p.add_argument("--device-policy", choices=["kick_oldest", "reject_new"], default=None)
    p.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"], default=None)
    p.add_argument(
        "--redis",
        default=None,
        metavar="URL",
        help="join the other nodes of a deployment through this Redis (redis://host:port/db)",
    )
    p.add_argument(
        "--media-path",
        default=None,
        metavar="DIR",
        help="uploaded files and avatars (a folder every node reaches; default: the data folder)",
    )
    p.add_argument("--log-level", default=None)
    p.add_argument("--log-format", choices=["text", "json"], default=None)
    p.add_argument(
        "--port-file",
        type=Path,
        default=None,
        help="write the port actually bound to this file once listening",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["admin"]:
        return admin_main(argv[1:])
    args = _serve_parser().parse_args(argv)
    try:
        config = config_from_args(
            args,
            host=args.host,
            port=args.port,
            device_limit=args.device_limit,
            device_policy=args.device_policy,
            sqlite_synchronous=args.sqlite_synchronous,
            log_level=args.log_level,
            log_format=args.log_format,
            redis_url=args.redis,
            media_path=args.media_path,
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
    except (DataDirInUse, SchemaTooNew) as exc:
        print(f"messenger-server: {exc}", file=sys.stderr)
        return 1
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
if __name__ == "__main__":
    raise SystemExit(main())
