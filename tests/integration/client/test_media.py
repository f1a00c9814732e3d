"""Files through the real server with real clients: every media kind sent and received, an
upload cut halfway that resumes after a restart without starting over, text that is not held
back by a long upload, files that keep the order written (across a restart in the middle of an
upload too), the same file uploaded once, downloads only for those who see them."""

from __future__ import annotations

import asyncio
import io
import re
import struct
import wave
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PIL import Image

from messenger.core import MessageState
from messenger.core.events import TransferChanged
from messenger.core.models import LocalMessage
from messenger.core.transfers import service as transfer_service
from messenger.core.transfers.models import TransferState
from messenger.protocol import errors
from messenger.protocol.bodies import FileBody, ImageBody, VideoBody, VoiceBody
from tests.helpers.clients import Device, Devices, refusal
from tests.helpers.ids import uid
from tests.helpers.media import jpeg_with_gps, sha256
from tests.helpers.server import ServerProcess
from tests.helpers.slow_link import SlowUploads


def wav(seconds: float = 0.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<h", 1000) * int(8000 * seconds))
    return out.getvalue()


def mp4() -> bytes:
    """The start of an MP4 file (its ftyp box), enough for content sniffing."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def sent(device: Device, client_msg_id: str) -> LocalMessage | None:
    return next(
        (m for m in device.updated(MessageState.SENT) if m.client_msg_id == client_msg_id), None
    )


async def uploads_on_server(url: str) -> float:
    """How many upload_bytes requests the server has answered (its Prometheus counter)."""
    async with httpx.AsyncClient(base_url=url) as http:
        text = (await http.get("/metrics")).text
    pattern = r'^messenger_http_requests_total\{endpoint="upload_bytes",status="\d+"\} (\S+)$'
    return sum(float(v) for v in re.findall(pattern, text, re.M))


async def test_every_media_kind_reaches_the_peer_and_downloads_intact(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    photo = jpeg_with_gps(800, 600, orientation=6)
    files = {
        "image": (write(tmp_path, "photo.jpg", photo), 0),
        "file": (write(tmp_path, "notes.txt", b"meeting notes\n" * 500), 0),
        "voice": (write(tmp_path, "hello.wav", wav()), 500),
        "video": (write(tmp_path, "clip.mp4", mp4()), 3000),
    }
    echoes = {}
    for kind, (path, duration_ms) in files.items():
        echoes[kind] = await alice.client.send_file(
            "C2C" + bob_id, path, kind=kind, duration_ms=duration_ms, width=640, height=360
        )

    # The sender's image bubble has its final, upright size before anything is uploaded.
    image_echo = echoes["image"].content
    assert isinstance(image_echo, ImageBody)
    assert (image_echo.width, image_echo.height, image_echo.name) == (600, 800, "photo.jpg")
    assert alice.client.transfers.cache.get(sha256(photo), "small") is not None

    received = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 4 and m, what="four files"
    )
    by_kind = {m.kind: m for m in received}
    assert set(by_kind) == {"image", "file", "voice", "video"}
    assert isinstance(by_kind["image"].content, ImageBody)
    assert [v.variant for v in by_kind["image"].content.variants] == ["small", "large"]
    assert isinstance(by_kind["voice"].content, VoiceBody)
    assert by_kind["voice"].content.duration_ms == 500
    assert isinstance(by_kind["video"].content, VideoBody)
    file_body = by_kind["file"].content
    assert isinstance(file_body, FileBody) and file_body.name == "notes.txt"

    for kind in ("file", "voice", "video"):
        path = await bob.client.download(by_kind[kind])
        assert path.read_bytes() == files[kind][0].read_bytes()
    thumb = await bob.client.download(by_kind["image"], "small")
    assert max(Image.open(thumb).size) == 198
    full = Image.open(await bob.client.download(by_kind["image"]))
    assert full.size == (600, 800) and not full.getexif().get_ifd(0x8825)
    [conv] = await bob.client.conversations()
    assert conv.unread_count == 4
    usage = await bob.client.cache_usage()
    assert usage.files > 0 and usage.thumbnails > 0
    # A lower limit (the settings' "keep downloads up to") takes effect at once.
    assert await bob.client.set_media_cache_limit(0) == usage.files
    assert (await bob.client.cache_usage()).thumbnails == usage.thumbnails  # kept apart
    assert await bob.client.clear_cache() > 0
    assert (await bob.client.cache_usage()).files == 0


async def test_an_upload_cut_halfway_resumes_after_a_restart_and_text_is_not_held_back(
    devices: Devices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Progress told for every chunk (not ten times a second), so the cut below comes a quarter
    # in however fast the loopback is.
    monkeypatch.setattr(transfer_service, "PROGRESS_EVERY", 0.0)
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    data = bytes(range(256)) * (48 * 4096)  # 48 MB
    path = write(tmp_path, "archive.bin", data)

    echo = await alice.client.send_file("C2C" + bob_id, path)
    transfer = alice.client.transfers.for_message(echo.client_msg_id)
    assert transfer is not None

    def cut(event: object) -> None:  # the connection drops mid-file (as soon as a quarter is up)
        if (
            isinstance(event, TransferChanged)
            and event.transfer.transfer_id == transfer.transfer_id
            and event.transfer.done > len(data) // 4
            and event.transfer.state is TransferState.RUNNING
        ):
            alice.client.transfers.pause(transfer.transfer_id)

    stop_watching = alice.client.subscribe(cut)
    await devices.until(
        lambda: (
            (t := alice.client.transfers.get(transfer.transfer_id))
            and t.state is TransferState.PAUSED
        ),
        what="paused a quarter in",
    )
    stop_watching()
    await alice.client.send_text("C2C" + bob_id, "sent while the file uploads")
    [text] = await devices.until(lambda: bob.added("C2C" + alice_id), what="the text first")
    assert text.text == "sent while the file uploads"

    alice = await devices.reopen(alice)  # the app restarts
    [paused] = alice.client.transfers.transfers()
    assert (paused.transfer_id, paused.state) == (transfer.transfer_id, TransferState.PAUSED)
    alice.client.transfers.resume(paused.transfer_id)

    progress = await devices.until(
        lambda: [e.transfer for e in alice.of(TransferChanged) if e.transfer.done > 0],
        what="progress after the restart",
    )
    assert progress[0].done > len(data) // 8  # continued from the server's offset, not from 0
    message = await devices.until(lambda: sent(alice, echo.client_msg_id), within=30)
    assert message.seq > text.seq  # the file takes its place when its upload is complete
    received = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "file"], what="the file"
    )
    assert (await bob.client.download(received[0])).read_bytes() == data


async def test_the_same_file_twice_is_uploaded_once(devices: Devices, tmp_path: Path) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    path = write(tmp_path, f"{alice_id}.bin", alice_id.encode() * 20_000)
    before = await uploads_on_server(devices.url)

    first = await alice.client.send_file("C2C" + bob_id, path)
    await devices.until(lambda: sent(alice, first.client_msg_id), what="the first")
    second = await alice.client.send_file("C2C" + bob_id, path, name="again.bin")
    await devices.until(lambda: sent(alice, second.client_msg_id), what="the second")

    assert await uploads_on_server(devices.url) - before == 1


async def test_another_user_with_the_same_file_proves_it_instead_of_uploading(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    data = bob_id.encode() * 40_000  # longer than one challenge range
    mine, his = write(tmp_path, "mine.bin", data), write(tmp_path, "his.bin", data)
    first = await alice.client.send_file("C2C" + bob_id, mine)
    await devices.until(lambda: sent(alice, first.client_msg_id), what="Alice's file")
    before = await uploads_on_server(devices.url)

    again = await bob.client.send_file("C2C" + alice_id, his)
    await devices.until(lambda: sent(bob, again.client_msg_id), what="Bob's file")

    assert await uploads_on_server(devices.url) == before  # answered the challenge, sent no bytes
    received = await devices.until(
        lambda: [m for m in alice.added("C2C" + bob_id) if m.kind == "file"], what="Bob's file"
    )
    assert (await alice.client.download(received[-1])).read_bytes() == data


async def test_a_non_member_cannot_download_a_groups_file(devices: Devices, tmp_path: Path) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)
    group = await alice.client.create_group("Plans", [bob_id])
    chat = "GROUP" + group.group_id
    await alice.client.send_file(chat, write(tmp_path, "plan.txt", b"the plan " * 100))
    [message] = await devices.until(
        lambda: [m for m in bob.added(chat) if m.kind == "file"], what="bob gets it"
    )

    with pytest.raises(errors.NotMember):
        await carol.client.download(message)
    assert (await bob.client.download(message)).read_bytes() == b"the plan " * 100


async def test_a_refused_upload_fails_its_message(devices: Devices, tmp_path: Path) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    fake = write(tmp_path, "cute.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 3000)

    echo = await alice.client.send_file("C2C" + bob_id, fake, kind="image")

    [failed] = await devices.until(lambda: alice.updated(MessageState.FAILED), what="refusal")
    assert failed.client_msg_id == echo.client_msg_id
    assert failed.error is not None and failed.error.name == "unsupported_media"


async def test_a_cancelled_upload_fails_its_message_and_retry_uploads_it_again(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    data = bytes(range(256)) * (32 * 4096)  # 32 MB
    path = write(tmp_path, "video-raw.bin", data)
    echo = await alice.client.send_file("C2C" + bob_id, path)
    transfer = alice.client.transfers.for_message(echo.client_msg_id)
    assert transfer is not None
    alice.client.transfers.pause(transfer.transfer_id)

    await alice.client.transfers.cancel(transfer.transfer_id)

    [failed] = await devices.until(lambda: alice.updated(MessageState.FAILED), what="failed")
    assert failed.client_msg_id == echo.client_msg_id
    assert alice.client.transfers.transfers() == []
    path.unlink()  # the original is gone: the retry uploads my cached copy

    await alice.client.resend(echo.client_msg_id)

    await devices.until(lambda: sent(alice, echo.client_msg_id), within=30, what="sent")
    [got] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "file"], what="bob gets it"
    )
    assert (await bob.client.download(got)).read_bytes() == data


async def test_a_file_the_server_collected_before_its_message_went_is_uploaded_again(
    own_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    """The file went up, but its message waited longer than the server keeps files no message
    uses (the app closed for a day): the server refuses the message (``upload_incomplete``)
    and the client uploads its copy again and sends the same message, by itself."""
    server = own_server(env={"MESSENGER_MEDIA_ORPHAN_MS": "1500"})
    devices = Devices(server.url, tmp_path / "devices")
    try:
        alice_id, bob_id = uid("alice"), uid("bob")
        alice = await devices.sign_in(alice_id)
        bob = await devices.sign_in(bob_id)
        data = b"sent a day after it went up " * 3000
        path = write(tmp_path, "late.bin", data)
        media_id = sha256(data)
        transfers = alice.client.transfers
        await transfers.upload_now(path, media_id=media_id, size=len(data), kind="file")
        await asyncio.to_thread(transfers.cache.adopt, path, media_id)
        on_server = server.data_dir / "media" / "files" / media_id[:2] / media_id
        await devices.until(lambda: not on_server.exists(), within=20, what="collected")

        body = FileBody(media_id=media_id, name="late.bin", size=len(data))
        echo = await alice.client.send_body("C2C" + bob_id, body)

        await devices.until(lambda: sent(alice, echo.client_msg_id), within=30, what="sent")
        [refused] = alice.updated(MessageState.FAILED)  # (for as long as the upload took)
        assert isinstance(refusal(refused), errors.UploadIncomplete)
        [got] = await devices.until(
            lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "file"], what="bob's"
        )
        assert (await bob.client.download(got)).read_bytes() == data
    finally:
        await devices.aclose()


async def test_a_received_file_is_saved_where_chosen_and_exported_under_a_safe_name(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    data = b"minutes of the meeting\n" * 30_000
    path = write(tmp_path / "alice", "minutes.txt", data)
    await alice.client.send_file("C2C" + bob_id, path, name="../../.ssh/authorized_keys\u202e.txt")
    [received] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "file"], what="the file"
    )

    target = tmp_path / "bob" / "chosen name.txt"
    target.parent.mkdir()
    assert await bob.client.save_file(received, target) == target
    assert target.read_bytes() == data
    downloads = [e.transfer for e in bob.of(TransferChanged) if e.transfer.variant == ""]
    assert downloads and downloads[-1].state is TransferState.DONE

    folder = tmp_path / "bob" / "Downloads"
    exported = await bob.client.export_file(received, folder)
    assert exported == folder / "authorized_keys.txt"
    assert exported.read_bytes() == data
    assert not (tmp_path / ".ssh").exists() and not (tmp_path / "bob" / ".ssh").exists()
    again = await bob.client.export_file(received, folder)  # the same file: not copied again
    assert again == exported and sorted(p.name for p in folder.iterdir()) == [exported.name]


async def test_files_go_out_in_the_order_written_even_when_a_later_upload_finishes_first(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    big = write(tmp_path, "big.bin", bytes(range(256)) * (24 * 4096))  # 24 MB, slower
    small = write(tmp_path, "small.jpg", jpeg_with_gps(64, 48, orientation=1))
    chat = "C2C" + bob_id

    first = await alice.client.send_file(chat, big)
    second = await alice.client.send_file(chat, small, kind="image")
    note = await alice.client.send_text(chat, "both on their way")

    got = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 3 and m, within=60, what="all"
    )
    assert [m.kind for m in got] == ["text", "file", "image"]  # text is never held back
    assert got[1].seq < got[2].seq
    assert [m.client_msg_id for m in got] == [
        note.client_msg_id,
        first.client_msg_id,
        second.client_msg_id,
    ]


async def test_a_restart_in_the_middle_of_an_upload_keeps_files_in_the_order_written(
    devices: Devices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer_service, "PROGRESS_EVERY", 0.0)
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id, http_transport=SlowUploads(per_second=1_000_000))
    bob = await devices.sign_in(bob_id)
    chat = "C2C" + bob_id
    data = bytes(range(256)) * (24 * 1024)  # 6 MB: about 6 s on this link
    big = await alice.client.send_file(chat, write(tmp_path, "long.bin", data))
    photo = await alice.client.send_file(
        chat, write(tmp_path, "quick.jpg", jpeg_with_gps(64, 48, orientation=1)), kind="image"
    )
    note = await alice.client.send_text(chat, "written after both")

    [text] = await devices.until(lambda: bob.added("C2C" + alice_id), what="the text at once")
    assert text.client_msg_id == note.client_msg_id  # a long upload never holds text back
    await devices.until(
        lambda: alice.client.transfers.for_message(photo.client_msg_id) is None,
        what="the photo's upload complete",
    )
    upload = await devices.until(
        lambda: (
            (t := alice.client.transfers.for_message(big.client_msg_id))
            and t.state is TransferState.RUNNING
            and t.done > 1_000_000
            and t
        ),
        what="the long upload under way",
    )
    assert len(bob.added("C2C" + alice_id)) == 1  # the photo waits for the file written first

    alice = await devices.reopen(alice)  # the app restarts in the middle of the upload

    got = await devices.until(
        lambda: (m := bob.added("C2C" + alice_id)) and len(m) == 3 and m,
        within=60,
        what="the file, then the photo",
    )
    assert [m.client_msg_id for m in got] == [
        note.client_msg_id,
        big.client_msg_id,
        photo.client_msg_id,
    ]
    assert got[0].seq < got[1].seq < got[2].seq
    resumed = [
        e.transfer.done
        for e in alice.of(TransferChanged)
        if e.transfer.transfer_id == upload.transfer_id and e.transfer.done > 0
    ]
    assert resumed[0] >= 1_000_000 // 2  # it continued where the server stood, not from 0
    assert (await bob.client.download(got[1])).read_bytes() == data


async def test_the_next_picture_of_a_chat_skips_other_kinds_recalled_and_deleted_ones(
    devices: Devices, tmp_path: Path
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    chat = "C2C" + bob_id
    written: list[LocalMessage] = []
    for i, kind in enumerate(["image", "file", "image", "image", "image"]):
        name = f"p{i}.jpg" if kind == "image" else "notes.txt"
        data = jpeg_with_gps(40 + i, 30, orientation=1) if kind == "image" else b"notes"
        echo = await alice.client.send_file(chat, write(tmp_path, name, data), kind=kind)
        written.append(await devices.until(lambda e=echo: sent(alice, e.client_msg_id)))
    p0, _file, p2, p3, p4 = written
    await alice.client.recall(chat, p2.message_id)
    await alice.client.delete_for_me(chat, [p3.message_id])  # gone for Alice only

    async def neighbour(device: Device, seq: int, *, older: bool) -> int | None:
        found = await device.client.neighbour_message(chat, seq, "image", older=older)
        return None if found is None else found.seq

    assert await neighbour(alice, p4.seq, older=True) == p0.seq  # recalled, deleted, a file: passed
    assert await neighbour(alice, p0.seq, older=False) == p4.seq
    assert await neighbour(alice, p0.seq, older=True) is None  # the first picture
    assert await neighbour(alice, p4.seq, older=False) is None  # the last one
    bob_chat = "C2C" + alice_id
    found = await bob.client.neighbour_message(bob_chat, p4.seq, "image", older=True)
    assert found is not None and found.seq == p3.seq  # Bob did not delete it
