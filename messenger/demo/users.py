"""The demo's accounts and group by name: all the command line needs (no client core)."""

from __future__ import annotations

DEMO_PASSWORD = "demo-password"
DEMO_USERS = {
    "alice": "Alice Chen",
    "bob": "Bob 李",
    "carol": "Carol Wang",
    "dave": "Dave",
}
DEMO_GROUP = "team"
