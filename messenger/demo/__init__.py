"""The demo: accounts, a group and history on the local server, and the bot "dave" who answers.

Used by the app's ``--demo`` only (an import-linter contract says so); it works through the
real client core like any user.
"""

from messenger.demo.data import DEMO_GROUP, DEMO_PASSWORD, DEMO_USERS, seed_demo

__all__ = ["DEMO_GROUP", "DEMO_PASSWORD", "DEMO_USERS", "seed_demo"]
