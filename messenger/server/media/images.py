"""Image work with Pillow: size after EXIF orientation, the small and large thumbnails, and a
copy without metadata (GPS) for those who should not get the original's."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from messenger.protocol.errors import UnsupportedMedia
from messenger.protocol.models import ImageVariant

# TIM's image info list has a small and a large thumbnail; these are their longest sides.
VARIANT_SIDES = {"small": 198, "large": 720}
THUMB_QUALITY = 82
CLEAN_QUALITY = 92


@dataclass(frozen=True, slots=True)
class ImageFacts:
    width: int
    height: int
    variants: list[ImageVariant]
    cleaned: bool  # a metadata-free copy was made (the original has EXIF)


def _open(path: Path, max_pixels: int) -> Image.Image:
    """Open the image, refusing one whose pixel count could exhaust memory (a "bomb")."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise UnsupportedMedia("the image has too many pixels", reason="too_many_pixels") from None
    except (UnidentifiedImageError, OSError):
        raise UnsupportedMedia("the image cannot be read", reason="unreadable") from None
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise UnsupportedMedia(
            f"{width}×{height} pixels is over the limit of {max_pixels}",
            reason="too_many_pixels",
        )
    return image


def _load(image: Image.Image, max_pixels: int) -> Image.Image:
    """Decode (first frame only) with Pillow's own bomb check as a second guard."""
    old = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = max_pixels
            image.seek(0)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedMedia(
            "the image is too large to decode", reason="too_many_pixels"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise UnsupportedMedia("the image is truncated or corrupt", reason="corrupt") from None
    finally:
        Image.MAX_IMAGE_PIXELS = old
    return image


def _thumbnail(image: Image.Image, side: int, target: Path) -> ImageVariant:
    thumb = image.copy()
    thumb.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    if thumb.mode not in ("RGB", "L"):
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        rgba = thumb.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        thumb = background
    thumb.save(target, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return ImageVariant(
        variant=target.stem.rsplit("-", 1)[-1], width=thumb.width, height=thumb.height
    )


def process_image(source: Path, out_dir: Path, stem: str, max_pixels: int) -> ImageFacts:
    """Check ``source`` and write ``<stem>-small.jpg``, ``<stem>-large.jpg`` and, when the image
    carries metadata, ``<stem>-clean.<ext>`` (orientation applied, no EXIF) into ``out_dir``."""
    with _open(source, max_pixels) as opened:
        fmt = opened.format or "PNG"
        has_exif = bool(opened.getexif())
        image = _load(opened, max_pixels)
        upright = ImageOps.exif_transpose(image)
        variants = [
            _thumbnail(upright, side, out_dir / f"{stem}-{name}.jpg")
            for name, side in VARIANT_SIDES.items()
        ]
        if has_exif:
            clean = out_dir / f"{stem}-clean.{'jpg' if fmt == 'JPEG' else 'png'}"
            if fmt == "JPEG":
                upright.convert("RGB").save(clean, "JPEG", quality=CLEAN_QUALITY)
            else:
                upright.save(clean, "PNG")
        return ImageFacts(upright.width, upright.height, variants, has_exif)
