"""``python -m messenger.app``: the same as the ``messenger`` command."""

from messenger.app.main import main

raise SystemExit(main())
