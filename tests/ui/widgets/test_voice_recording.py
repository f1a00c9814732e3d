"""A voice message recorded, sent and played for real: Qt Multimedia records from a microphone
and plays into speakers, both of a PulseAudio server of the test's own (``tests/helpers/pulse.py``:
a null source and a null sink, so no sound hardware is needed and none is touched).

Qt Multimedia connects to the sound server once per process, at its first use, and the other
voice tests check what the app says when there is no sound device at all. So the journey runs
in a child pytest process that sees only this server; the first test starts the server and the
child and fails with the child's output. Skipped, saying why, only if the server cannot start.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage

from messenger.protocol.bodies import VoiceBody
from messenger.ui.bubbles import voice_bubble
from messenger.ui.voice_recorder import microphone_problem
from messenger.viewmodels.texts import duration_text
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.pulse import NoSoundServer, start_sound_server
from tests.ui.helpers import chat_rows, open_chat, until

CHILD = "MESSENGER_TEST_SOUND_SERVER_CHILD"


def test_a_voice_message_is_recorded_sent_and_played_through_a_sound_server() -> None:
    if os.environ.get(CHILD):
        pytest.skip("this is the child process")
    try:
        with start_sound_server() as server:
            env = {**os.environ, "PULSE_SERVER": server.address, CHILD: "1"}
            node = f"{__file__}::test_in_a_process_with_a_sound_server"
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
                env=env,
                capture_output=True,
                text=True,
                timeout=240,
                check=False,
            )
    except NoSoundServer as exc:
        pytest.skip(f"no sound server for the recording test: {exc}")
    output = result.stdout[-6000:] + result.stderr[-3000:]
    assert result.returncode == 0, output
    assert "1 passed" in result.stdout, output


async def test_in_a_process_with_a_sound_server(
    devices: Devices, windows: Any, qtbot: Any, tmp_path: Path
) -> None:
    if not os.environ.get(CHILD):
        pytest.skip("runs in a child process with its own sound server (the test above)")
    assert microphone_problem() == ""  # the sound server's microphone is there
    alice_id, bob_id = uid("alice"), uid("bob")
    bob = await devices.sign_in(bob_id)
    alice = await devices.sign_in(alice_id)
    await alice.client.send_text("C2C" + bob_id, "listen")
    window = await windows(alice)
    await open_chat(window, "C2C" + bob_id)
    button = window.chat_pane.composer.voice_button
    inside = QPoint(button.width() // 2, button.height() // 2)

    # Alice holds the microphone button for a couple of seconds; it counts the time.
    qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=inside)
    assert button.recording
    await until(lambda: button.text() == "0:02", within=10, what="the time counted")
    await asyncio.sleep(0.6)  # "0:02" shows from 1.5 s on: about 2.2 s in all
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton, pos=inside)  # released on it: sent
    assert not button.recording

    [message] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "voice"],
        within=30,
        what="bob gets the voice message",
    )
    body = message.content
    assert isinstance(body, VoiceBody)
    assert 1500 <= body.duration_ms < 2500, body.duration_ms  # measured by the recorder
    # Its waveform was read back from the recording (the null microphone hears silence: a flat
    # line; the shape of a louder recording is in test_voice.py).
    assert body.peaks == [0] * 64
    recorded = await bob.client.download(message)
    assert recorded.stat().st_size > 0 and recorded.read_bytes()[4:8] == b"ftyp"  # MPEG-4 audio

    # Bob sees its length and plays it: the time and the waveform move on, then it ends.
    window_b = await windows(bob)
    await open_chat(window_b, "C2C" + alice_id)
    pane, view = window_b.chat_pane, window_b.chat_pane.view
    [row] = [r for r in chat_rows(window_b) if r.card == "voice"]
    assert duration_text(body.duration_ms) == "0:02"  # what the bubble says
    index = view.model().index(chat_rows(window_b).index(row), 0)
    geometry = view.delegate.geometry(index)
    assert geometry is not None and geometry.card is not None
    top_left = view.visualRect(index).topLeft()
    play = voice_bubble.button_rect(geometry.card).center().toPoint() + top_left
    wave = geometry.card.adjusted(voice_bubble.BUTTON + 10, 0, 0, -20).translated(QPointF(top_left))

    def waveform() -> QImage:
        shown: QImage = view.viewport().grab().toImage()
        return shown.copy(wave.toRect())

    idle = waveform()
    voice = pane.media.voice
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=play)
    await until(lambda: voice.playing(body.media_id), within=15, what="it plays")
    first = await until(lambda: voice.position_ms(body.media_id), what="its position moves")
    later = await until(
        lambda: (p := voice.position_ms(body.media_id)) > first + 500 and p,
        within=5,
        what="played on",
    )
    assert later <= body.duration_ms + 200
    await until(lambda: waveform() != idle, what="the played part coloured")
    await until(
        lambda: not voice.playing(body.media_id) and voice.position_ms(body.media_id) == 0,
        within=10,
        what="it played to the end",
    )
    await until(lambda: waveform() == idle, what="the waveform as before")
