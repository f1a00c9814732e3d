"""The command line of ``messenger``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from messenger.demo.users import DEMO_USERS


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="messenger", description="Messenger desktop app")
    p.add_argument("--server", help="server URL (default: the local server on this computer)")
    p.add_argument(
        "--demo", action="store_true", help="demo accounts, groups and history on the local server"
    )
    p.add_argument(
        "--as",
        dest="as_user",
        default="alice",
        choices=sorted(DEMO_USERS),
        help="with --demo: the demo account to sign in as (default: alice)",
    )
    p.add_argument("--data-dir", type=Path, default=None, help="app data folder")
    p.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (Qt, translations, local server, sign-up, a message) "
        "in a temporary folder, print the result and exit (0 when all is well)",
    )
    p.add_argument("--quit-after", type=float, default=None, help=argparse.SUPPRESS)
    p.add_argument("--screenshot", type=Path, default=None, help=argparse.SUPPRESS)
    # the shared local server's own process (started by a window: server_process)
    p.add_argument("--local-server", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--idle-exit", type=float, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.demo and args.server:
        p.error("--demo runs on the local server; leave out --server")
    return args
