"""The desktop client's speed and memory, measured on the real app against a real server.

``python -m benchmarks.gui`` (docs/benchmarks.md): builds a profile of 1,000 conversations and
100,000 cached messages through a real ``messenger-server`` and the app's own sign-in, then runs
the real app (``benchmarks/gui/probe.py``) in fresh processes and prints the figures.
"""
