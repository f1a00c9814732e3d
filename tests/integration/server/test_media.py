"""Uploads and downloads through the real server: resumable bytes, dedup by content, sniffed
types, thumbnails without metadata, access through visible messages only, hostile input."""

from __future__ import annotations

import asyncio
import io
import uuid
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from PIL import Image

from messenger.protocol import errors
from messenger.protocol.errors import error_from_wire
from messenger.protocol.models import Message, PossessionChallenge, UploadStatus
from messenger.protocol.possession import possession_digest
from tests.helpers.authz import nothing_changes, refuses
from tests.helpers.ids import uid
from tests.helpers.media import bomb_png, elf_program, jpeg_with_gps, png, sha256
from tests.helpers.raw import Make, RawDevice
from tests.helpers.server import ServerProcess


async def begin(
    device: RawDevice, kind: str, data: bytes, name: str = "", proof: Any = None
) -> UploadStatus:
    body = {"kind": kind, "size": len(data), "sha256": sha256(data), "name": name}
    if proof is not None:
        body["proof"] = proof
    status: UploadStatus = await device.call("begin_upload", body=body)
    return status


async def put(device: RawDevice, upload_id: str, offset: int, data: bytes) -> httpx.Response:
    return await device.http.put(
        f"/v1/uploads/{upload_id}",
        content=data,
        headers={"Authorization": f"Bearer {device.token}", "Upload-Offset": str(offset)},
    )


def status_of(response: httpx.Response) -> UploadStatus:
    if response.status_code >= 400:
        raise error_from_wire(response.json())
    return msgspec.json.decode(response.content, type=UploadStatus)


def answer(challenge: PossessionChallenge, data: bytes) -> dict[str, Any]:
    """The proof of someone who holds ``data``."""
    asked = data[challenge.offset : challenge.offset + challenge.length]
    return {
        "challenge": msgspec.to_builtins(challenge),
        "digest": possession_digest(challenge.nonce, asked),
    }


async def upload(device: RawDevice, kind: str, data: bytes) -> UploadStatus:
    status = await begin(device, kind, data)
    if status.challenge is not None:
        status = await begin(device, kind, data, proof=answer(status.challenge, data))
    if status.complete:
        return status
    return status_of(await put(device, status.upload_id, status.offset, data[status.offset :]))


async def send(device: RawDevice, conversation_id: str, kind: str, body: dict[str, Any]) -> Message:
    req = {"client_msg_id": uuid.uuid4().hex, "kind": kind, "body": body}
    message: Message = await device.call("send", body=req, conversation_id=conversation_id)
    return message


async def fetch(
    device: RawDevice, media_id: str, message: Message, conversation_id: str, **extra: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {device.token}"} if device.token else {}
    headers.update(extra.pop("headers", {}))
    query = {"conversation_id": conversation_id, "message_id": message.message_id, **extra}
    return await device.http.get(f"/v1/media/{media_id}", params=query, headers=headers)


def refused(response: httpx.Response) -> errors.MessengerError:
    assert response.status_code >= 400, response.status_code
    return error_from_wire(response.json())


async def test_a_photo_reaches_the_peer_upright_with_thumbnails_and_without_gps(make: Make) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, bob = await make(alice_id), await make(bob_id)
    photo = jpeg_with_gps(640, 480, orientation=6)

    status = await upload(alice, "image", photo)
    assert status.complete and status.media is not None
    media = status.media
    assert (media.mime, media.width, media.height) == ("image/jpeg", 480, 640)  # turned upright
    assert {v.variant: max(v.width, v.height) for v in media.variants} == {
        "small": 198,
        "large": 640,
    }
    body = {"media_id": media.media_id, "size": 1, "width": 1, "height": 1, "name": "beach.jpg"}
    sent = await send(alice, "C2C" + bob_id, "image", body)
    # The server's facts replace the sender's claims.
    assert (sent.body["size"], sent.body["width"], sent.body["height"]) == (len(photo), 480, 640)

    got = await fetch(bob, media.media_id, sent, "C2C" + alice_id)
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["x-content-type-options"] == "nosniff"
    served = Image.open(io.BytesIO(got.content))
    assert served.size == (480, 640)
    assert not served.getexif().get_ifd(0x8825)  # no GPS for others
    small = await fetch(bob, media.media_id, sent, "C2C" + alice_id, variant="small")
    [small_variant] = [v for v in media.variants if v.variant == "small"]
    assert Image.open(io.BytesIO(small.content)).size == (small_variant.width, 198)


async def test_an_original_photo_keeps_its_metadata_and_ranges_are_served(make: Make) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, bob = await make(alice_id), await make(bob_id)
    photo = jpeg_with_gps(320, 200, orientation=1)
    media = (await upload(alice, "image", photo)).media
    assert media is not None
    body = {"media_id": media.media_id, "size": 1, "width": 1, "height": 1, "original": True}
    sent = await send(alice, "C2C" + bob_id, "image", body)

    whole = await fetch(bob, media.media_id, sent, "C2C" + alice_id)
    assert whole.content == photo
    part = await fetch(
        bob, media.media_id, sent, "C2C" + alice_id, headers={"Range": "bytes=10-19"}
    )
    assert part.status_code == 206
    assert part.content == photo[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(photo)}"
    beyond = f"bytes={len(photo) + 10}-{len(photo) + 20}"
    outside = await fetch(bob, media.media_id, sent, "C2C" + alice_id, headers={"Range": beyond})
    assert outside.status_code == 416, "a range outside the file is refused, not served"
    assert outside.content != photo


async def test_an_upload_cut_short_resumes_from_the_stored_offset(make: Make) -> None:
    alice = await make(uid("alice"))
    data = bytes(range(256)) * 4000  # 1 MB of a "file"
    status = await begin(alice, "file", data)
    first = status_of(await put(alice, status.upload_id, 0, data[:300_000]))
    assert (first.offset, first.complete) == (300_000, False)

    # The client forgot the upload ID: asking again with the same file finds it.
    again = await begin(alice, "file", data)
    assert (again.upload_id, again.offset) == (status.upload_id, 300_000)
    stale = refused(await put(alice, status.upload_id, 0, data))
    assert isinstance(stale, errors.UploadOffsetMismatch)
    assert stale.details["offset"] == 300_000

    done = status_of(await put(alice, status.upload_id, 300_000, data[300_000:]))
    assert done.complete and done.media is not None
    assert (done.media.media_id, done.media.size) == (sha256(data), len(data))


async def test_the_same_file_twice_is_uploaded_once(make: Make) -> None:
    alice, bob = await make(uid("alice")), await make(uid("bob"))
    data = b"quarterly report " * 1000
    await upload(alice, "file", data)

    asked = await begin(bob, "file", data)  # another user, same bytes
    assert asked.challenge is not None and not asked.complete
    assert 0 < asked.challenge.length <= len(data)

    second = await begin(bob, "file", data, proof=answer(asked.challenge, data))

    assert second.complete and second.upload_id == ""
    assert second.media is not None and second.media.media_id == sha256(data)
    sent = await send(
        bob, "C2C" + alice.user_id, "file", {"media_id": sha256(data), "name": "r.txt", "size": 1}
    )
    assert sent.body["size"] == len(data)


async def test_knowing_a_files_hash_is_not_enough_to_attach_it(make: Make) -> None:
    alice, bob, eve = await make(uid("alice")), await make(uid("bob")), await make(uid("eve"))
    data = b"salary list " * 20_000  # longer than the range a challenge asks about
    await upload(alice, "file", data)
    body = {"media_id": sha256(data), "name": "salaries.txt", "size": 1}

    # Eve has the hash (it travels in every message naming the file), not the bytes.
    asked = await begin(eve, "file", data)
    assert not asked.complete and asked.challenge is not None and asked.media is None
    with pytest.raises(errors.InvalidParameter):
        await send(eve, "C2C" + bob.user_id, "file", body)
    guess = {"challenge": msgspec.to_builtins(asked.challenge), "digest": sha256(b"guess")}
    wrong = await begin(eve, "file", data, proof=guess)
    assert not wrong.complete and wrong.upload_id and wrong.offset == 0  # she must upload it
    # Bob's right answer is no use to her: it answers a question asked of Bob.
    bobs_question = (await begin(bob, "file", data)).challenge
    assert bobs_question is not None
    borrowed = await begin(eve, "file", data, proof=answer(bobs_question, data))
    assert not borrowed.complete
    # Nor is an answer with the range or the deadline changed (the server signed them).
    moved = msgspec.structs.replace(asked.challenge, offset=0, expires=asked.challenge.expires + 1)
    assert not (await begin(eve, "file", data, proof=answer(moved, data))).complete
    with pytest.raises(errors.InvalidParameter):
        await send(eve, "C2C" + bob.user_id, "file", body)

    # Bob holds the bytes: his answer makes him an owner without sending them.
    proven = await begin(bob, "file", data, proof=answer(bobs_question, data))
    assert proven.complete and proven.upload_id == ""
    assert (await send(bob, "C2C" + eve.user_id, "file", body)).body["size"] == len(data)


@refuses("download")
async def test_only_those_who_see_the_message_may_download(make: Make) -> None:
    alice_id, bob_id, eve_id = uid("alice"), uid("bob"), uid("eve")
    alice, bob, eve = await make(alice_id), await make(bob_id), await make(eve_id)
    group = await alice.call("create_group", body={"name": "Files", "members": [bob_id]})
    chat = "GROUP" + group.group_id
    data = b"group secret " * 500
    await upload(alice, "file", data)
    sent = await send(alice, chat, "file", {"media_id": sha256(data), "name": "s.txt", "size": 1})

    assert (await fetch(bob, sha256(data), sent, chat)).content == data
    assert isinstance(refused(await fetch(eve, sha256(data), sent, chat)), errors.NotMember)
    # Naming the message of a conversation Eve is in does not help either.
    eve_chat = await send(eve, "C2C" + alice_id, "text", {"text": "hi"})
    wrong = await fetch(eve, sha256(data), eve_chat, "C2C" + alice_id)
    assert isinstance(refused(wrong), errors.NotFound)
    # Without a session, nothing.
    eve.token = ""
    assert isinstance(refused(await fetch(eve, sha256(data), sent, chat)), errors.AuthError)
    # Eve cannot send a message with Alice's file either (she never uploaded it).
    eve2 = await make(eve_id)
    with pytest.raises(errors.InvalidParameter):
        await send(eve2, "C2C" + bob_id, "file", {"media_id": sha256(data), "name": "x", "size": 1})


async def test_recalled_and_cleared_media_stop_being_served(make: Make) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, bob = await make(alice_id), await make(bob_id)
    data = b"\x00soon gone" * 300
    await upload(alice, "file", data)
    kept = await send(
        alice, "C2C" + bob_id, "file", {"media_id": sha256(data), "name": "a", "size": 1}
    )
    gone = await send(
        alice, "C2C" + bob_id, "file", {"media_id": sha256(data), "name": "b", "size": 1}
    )

    await alice.call("recall", conversation_id="C2C" + bob_id, message_id=gone.message_id)
    assert isinstance(
        refused(await fetch(bob, sha256(data), gone, "C2C" + alice_id)), errors.NotFound
    )
    assert (await fetch(bob, sha256(data), kept, "C2C" + alice_id)).status_code == 200

    await bob.call("clear", conversation_id="C2C" + alice_id)
    assert isinstance(
        refused(await fetch(bob, sha256(data), kept, "C2C" + alice_id)), errors.NotFound
    )
    assert (await fetch(alice, sha256(data), kept, "C2C" + bob_id)).status_code == 200


@pytest.mark.parametrize(
    ("name", "offered"),
    [
        ("../../x", "x"),
        ("/etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("a\x00b.txt", "ab.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("..", None),
        ("n" * 300 + ".pdf", "n" * 116 + ".pdf"),
    ],
)
async def test_hostile_names_are_offered_as_one_plain_name(
    make: Make, name: str, offered: str | None
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, bob = await make(alice_id), await make(bob_id)
    data = f"content for {name!r}".encode()
    await upload(alice, "file", data)
    body = {"media_id": sha256(data), "name": name[:255], "size": 1}
    if len(name.encode()) > 255:
        body["name"] = name[:200] + ".pdf"
        offered = "n" * 116 + ".pdf"
    sent = await send(alice, "C2C" + bob_id, "file", body)

    got = await fetch(bob, sha256(data), sent, "C2C" + alice_id)

    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    expected = offered if offered is not None else sha256(data)[:12]
    assert f'filename="{expected}"' in disposition or expected in disposition
    assert "/" not in disposition.split("filename", 1)[1].replace("utf-8''", "")
    assert "\\" not in disposition and "\x00" not in disposition and "\u202e" not in disposition


async def test_a_program_posing_as_a_png_is_refused_as_an_image(make: Make) -> None:
    alice = await make(uid("alice"))
    program = elf_program()
    status = await begin(alice, "image", program, name="cute.png")

    error = refused(await put(alice, status.upload_id, 0, program))

    assert isinstance(error, errors.UnsupportedMedia)
    assert error.details["reason"] == "not_an_image"
    # As a file it is accepted, and served as a download, never as a picture.
    as_file = await upload(alice, "file", program)
    assert as_file.media is not None and as_file.media.mime == "application/x-executable"


async def test_a_decompression_bomb_is_refused(make: Make) -> None:
    alice = await make(uid("alice"))
    bomb = bomb_png()
    status = await begin(alice, "image", bomb)

    error = refused(await put(alice, status.upload_id, 0, bomb))

    assert isinstance(error, errors.UnsupportedMedia)
    assert error.details["reason"] == "too_many_pixels"
    # Nothing half-kept: the next try starts over.
    assert (await begin(alice, "image", bomb)).offset == 0


async def test_truncated_and_mismatched_uploads_are_typed_errors(make: Make) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await make(alice_id)
    await make(bob_id)
    picture = png()
    status = await begin(alice, "image", picture)
    half = status_of(await put(alice, status.upload_id, 0, picture[: len(picture) // 2]))
    assert not half.complete

    body = {"media_id": sha256(picture), "size": 1, "width": 1, "height": 1}
    with pytest.raises(errors.UploadIncomplete) as caught:
        await send(alice, "C2C" + bob_id, "image", body)
    assert caught.value.details == {"offset": half.offset, "size": len(picture)}

    liar = await alice.call(
        "begin_upload", body={"kind": "file", "size": 5, "sha256": sha256(b"other")}
    )
    assert isinstance(
        refused(await put(alice, liar.upload_id, 0, b"12345")), errors.ContentMismatch
    )
    too_much = await begin(alice, "file", b"abc")
    assert isinstance(
        refused(await put(alice, too_much.upload_id, 0, b"abcdef")), errors.FileTooLarge
    )


@refuses("begin_upload", "upload_status", "upload_bytes")
async def test_uploads_are_refused_over_their_kind_limit_and_for_bad_requests(make: Make) -> None:
    alice = await make(uid("alice"))
    huge = {"kind": "image", "size": 28 * 1024 * 1024 + 1, "sha256": "a" * 64}
    with pytest.raises(errors.FileTooLarge):
        await alice.call("begin_upload", body=huge)
    with pytest.raises(errors.InvalidParameter):
        await alice.call("begin_upload", body={"kind": "text", "size": 1, "sha256": "a" * 64})
    with pytest.raises(errors.InvalidParameter):
        await alice.call("begin_upload", body={"kind": "file", "size": 1, "sha256": "../x"})
    # Another user's upload ID is nobody's business.
    status = await begin(alice, "file", b"mine")
    mallory = await make(uid("mallory"))
    with pytest.raises(errors.MediaNotFound):
        await mallory.call("upload_status", upload_id=status.upload_id)
    assert isinstance(
        refused(await put(mallory, status.upload_id, 0, b"mine")), errors.MediaNotFound
    )


async def test_a_signed_link_works_without_a_session_until_it_expires_or_is_altered(
    make: Make,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice, bob = await make(alice_id), await make(bob_id)
    data = b"video-ish bytes " * 100
    await upload(alice, "file", data)
    sent = await send(
        alice, "C2C" + bob_id, "file", {"media_id": sha256(data), "name": "v", "size": 1}
    )

    link = await bob.call(
        "media_link",
        body={"conversation_id": "C2C" + alice_id, "message_id": sent.message_id},
        media_id=sha256(data),
    )

    anonymous = httpx.AsyncClient(base_url=bob.url)
    try:
        assert (await anonymous.get(link.url)).content == data
        tampered = link.url.replace(f"user={bob_id}", f"user={alice_id}")
        assert isinstance(refused(await anonymous.get(tampered)), errors.PermissionDenied)
    finally:
        await anonymous.aclose()
    eve = await make(uid("eve"))
    with pytest.raises(errors.NotFound):
        await eve.call(
            "media_link",
            body={"conversation_id": "C2C" + alice_id, "message_id": sent.message_id},
            media_id=sha256(data),
        )


@refuses("media_link")
async def test_no_link_to_a_file_of_a_message_one_cannot_see(make: Make) -> None:
    alice_id, bob_id, eve_id = uid("alice"), uid("bob"), uid("eve")
    alice, bob, eve = await make(alice_id), await make(bob_id), await make(eve_id)
    data = b"for bob only " * 50
    await upload(alice, "file", data)
    sent = await send(
        alice, "C2C" + bob_id, "file", {"media_id": sha256(data), "name": "v", "size": 1}
    )
    async with nothing_changes(alice, bob, eve):
        for conversation_id in ("C2C" + alice_id, "C2C" + bob_id):
            with pytest.raises((errors.NotFound, errors.PermissionDenied)):
                await eve.call(
                    "media_link",
                    body={"conversation_id": conversation_id, "message_id": sent.message_id},
                    media_id=sha256(data),
                )


async def test_a_stalled_upload_ends_and_keeps_what_arrived(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server", env={"MESSENGER_REQUEST_TIMEOUT_MS": "500"})
    server.start()
    try:
        alice = await RawDevice(server.url, uid("slow")).sign_in()
        data = b"x" * 1000
        status = await begin(alice, "file", data)
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            f"PUT /v1/uploads/{status.upload_id} HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {alice.token}\r\nUpload-Offset: 0\r\n"
            f"Content-Length: {len(data)}\r\n\r\n".encode()
            + data[:300]  # and then nothing more
        )
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(4096), 10)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        writer.close()
        again = await alice.call("upload_status", upload_id=status.upload_id)
        assert (again.offset, again.complete) == (300, False)
        await alice.aclose()
    finally:
        server.stop()
