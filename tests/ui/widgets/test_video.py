"""Video messages: a frame of the video's shape with a play button and the length; a click
downloads the video into the cache (progress and a × in the bubble; the × stops it, the next
click continues) and opens the player window on it (Qt Multimedia); Esc closes it. Through the
real server; the receiver's link is slowed down where the download is watched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from messenger.ui.bubbles import video_bubble
from messenger.ui.theme import apply_theme
from messenger.ui.video_player import VideoPlayer
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.slow_link import SlowDownloads
from tests.helpers.video import make_video
from tests.ui.helpers import chat_rows, open_chat, until


def media_opened(player: VideoPlayer) -> bool:
    """The player has opened its file (closed earlier, FFmpeg warns that it was interrupted)."""
    from PySide6.QtMultimedia import QMediaPlayer

    status = player.player.mediaStatus()
    return status not in (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia)


async def test_a_video_shows_its_frame_and_length_and_opens_in_the_player(
    devices: Devices, windows: Any, tmp_path: Path, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    path = await make_video(tmp_path / "clip.mp4")  # 2 s of 160 × 90
    await alice.client.send_file(
        "C2C" + bob_id, path, kind="video", duration_ms=83_000, width=1280, height=720
    )
    await devices.until(lambda: bob.added("C2C" + alice_id), what="bob gets it")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)
    pane = window.chat_pane
    [row] = chat_rows(window)

    assert row.picture == (240, 135)  # the video's shape, reserved at once
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "video.png"))
    assert pane.view.click_action(row.key, "picture")

    player = await until(lambda: window.findChild(VideoPlayer), within=15, what="the player")
    cached = await pane.vm.downloads.fetch(row.message)
    assert cached is not None and player.source.toLocalFile() == str(cached)
    assert player.isVisible()
    await until(lambda: media_opened(player), what="the player opened the video")
    opened: list[Path] = []

    def open_file(path: Path) -> bool:
        opened.append(path)
        return True

    pane.media.open_file = open_file
    assert player.open_button.isVisible()
    qtbot.mouseClick(player.open_button, Qt.MouseButton.LeftButton)
    assert opened == [cached]  # the system's player gets the cached file
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    await until(lambda: not player.isVisible(), what="closed")


async def test_a_dropped_video_is_sent_as_a_video_with_its_length_and_size(
    devices: Devices, windows: Any, tmp_path: Path
) -> None:
    from messenger.protocol.bodies import VideoBody
    from tests.ui.widgets.test_attach import chat_with_bob
    from tests.ui.widgets.test_send_dialog import drop

    window, bob, alice_id = await chat_with_bob(devices, windows)
    clip = await make_video(tmp_path / "holiday.mp4")

    drop(window.chat_pane.composer, [clip])

    [message] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "video"], what="the video"
    )
    assert isinstance(message.content, VideoBody)
    assert (message.content.width, message.content.height) == (160, 90)
    assert 0 < message.content.duration_ms <= 2500  # read from the file (up to 20 frames at 10 fps)
    assert message.content.name == "holiday.mp4"
    assert message.content.thumb_media_id  # its first picture went with it

    # Bob's bubble shows that frame (downloaded as the frame's small thumbnail).
    window_b = await windows(bob)
    await open_chat(window_b, "C2C" + alice_id)
    view = window_b.chat_pane.view
    media_id = message.content.media_id
    await until(lambda: media_id in view.delegate._images, what="the frame painted")
    frame = view.delegate._images[media_id]
    assert (frame.width(), frame.height()) == (160, 90)


def shots(window: Any, name: str) -> None:
    """With MESSENGER_SCREENSHOTS: the window in the light and the dark theme."""
    folder = os.environ.get("MESSENGER_SCREENSHOTS")
    if not folder:
        return
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for theme in ("dark", "light"):
        apply_theme(app, theme)
        app.processEvents()
        window.grab().save(os.path.join(folder, f"{name}-{theme}.png"))


async def test_a_video_downloads_with_progress_in_its_bubble_and_its_x_stops_it(
    devices: Devices, windows: Any, tmp_path: Path, qtbot: Any
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id, http_transport=SlowDownloads(piece=512, pause=0.1))
    path = await make_video(tmp_path / "clip.mp4", 320, 180)
    await alice.client.send_file(
        "C2C" + bob_id, path, kind="video", duration_ms=2000, width=320, height=180
    )
    await devices.until(lambda: bob.added("C2C" + alice_id), what="bob gets it")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)
    pane, view = window.chat_pane, window.chat_pane.view
    downloads = pane.vm.downloads
    [row] = chat_rows(window)
    media_id = row.message.content.media_id
    index = view.model().index(0, 0)
    geometry = view.delegate.geometry(index)
    assert geometry is not None and geometry.picture is not None
    button = video_bubble.button_rect(geometry.picture).center().toPoint()
    on_screen = button + view.visualRect(index).topLeft()

    def button_pixels() -> QImage:
        at = on_screen - QPoint(12, 12)
        shown: QImage = view.viewport().grab().toImage()
        return shown.copy(at.x(), at.y(), 24, 24)

    idle = button_pixels()
    assert view.delegate.hit(index, button.x(), button.y()) == "picture"

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=on_screen)
    progress = await until(lambda: (d := downloads.of(media_id)) and d.done > 0 and d, what="bytes")
    assert 0 < progress.fraction < 1 and progress.size == path.stat().st_size
    assert view.delegate.hit(index, button.x(), button.y()) == "file_cancel"
    assert button_pixels() != idle  # a ring and a × where the play button was
    shots(window, "video-downloading")

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=on_screen)  # the ×
    await until(lambda: downloads.of(media_id) is None, what="the download stopped")
    assert not downloads.is_here(row.message)
    assert window.findChild(VideoPlayer) is None
    assert window.findChild(QMessageBox, "ChatError") is None  # a cancel is not an error
    await until(lambda: button_pixels() == idle, what="the play button again")

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=on_screen)  # it continues
    player = await until(lambda: window.findChild(VideoPlayer), within=60, what="the player")
    assert downloads.is_here(row.message)
    cached = await downloads.fetch(row.message)
    assert cached is not None and cached.read_bytes() == path.read_bytes()
    assert player.source.toLocalFile() == str(cached)
    await until(lambda: media_opened(player), what="the player opened the video")
    player.close()
