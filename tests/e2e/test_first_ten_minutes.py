"""The app's first ten minutes, end to end: two real app processes on a real X server (Xvfb with a
window manager), sharing one local server, driven through their windows with real input.

Steps: first launch without demo data (sign up in the sign-in window, twice), send and receive,
Shift+Enter text, the window narrow and wide, the group panel toggled, the language switched at
run time, the window that started the local server quit while the other keeps working (and
follows the server when it is started again elsewhere), and a second launch of an open account.
After each step the chat's layout is checked as a person would see it: no bubble overlaps
another or is clipped by the viewport, every row has the height its text needs at this width,
and the text shown is the text sent. A screenshot of the whole screen is kept after each step
in ``tests/e2e/artifacts/`` (not committed).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from messenger.app.local_server import running_url
from messenger.core import Client
from messenger.core.models import MessageState
from tests.e2e.desktop import App, launch, missing_tools, start_app, x_desktop
from tests.helpers.local_server import kill_local_server

pytestmark = [
    pytest.mark.skipif(bool(missing_tools()), reason=f"needs {missing_tools()} (make test)"),
    pytest.mark.timeout(420),
]

ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "e2e-password-1"


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with x_desktop() as name:
        yield name


class Run:
    """The apps of one test and its artefacts."""

    def __init__(self, display: str, root: Path, artifacts: Path) -> None:
        self.display = display
        self.root = root
        self.data = root / "data"
        self.artifacts = artifacts
        self.apps: list[App] = []
        self.step = 0

    def start(self, name: str, *args: str) -> App:
        app = start_app(name, self.data, self.display, self.root, *args)
        self.apps.append(app)
        return app

    def shot(self, app: App, what: str) -> None:
        self.step += 1
        path = self.artifacts / f"{self.step:02d}-{what}.png"
        assert app.ask("screenshot", path=str(path))["saved"]

    def check(self, app: App, sent: list[str], what: str) -> None:
        """The layout invariants of the open chat, after a step."""
        app.activate()
        self.shot(app, what)
        layout = app.ask("bubbles")
        width, _height = layout["viewport"]
        rows = layout["rows"]
        problems: list[str] = []
        for row in rows:
            x, y, w, h = row["bubble"]
            _rx, ry, _rw, rh = row["row"]
            if x < -0.5 or x + w > width + 0.5:
                problems.append(f"{what}: a bubble is clipped by the viewport ({width}): {row}")
            if rh != row["wanted_height"] or y < ry - 0.5 or y + h > ry + rh + 0.5:
                problems.append(f"{what}: a row's height is not its text's: {row}")
        for upper, lower in itertools.pairwise(rows):
            if upper["bubble"][1] + upper["bubble"][3] > lower["bubble"][1] + 0.5:
                problems.append(f"{what}: bubbles overlap: {upper} / {lower}")
        shown = {_joined(row["lines"]): row["lines"] for row in rows}
        for text in sent:
            lines = shown.get(text)
            if lines is None:
                problems.append(f"{what}: {text!r} is not shown as sent; shown: {list(shown)}")
            elif "\n" in text and not _breaks_where_sent(text, lines):
                problems.append(f"{what}: {text!r} is drawn as {lines!r}")
        assert not problems, "\n".join(problems)

    def close(self) -> None:
        for app in reversed(self.apps):
            app.close()
        kill_local_server(self.data / "server")


def _joined(lines: list[str]) -> str:
    """The drawn lines as the text they show: a line break drawn is a newline."""
    return "".join(lines).replace("\u2028", "\n").replace("\u2029", "\n")


def _breaks_where_sent(text: str, lines: list[str]) -> bool:
    """Every newline typed starts a new drawn line, and no drawn line holds one inside."""
    ends = {len(_joined(lines[: n + 1])) for n in range(len(lines))}
    breaks = {i + 1 for i, c in enumerate(text) if c == "\n"}
    inside = any(c in line.rstrip("\n\u2028\u2029") for line in lines for c in "\n\u2028\u2029")
    return breaks <= ends and not inside


@pytest.fixture
def run(display: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Run]:
    artifacts = ARTIFACTS / request.node.name
    shutil.rmtree(artifacts, ignore_errors=True)
    artifacts.mkdir(parents=True)
    made = Run(display, tmp_path, artifacts)
    yield made
    made.close()


def sign_up(app: App, user: str, x: int) -> None:
    app.until(lambda s: s["visible"] and s["window"] == "sign_in", what="the sign-in window")
    app.move(x, 40)
    app.activate()
    app.click_widget("sign_in.user_edit")
    app.key("ctrl+a")  # the last used account may be filled in
    app.type(user)
    app.click_widget("sign_in.secret_edit")
    app.key("ctrl+a")
    app.type(PASSWORD)
    app.click_widget("sign_in.create_button")
    app.until(
        lambda s: s["window"] == "main" and s["visible"] and s["connection"] == "connected",
        within=90,
        what="signed in and connected",
    )


def open_chat(app: App, conversation_id: str) -> None:
    app.activate()
    deadline = time.monotonic() + 30
    while True:
        try:
            rect = app.ask("conversation", id=conversation_id)["rect"]
            break
        except RuntimeError:
            assert time.monotonic() < deadline, f"{conversation_id} never listed"
            time.sleep(0.1)
    app.click(rect)
    app.until(lambda s: s["chat"] == conversation_id, what=f"{conversation_id} open")


def send(app: App, *parts: str) -> None:
    """Type into the composer (parts joined by Shift+Enter) and send with Enter."""
    app.activate()
    app.click_widget("window.chat_pane.composer.edit")
    for n, part in enumerate(parts):
        if n:
            app.key("shift+Return")
        app.type(part)
    app.key("Return")


def shows(app: App, text: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while True:
        rows = app.ask("bubbles")["rows"]
        if any(_joined(r["lines"]) == text for r in rows):
            return
        assert time.monotonic() < deadline, f"{app.name} never showed {text!r}: {rows}"
        time.sleep(0.1)


async def _carol_makes_the_group(url: str, folder: Path) -> str:
    async with Client(url, folder) as carol:
        await carol.register("carol", PASSWORD)
        await carol.login_with_password("carol", PASSWORD)
        group = await carol.create_group("Team", ["alice", "bob"])
        conversation_id = f"GROUP{group.group_id}"
        await carol.send_text(conversation_id, "welcome, both of you")
        for _ in range(200):  # sent, not only queued, before this device goes away
            if any(m.state is MessageState.SENT for m in await carol.messages(conversation_id)):
                break
            await asyncio.sleep(0.05)
        return conversation_id


async def _carol_reads(url: str, folder: Path, conversation_id: str, text: str) -> bool:
    async with Client(url, folder) as carol:
        await carol.login_with_password("carol", PASSWORD)
        for _ in range(100):
            if any(m.text == text for m in await carol.messages(conversation_id)):
                return True
            await asyncio.sleep(0.1)
    return False


def test_two_windows_one_local_server_first_ten_minutes(run: Run) -> None:
    # No keyring on a test machine: the secrets go to the app's private file (the user's opt-in),
    # so a session comes back at the next launch as it would with a keyring.
    run.data.mkdir(parents=True)
    (run.data / "settings.json").write_text(json.dumps({"version": 1, "secrets_in_file": True}))

    # -- first launch, no demo data: two windows, an account made in each ------------------------
    alice = run.start("alice")
    bob = run.start("bob")  # the same data folder: they will share the local server
    sign_up(alice, "alice", 20)
    sign_up(bob, "bob", 800)
    run.shot(bob, "both-signed-in")
    url = running_url(run.data / "server")
    assert url is not None
    group = asyncio.run(_carol_makes_the_group(url, run.root / "carol"))

    # -- send and receive -------------------------------------------------------------------
    open_chat(alice, group)
    open_chat(bob, group)
    send(alice, "hello bob")
    shows(bob, "hello bob")
    sent = ["welcome, both of you", "hello bob"]
    run.check(alice, sent, "alice-sent")
    run.check(bob, sent, "bob-received")

    # -- Shift+Enter: one message of two lines -----------------------------------------------
    send(bob, "first line", "second line")
    shows(alice, "first line\nsecond line")
    sent.append("first line\nsecond line")
    run.check(alice, sent, "two-lines")

    # -- narrow and wide -----------------------------------------------------------------------
    alice.resize(560, 720)
    time.sleep(0.5)
    run.check(alice, sent, "narrow")
    alice.resize(1500, 900)
    time.sleep(0.5)
    run.check(alice, sent, "wide")

    # -- the group panel, closed and open again -------------------------------------------------
    before = alice.ask("state")["group_panel"]
    alice.click_widget("window.chat_pane.header.panel_button")
    alice.until(lambda s: s["group_panel"] != before, what="the group panel toggled")
    run.check(alice, sent, "group-panel-toggled")
    alice.click_widget("window.chat_pane.header.panel_button")
    alice.until(lambda s: s["group_panel"] == before, what="the group panel back")
    run.check(alice, sent, "group-panel-back")

    # -- the language, switched while the app runs --------------------------------------------
    alice.ask("language", value="zh_CN")
    time.sleep(0.5)
    run.check(alice, sent, "chinese")
    alice.ask("language", value="en")

    # -- the window that started the local server quits; the other keeps working ---------------
    alice.ask("quit")
    assert alice.proc.wait(30) == 0, alice.log()
    send(bob, "still here after alice left")
    shows(bob, "still here after alice left")
    assert asyncio.run(
        _carol_reads(url, run.root / "carol", group, "still here after alice left")
    ), "bob's message did not reach the server"
    run.check(bob, [*sent, "still here after alice left"], "host-quit")

    # -- the local server goes away: bob follows it to its new port within seconds ------------
    kill_local_server(run.data / "server", signal.SIGKILL)
    bob.until(lambda s: s["connection"] != "connected", within=15, what="bob offline")
    bob.until(lambda s: s["connection"] == "connected", within=20, what="bob reconnected")
    moved = running_url(run.data / "server")
    assert moved is not None and moved != url
    send(bob, "and after the server moved")
    assert asyncio.run(
        _carol_reads(moved, run.root / "carol", group, "and after the server moved")
    ), "bob's message did not reach the moved server"

    # -- a second launch of the open account shows its window and ends ----------------------------
    proc, _probe, log = launch("bob-again", run.data, run.display, run.root, probe=False)
    try:
        assert proc.wait(60) == 0, log.read_text()[-2000:]
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("a second window of bob opened") from None
    state = bob.until(lambda s: s["visible"], what="bob's window shown")
    assert state["user"] == "bob" and state["connection"] == "connected"
    run.shot(bob, "second-launch")
