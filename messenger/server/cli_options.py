"""Command-line options shared by ``messenger-server`` and ``messenger-server admin``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from messenger.server.config import ServerConfig, load_config

DEFAULT_DATA_DIR = Path("messenger-data")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder for the database and server.toml (default: ./messenger-data)",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="postgresql://user@host/db, or an SQLite file (default: messenger.sqlite3 in the "
        "data folder)",
    )
    parser.add_argument("--sdk-app-id", type=int, default=None)
    parser.add_argument("--secret-key", default=None)


def config_from_args(args: argparse.Namespace, **extra: Any) -> ServerConfig:
    data_dir = args.data_dir or Path(os.environ.get("MESSENGER_DATA_DIR", DEFAULT_DATA_DIR))
    overrides = {
        "sdk_app_id": args.sdk_app_id,
        "secret_key": args.secret_key,
        "database": args.database,
        **extra,
    }
    return load_config(data_dir, overrides)
