"""Voice messages: the bubble (play button, waveform, length), played from the media cache with
Qt Multimedia, and the record button, which says plainly when there is no microphone (as on
this virtual display). Through the real server."""

from __future__ import annotations

import io
import math
import os
import struct
import wave
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from messenger.ui.bubbles import voice_bubble
from messenger.ui.voice_peaks import PeakReader
from messenger.ui.voice_recorder import microphone_problem
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, open_chat, until
from tests.ui.widgets.test_attach import chat_with_bob


def tone(seconds: float = 1.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        frames = int(8000 * seconds)
        w.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(i / 8000 * 440 * 2 * math.pi)))
                for i in range(frames)
            )
        )
    return out.getvalue()


async def test_a_voice_message_shows_its_length_and_waveform_and_says_when_it_cannot_play(
    devices: Devices, windows: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    path = tmp_path / "hello.wav"
    path.write_bytes(tone())
    peaks = [(i * 37) % 256 for i in range(64)]
    await alice.client.send_file("C2C" + bob_id, path, kind="voice", duration_ms=1500, peaks=peaks)
    await devices.until(lambda: bob.added("C2C" + alice_id), what="bob gets it")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)
    pane = window.chat_pane
    [row] = chat_rows(window)

    assert row.card == "voice" and row.text == ""
    geometry = pane.view.delegate.geometry(pane.view.model().index(0, 0))
    assert geometry is not None and geometry.card is not None
    assert geometry.card.width() == voice_bubble.WIDTH
    assert len(voice_bubble.bars(peaks)) == voice_bubble.BARS
    button = voice_bubble.button_rect(geometry.card).center()
    index = pane.view.model().index(0, 0)
    assert pane.view.delegate.hit(index, button.x(), button.y()) == "voice_play"

    # This machine has no sound device: the click says so instead of failing quietly.
    pane.view.action_clicked.emit("voice_play", row.key)
    box = await until(lambda: window.findChild(QMessageBox, "ChatError"), what="the message")
    assert "speakers" in box.text()
    assert not pane.media.voice.playing(row.message.content.media_id)
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "voice.png"))
    box.close()

    # Save as… (the message menu, as for other media) writes the recording where chosen.
    menu = pane.context_menu(row.key)
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[-3:] == ["open", "save_as", "show_in_folder"]
    target = tmp_path / "kept" / "hello.wav"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    next(a for a in menu.actions() if a.objectName() == "save_as").trigger()
    await until(target.exists, what="the recording saved")
    assert target.read_bytes() == path.read_bytes()


async def test_the_record_button_says_there_is_no_microphone(
    devices: Devices, windows: Any, qtbot: Any
) -> None:
    window, _bob, _alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    problem = microphone_problem()
    assert "microphone" in problem or "Qt Multimedia" in problem  # a virtual display has none

    qtbot.mousePress(composer.voice_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.mouseRelease(composer.voice_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))

    box = await until(lambda: window.findChild(QMessageBox, "ChatError"), what="the message")
    assert box.text() == problem
    assert not composer.voice_button.recording


async def test_a_recordings_waveform_is_read_back_from_its_file(tmp_path: Path) -> None:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:  # a quiet second, then a loud one
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        for amplitude in (1500, 15000):
            w.writeframes(
                b"".join(
                    struct.pack("<h", int(amplitude * math.sin(i / 8000 * 440 * 2 * math.pi)))
                    for i in range(8000)
                )
            )
    path = tmp_path / "rising.wav"
    path.write_bytes(out.getvalue())
    got: list[list[int]] = []
    reader = PeakReader(path)
    reader.done.connect(got.append)

    [peaks] = await until(lambda: got, what="the waveform")
    assert len(peaks) == 64 and max(peaks) == 255
    assert max(peaks[:30]) < 40 and min(peaks[34:]) > 220, peaks  # quiet, then ten times louder
