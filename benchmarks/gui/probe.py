"""The real app with measuring hooks: run by ``benchmarks.gui`` in a fresh process per launch.

    python -m benchmarks.gui.probe PLAN.json

It starts ``messenger`` the way ``main`` does, in the same order (``prepare``, what the app
imports before Qt, ``start_qt``), then hands over to ``benchmarks/gui/probe_drive.py``, which
runs the app and reports one JSON line per figure on stdout.

With ``MESSENGER_PROBE_PROFILE=path`` a cProfile of the launch (from here to the list's first
paint) is written to ``path.launch`` (read with ``python -m pstats``).
"""

from __future__ import annotations

import cProfile
import faulthandler
import json
import logging
import os
import sys
from pathlib import Path

from messenger.app.main import before_qt, end_process, prepare, start_qt
from messenger.app.options import parse_args


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    # a hung run ends with every thread's stack on stderr instead of waiting forever
    faulthandler.dump_traceback_later(1800 if plan.get("full") else 180, exit=True)
    profile_to = os.environ.get("MESSENGER_PROBE_PROFILE")
    profiler = cProfile.Profile() if profile_to else None
    if profiler is not None:
        profiler.enable()
    server = ["--server", plan["server_url"]] if plan.get("server_url") else []
    args = parse_args([*server, "--data-dir", plan["data_dir"]])
    data = prepare(args)
    logging.getLogger().setLevel(logging.WARNING)
    before_qt(args, data)
    start_qt()
    import qasync

    from benchmarks.gui.probe_drive import drive

    def launched() -> None:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(f"{profile_to}.launch")

    qasync.run(drive(plan, args, launched))
    end_process(0)  # as the app ends


if __name__ == "__main__":
    main()
