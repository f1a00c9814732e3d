"""Benchmarks: scripts that print figures. Run them with ``make bench`` (see README)."""
