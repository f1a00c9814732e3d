"""What the sender's device knows about a file before it is uploaded: its hash and size, and for
pictures the upright dimensions and a thumbnail, so the bubble appears at once at its final size."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import filetype

THUMB_SIDE = 198  # the server's small variant
HASH_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class LocalFacts:
    sha256: str
    size: int
    mime: str
    width: int = 0
    height: int = 0


def file_facts(path: Path) -> LocalFacts:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        head = f.read(8192)
        digest.update(head)
        size += len(head)
        while block := f.read(HASH_BLOCK):
            digest.update(block)
            size += len(block)
    found = filetype.guess(head)
    mime = str(found.mime) if found is not None else "application/octet-stream"
    return LocalFacts(digest.hexdigest(), size, mime)


def image_facts(path: Path, thumb_to: Path | None) -> tuple[int, int]:
    """Upright width and height; writes a small JPEG thumbnail to ``thumb_to``. JPEGs are decoded
    at a reduced scale (draft mode), which keeps a 24-megapixel photo fast."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # loaded on the first picture sent

    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
            if orientation in (5, 6, 7, 8):
                width, height = height, width
            if thumb_to is not None:
                image.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))
                small = ImageOps.exif_transpose(image)
                small.thumbnail((THUMB_SIDE, THUMB_SIDE))
                small.convert("RGB").save(thumb_to, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return 0, 0
    return width, height
