"""Avatar images: uploaded bytes are decoded with Pillow (the content decides, never a name),
cropped to a centred square, resized and stored as PNG under a random server-made ID. Served by
that ID only; nothing the client sends becomes a path. Users' and groups' avatars alike."""

from __future__ import annotations

import asyncio
import io
import re
import secrets
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from messenger.protocol.errors import AvatarNotFound, InvalidParameter, PayloadTooLarge
from messenger.protocol.social import AvatarRef

AVATAR_SIDE = 256
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP", "BMP"})
_ID = re.compile(r"[0-9a-f]{32}")


def is_avatar_id(value: str) -> bool:
    return bool(_ID.fullmatch(value))


def square_png(data: bytes, side: int = AVATAR_SIDE) -> tuple[bytes, int]:
    """The image as a ``side``-pixel (or smaller) square PNG; a typed error for anything that is
    not an image of an accepted format."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in _FORMATS:
                raise InvalidParameter("an avatar must be PNG, JPEG, GIF, WebP or BMP")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidParameter("the image has too many pixels")
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning, ValueError):
        raise InvalidParameter("the upload is not a readable image") from None
    edge = min(width, height)
    left, top = (width - edge) // 2, (height - edge) // 2
    size = min(edge, side)
    square = image.convert("RGBA").crop((left, top, left + edge, top + edge))
    square = square.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return out.getvalue(), size


class AvatarStore:
    def __init__(self, folder: Path, max_bytes: int) -> None:
        self._folder = folder
        self.max_bytes = max_bytes

    async def upload(self, data: bytes) -> AvatarRef:
        if not data:
            raise InvalidParameter("the upload is empty")
        if len(data) > self.max_bytes:
            raise PayloadTooLarge(f"an avatar has at most {self.max_bytes} bytes")
        png, side = await asyncio.to_thread(square_png, data)
        avatar_id = secrets.token_hex(16)
        await asyncio.to_thread(self._write, avatar_id, png)
        return AvatarRef(avatar=avatar_id, width=side, height=side)

    def _write(self, avatar_id: str, png: bytes) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        temp = self._folder / f"{avatar_id}.tmp"
        temp.write_bytes(png)
        temp.replace(self._folder / f"{avatar_id}.png")

    def exists(self, avatar_id: str) -> bool:
        return is_avatar_id(avatar_id) and (self._folder / f"{avatar_id}.png").is_file()

    async def read(self, avatar_id: str) -> bytes:
        if not is_avatar_id(avatar_id):
            raise AvatarNotFound("no such avatar")
        try:
            return await asyncio.to_thread((self._folder / f"{avatar_id}.png").read_bytes)
        except FileNotFoundError:
            raise AvatarNotFound("no such avatar") from None
