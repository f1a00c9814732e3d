"""Video messages: a frame of the video's shape with a play button and the length; a click
downloads the video into the cache and opens the player window on it (Qt Multimedia); Esc
closes it. Through the real server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from messenger.ui.video_player import VideoPlayer
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.video import make_video
from tests.ui.helpers import chat_rows, open_chat, until


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
