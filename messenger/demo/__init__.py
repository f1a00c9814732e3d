"""The demo: accounts, a group and history on the local server, and the bot "dave" who answers.

Used by the app's ``--demo`` only (an import-linter contract says so); it works through the
real client core like any user. ``users`` holds the names alone, for the command line (it
loads no client core); ``data`` seeds, ``bot`` answers.
"""
