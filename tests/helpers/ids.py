"""Unique user and group IDs, so tests sharing a server never meet."""

from __future__ import annotations

import secrets


def uid(prefix: str = "u") -> str:
    return f"{prefix}{secrets.token_hex(4)}"
