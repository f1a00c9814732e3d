"""Files from the composer: the attach button, a pasted screenshot, pasted and dropped files.
Each reaches the peer as a media message; nothing turns into ``file://`` text."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QFileDialog

from messenger.core import MessageState
from messenger.protocol.bodies import FileBody, ImageBody
from messenger.ui import file_dialogs
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.media import jpeg_with_gps, png
from tests.ui.helpers import chat_rows, open_chat, until


async def chat_with_bob(devices: Devices, windows: Any) -> tuple[Any, Any, str]:
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await alice.client.send_text("C2C" + bob_id, "files coming")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    return window, bob, alice_id


async def received(devices: Devices, bob: Any, alice_id: str, kind: str) -> Any:
    [message] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == kind], what=f"a {kind}"
    )
    return message


async def test_a_pasted_screenshot_is_sent_as_a_photo(devices: Devices, windows: Any) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    shot = QImage(320, 200, QImage.Format.Format_RGB32)
    shot.fill(QColor("#3366cc"))
    mime = QMimeData()
    mime.setImageData(shot)

    assert composer.edit.canInsertFromMimeData(mime)
    composer.edit.insertFromMimeData(mime)

    message = await received(devices, bob, alice_id, "image")
    assert isinstance(message.content, ImageBody)
    assert (message.content.width, message.content.height) == (320, 200)
    assert composer.edit.toPlainText() == ""
    # My bubble has its final size at once: 320 × 200 fitted into 240 px.
    await until(lambda: chat_rows(window)[-1].picture == (240, 150), what="the picture bubble")


async def test_a_received_picture_bubble_keeps_its_size_and_shows_the_thumbnail(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    photo = tmp_path / "tall.jpg"
    photo.write_bytes(jpeg_with_gps(400, 300, orientation=6))  # upright: 300 × 400
    await alice.client.send_file("C2C" + bob_id, photo, kind="image")
    await devices.until(lambda: bob.added("C2C" + alice_id), what="bob gets it")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)

    [row] = chat_rows(window)
    assert row.picture == (180, 240)  # reserved before any byte of the picture is here
    view = window.chat_pane.view
    geometry = view.delegate.geometry(view.model().index(0, 0))
    assert geometry is not None and geometry.picture is not None
    assert (geometry.picture.width(), geometry.picture.height()) == (180, 240)
    media_id = row.message.content.media_id
    await until(lambda: media_id in view.delegate._images, what="the thumbnail painted")
    image = view.delegate._images[media_id]
    assert max(image.width(), image.height()) == 198
    assert image.height() > image.width()  # upright
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "picture.png"))


async def test_pasted_and_dropped_files_are_sent_as_files(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    notes = tmp_path / "notes.txt"
    notes.write_text("agenda\n" * 50)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])

    composer.edit.insertFromMimeData(mime)  # Ctrl+V of a copied file

    message = await received(devices, bob, alice_id, "file")
    assert isinstance(message.content, FileBody) and message.content.name == "notes.txt"
    assert "file://" not in composer.edit.toPlainText()

    picture = tmp_path / "drawing.png"
    picture.write_bytes(png(64, 48))
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(picture))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        dropped,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    composer.dropEvent(event)

    photo = await received(devices, bob, alice_id, "image")
    assert isinstance(photo.content, ImageBody) and photo.content.name == "drawing.png"


async def test_the_attach_button_sends_the_chosen_files(
    devices: Devices, windows: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4\n" + b"0" * 3000)
    opened_in: list[str] = []

    def dialog(_parent: object, _title: str, folder: str, _filters: str) -> tuple[list[str], str]:
        opened_in.append(folder)
        return [str(report)], ""

    monkeypatch.setattr(file_dialogs, "_last_folder", None)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", dialog)

    qtbot.mouseClick(composer.attach_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))

    message = await received(devices, bob, alice_id, "file")
    assert isinstance(message.content, FileBody)
    assert (message.content.name, message.content.mime) == ("report.pdf", "application/pdf")
    await until(lambda: chat_rows(window)[-1].card == "file", what="the file bubble")
    # The dialog opened in the home folder (not the app's working folder), then where I was.
    composer.choose_files()
    assert opened_in == [str(Path.home()), str(tmp_path)]


async def test_an_uploading_file_shows_progress_in_its_bubble_and_can_be_cancelled(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    window, bob, alice_id = await chat_with_bob(devices, windows)
    pane = window.chat_pane
    big = tmp_path / "backup.bin"
    big.write_bytes(bytes(range(256)) * (40 * 4096))  # 40 MB
    [alice] = [d for d in devices.devices if d.user_id == alice_id]
    client = alice.client
    echo = await client.send_file("C2C" + bob.user_id, big)
    transfer = client.transfers.for_message(echo.client_msg_id)
    assert transfer is not None
    client.transfers.pause(transfer.transfer_id)  # hold it mid-way to look at the bubble

    row = await until(lambda: chat_rows(window)[-1].uploading and chat_rows(window)[-1])
    geometry = pane.view.delegate.geometry(pane.view.model().index(len(chat_rows(window)) - 1, 0))
    assert geometry is not None and geometry.progress is not None and geometry.cancel is not None
    assert window.session.chat.uploads.of(echo.client_msg_id) is not None
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "uploading.png"))

    assert pane.view.click_action(row.key, "cancel")

    failed = await until(
        lambda: chat_rows(window)[-1].state is MessageState.FAILED and chat_rows(window)[-1]
    )
    assert not failed.uploading
    assert window.session.chat.uploads.of(echo.client_msg_id) is None
    assert client.transfers.transfers() == []
