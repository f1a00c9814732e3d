"""The frozen app's entry point: one executable for the app and for the server.

Run under the name ``messenger-server`` (the .deb's command, a link to this executable) it is
the server's command line; under any other name it is the desktop app (``messenger``).
"""

import multiprocessing
import os
import sys


def main() -> int:
    multiprocessing.freeze_support()
    program = os.path.basename(sys.argv[0]).lower()
    if program.startswith("messenger-server"):
        from messenger.server.cli import main as server_main

        return int(server_main() or 0)
    from messenger.app.main import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
