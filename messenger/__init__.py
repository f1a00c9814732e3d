"""Messenger: a desktop instant messenger with its own self-hostable IM server."""

__version__ = "0.1.0"
