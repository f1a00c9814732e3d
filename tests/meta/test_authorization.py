"""Every route of the server has a refused-case authorisation test.

HOW TO SATISFY THIS TEST for a new endpoint: write a test under ``tests/integration/`` in which a
caller who may not use the endpoint (another user, a non-member, a plain member doing an admin
action, a logged-out token, a user session on the admin API…) is refused with the typed error
expected, and that checks nothing changed (``async with nothing_changes(...)``); decorate it with
``@refuses("<endpoint name>")`` from ``tests/helpers/authz.py``. Examples:
``tests/integration/server/test_authorization.py``.

The routes are read from the real application (``create_app``), so endpoints added outside the
JSON router (streaming uploads, the WebSocket) count too; the registry is filled by importing
every test module under ``tests/integration/``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from starlette.routing import Route, WebSocketRoute

from messenger.server.app import create_app
from messenger.server.config import load_config
from tests.helpers.authz import REFUSED

ROOT = Path(__file__).resolve().parents[2]


def _server_routes(tmp_path: Path) -> dict[str, str]:
    config = load_config(tmp_path, {"sdk_app_id": 1400000001, "secret_key": "k" * 32})
    app = create_app(config)
    routes: dict[str, str] = {}
    for route in app.routes:
        if isinstance(route, Route):
            routes[route.name] = f"{','.join(sorted(route.methods or ()))} {route.path}"
        elif isinstance(route, WebSocketRoute):
            routes[route.name] = f"WebSocket {route.path}"
    return routes


def _load_refused_cases() -> None:
    for path in sorted((ROOT / "tests" / "integration").rglob("test_*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        importlib.import_module(module)


def test_every_route_has_a_refused_case_test(tmp_path: Path) -> None:
    _load_refused_cases()
    routes = _server_routes(tmp_path)
    missing = {name: where for name, where in routes.items() if not REFUSED.get(name)}
    assert not missing, (
        "these routes have no refused-case authorisation test:\n"
        + "\n".join(f"  {name}  ({where})" for name, where in sorted(missing.items()))
        + "\nFor each, add a test under tests/integration/ in which a caller who may not use it"
        " is refused and nothing changed (`async with nothing_changes(...)`), decorated with"
        ' @refuses("<route name>") from tests/helpers/authz.py; examples in'
        " tests/integration/server/test_authorization.py."
    )


def test_every_refused_case_names_a_real_route(tmp_path: Path) -> None:
    _load_refused_cases()
    routes = _server_routes(tmp_path)
    stale = sorted(set(REFUSED) - set(routes))
    assert stale == [], f"@refuses names routes the server does not have: {stale}"
