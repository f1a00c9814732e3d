"""Files for media tests, made here: photos with EXIF (orientation, GPS), programs posing as
pictures, and a PNG whose header claims more pixels than it is safe to decode; and the media
service the collection tests run (orphans collected after an hour)."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from messenger.protocol.models import Limits
from messenger.server.media.service import MediaService

if TYPE_CHECKING:
    from messenger.server.storage.media_index import MediaIndex

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(width: int = 640, height: int = 480, *, orientation: int = 6) -> bytes:
    """A JPEG whose EXIF says rotate 90° (orientation 6) and where it was taken."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    for x in range(width // 2):  # a darker left half, to see which way it was turned
        for y in range(0, height, 8):
            image.putpixel((x, y), (20, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 30.0, 0.0), 3: "E", 4: (113.0, 56.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(width: int = 32, height: int = 24) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 120, 200, 128)).save(out, "PNG")
    return out.getvalue()


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels."""
    data = bytearray(png(1, 1))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def elf_program() -> bytes:
    """The start of a Linux program (an ELF header), padded."""
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 4000


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ORPHAN_MS = 3600 * 1000  # the collection tests' orphan time: an hour


async def collecting_media(folder: Path, index: MediaIndex) -> MediaService:
    """An opened media service on ``folder`` over ``index``, small limits, orphans after an hour."""
    media = MediaService(
        folder,
        index,
        Limits(),
        secret=b"k" * 32,
        max_pixels=10_000,
        orphan_ms=ORPHAN_MS,
        link_ms=60_000,
    )
    await media.open()
    return media
