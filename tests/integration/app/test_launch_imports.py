"""What a launch loads before its first window paints: the launch figures of issue 8 depend on
it (benchmarks/gui measures them; docs/app.md, "Start and quit, quickly")."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.local_server import kill_local_server
from tests.integration.app.test_launch import APP_ENV

# The main window with its panes, the client core and its network libraries, and the demo.
HEAVY = (
    "messenger.ui.main_window",
    "messenger.ui.chat_pane",
    "messenger.ui.settings_dialog",
    "messenger.core.client",
    "httpx",
    "websockets",
    "messenger.demo.data",
)


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    yield folder
    kill_local_server(folder / "server")


def loaded_at_first_paint(module: str, name: str, *app_args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.first_paint", module, name, "--", *app_args],
        env=APP_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_first_launch_paints_the_sign_in_window_before_loading_the_rest(data: Path) -> None:
    loaded = loaded_at_first_paint(
        "messenger.ui.sign_in_dialog", "SignInDialog", "--data-dir", str(data)
    )
    assert "messenger.ui.sign_in_dialog" in loaded  # (the helper saw the right window)
    assert sorted(loaded.intersection(HEAVY)) == []


def test_a_signed_in_launch_paints_the_conversation_list_before_loading_the_other_panes(
    data: Path,
) -> None:
    """The chat pane, group panel, Contacts and the top search come just after the list's
    first paint (``MainWindow.bind(rest_later=True)``, ``AppFlow._list_painted``)."""
    loaded = loaded_at_first_paint(
        "messenger.ui.conversation_list_view",
        "ConversationListView",
        "--data-dir",
        str(data),
        "--demo",
    )
    assert "messenger.ui.main_window" in loaded  # (the helper saw the right window)
    panes = {
        "messenger.ui.chat_pane",
        "messenger.ui.chat_view",
        "messenger.ui.composer",
        "messenger.ui.group_panel",
        "messenger.ui.contacts_page",
        "messenger.ui.global_search",
        "messenger.ui.quick_switcher",
        "messenger.ui.profile_card",
    }
    assert sorted(loaded.intersection(panes)) == []
