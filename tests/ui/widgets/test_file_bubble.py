"""File bubbles: an icon by type, the name elided in the middle, the size; a click downloads the
file with progress in the bubble (its × stops it), the next click opens it; the message menu's
Open, Save as… and Show in folder, with a hostile name made safe. Through the real server; the
receiver's link is slowed down so the download can be watched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from messenger.ui.bubbles import file_bubble
from messenger.viewmodels.cards import file_type
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.slow_link import SlowDownloads
from tests.ui.helpers import chat_rows, open_chat, until

HOSTILE = "../../../.bashrc\u202etxt.exe"  # a path, a hidden name, a right-to-left override
SAFE = "bashrctxt.exe"


async def bob_gets_a_file(
    devices: Devices, windows: Any, tmp_path: Path, data: bytes, name: str
) -> tuple[Any, Any]:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id, http_transport=SlowDownloads())
    path = tmp_path / "outgoing.bin"
    path.write_bytes(data)
    await alice.client.send_file("C2C" + bob_id, path, name=name)
    await devices.until(lambda: bob.added("C2C" + alice_id), what="bob gets it")
    window = await windows(bob)
    window.chat_pane.media.downloads_dir = tmp_path / "Downloads"
    await open_chat(window, "C2C" + alice_id)
    [row] = chat_rows(window)
    return window, row


def shot(window: Any, name: str) -> None:
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], name))


async def test_a_file_downloads_with_progress_then_opens_saves_and_shows_under_a_safe_name(
    devices: Devices, windows: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = os.urandom(600_000)
    window, row = await bob_gets_a_file(devices, windows, tmp_path, data, HOSTILE)
    pane, view = window.chat_pane, window.chat_pane.view
    downloads = pane.vm.downloads
    media_id = row.message.content.media_id
    opened: list[Path] = []
    shown: list[Path] = []

    def opener(found: list[Path]) -> Any:
        def run(path: Path) -> bool:
            found.append(path)
            return True

        return run

    pane.media.open_file = opener(opened)
    pane.media.show_in_folder = opener(shown)

    assert row.card == "file" and row.text == ""
    geometry = view.delegate.geometry(view.model().index(0, 0))
    assert geometry is not None and geometry.card is not None
    assert geometry.card.width() == file_bubble.WIDTH
    assert file_bubble.shown_name(row.message.content) == SAFE  # no spoofed extension shown
    assert file_type(SAFE) == ("EXE", "program")
    assert not downloads.is_here(row.message)

    assert view.click_action(row.key, "file")  # not here: the click downloads it
    progress = await until(lambda: (d := downloads.of(media_id)) and d.done > 0 and d, what="bytes")
    assert 0 < progress.fraction < 1 and progress.size == len(data)
    shot(window, "file-downloading.png")
    await until(lambda: downloads.is_here(row.message), within=20, what="the file is here")
    assert downloads.of(media_id) is None and opened == []
    shot(window, "file-here.png")

    assert view.click_action(row.key, "file")  # here: the click opens it
    [path] = await until(lambda: opened, what="the file opened")
    assert path.parent == tmp_path / "Downloads" and path.name == SAFE
    assert path.read_bytes() == data

    menu = pane.context_menu(row.key)
    names = [a.objectName() for a in menu.actions()]
    assert {"open", "save_as", "show_in_folder"} <= set(names)
    [show] = [a for a in menu.actions() if a.objectName() == "show_in_folder"]
    show.trigger()
    assert await until(lambda: shown, what="shown in its folder") == [path]

    asked: list[str] = []
    target = tmp_path / "chosen" / "kept.bin"
    target.parent.mkdir()

    def choose(parent: Any, caption: str, suggested: str, *args: Any) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    [save] = [a for a in menu.actions() if a.objectName() == "save_as"]
    save.trigger()
    await until(target.exists, what="saved where the user chose")
    assert target.read_bytes() == data
    assert Path(asked[0]).name == SAFE  # the suggestion is the safe name too
    assert sorted(p.name for p in (tmp_path / "Downloads").iterdir()) == [SAFE]


async def test_a_download_is_cancelled_from_its_bubble_and_can_start_again(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    data = os.urandom(1_500_000)
    window, row = await bob_gets_a_file(devices, windows, tmp_path, data, "backup.zip")
    pane, view = window.chat_pane, window.chat_pane.view
    downloads = pane.vm.downloads
    media_id = row.message.content.media_id
    view.click_action(row.key, "file")
    await until(lambda: (d := downloads.of(media_id)) and d.done > 0, what="bytes coming")

    geometry = view.delegate.geometry(view.model().index(0, 0))
    cross = file_bubble.icon_rect(geometry.card).center()
    index = view.model().index(0, 0)
    assert view.delegate.hit(index, cross.x(), cross.y()) == "file_cancel"
    view.action_clicked.emit("file_cancel", row.key)

    await until(lambda: downloads.of(media_id) is None, what="the download stopped")
    assert not downloads.is_here(row.message)
    assert window.findChild(QMessageBox, "ChatError") is None  # a cancel is not an error

    view.click_action(row.key, "file")  # again: it continues and completes
    await until(lambda: downloads.is_here(row.message), within=30, what="the file is here")
    cached = await pane.vm.downloads.fetch(row.message)
    assert cached is not None and cached.read_bytes() == data
