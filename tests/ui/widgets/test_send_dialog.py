"""Several files at once open the send dialog: each with a thumbnail or its type's icon, a
caption, "send pictures as files"; Send queues them in order, the caption first. Through the
real server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from messenger.protocol.bodies import FileBody, ImageBody, TextBody
from messenger.ui.send_files_dialog import SendFilesDialog
from tests.helpers.clients import Devices
from tests.helpers.media import png
from tests.ui.helpers import until
from tests.ui.widgets.test_attach import chat_with_bob


def drop(composer: Any, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    composer.dropEvent(event)


async def test_dropped_files_open_the_send_dialog_and_go_in_order_with_the_caption_first(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    big = tmp_path / "big.png"
    big.write_bytes(png(1600, 1200))
    notes = tmp_path / "notes.txt"
    notes.write_text("agenda\n" * 20_000)
    small = tmp_path / "small.png"
    small.write_bytes(png(40, 30))

    drop(composer, [big, notes, small])

    dialog = await until(lambda: window.findChild(SendFilesDialog), what="the send dialog")
    assert dialog.isVisible() and dialog.list.count() == 3
    assert [dialog.list.item(i).text().split("\n")[0] for i in range(3)] == [
        "big.png",
        "notes.txt",
        "small.png",
    ]
    assert all(not dialog.list.item(i).icon().isNull() for i in range(3))
    assert dialog.as_files.isVisibleTo(dialog)  # there are pictures to choose for
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        dialog.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "send-dialog.png"))
    dialog.caption.setText("the holiday plan")
    dialog.accept()

    got = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) >= 5 and m, what="all four"
    )
    kinds = [type(m.content) for m in got[1:5]]
    assert kinds == [TextBody, ImageBody, FileBody, ImageBody]
    assert got[1].content.text == "the holiday plan"
    assert [m.content.name for m in got[2:5]] == ["big.png", "notes.txt", "small.png"]


async def test_pictures_can_be_sent_as_files_and_cancel_sends_nothing(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    pictures = []
    for i in range(2):
        path = tmp_path / f"photo{i}.png"
        path.write_bytes(png(300 + i, 200))
        pictures.append(path)

    drop(composer, pictures)
    dialog = await until(lambda: window.findChild(SendFilesDialog), what="the send dialog")
    dialog.reject()
    composer.send_files(pictures)  # pasted this time
    await until(
        lambda: (d := window.findChild(SendFilesDialog)) is not None and d is not dialog,
        what="a new dialog",
    )
    again = composer.send_dialog
    again.as_files.setChecked(True)
    again.accept()

    got = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) >= 3 and m, what="the files"
    )
    assert len(got) == 3  # the greeting and two files; the cancelled dialog sent nothing
    assert [m.kind for m in got[1:]] == ["file", "file"]
    assert [m.content.name for m in got[1:]] == ["photo0.png", "photo1.png"]
