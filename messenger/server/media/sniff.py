"""What a file really is, from its first bytes (``filetype``); the declared type and name are
never asked. Each media kind accepts only some families of content."""

from __future__ import annotations

from dataclasses import dataclass

import filetype

from messenger.protocol.errors import UnsupportedMedia

SNIFF_BYTES = 8192
GENERIC = "application/octet-stream"
# Image formats the server decodes for thumbnails (no SVG: a script in a picture).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"})
# Containers that hold sound alone as often as pictures: an AAC recording in MPEG-4 (Qt
# Multimedia's, the app's own voice messages, brand "iso4"), Opus in WebM (browsers'). Their
# first bytes do not say whether a picture track follows, and ``filetype`` calls them video.
AUDIO_CONTAINERS = frozenset({"video/mp4", "video/webm"})


@dataclass(frozen=True, slots=True)
class Sniffed:
    mime: str  # GENERIC when not recognised
    extension: str  # "" when not recognised


def sniff(head: bytes) -> Sniffed:
    found = filetype.guess(head)
    if found is None:
        return Sniffed(GENERIC, "")
    return Sniffed(str(found.mime), str(found.extension))


def check_kind(kind: str, sniffed: Sniffed) -> None:
    """Raise ``UnsupportedMedia`` if content of this type cannot be sent as ``kind``."""
    mime = sniffed.mime
    if kind == "image" and mime not in IMAGE_TYPES:
        raise UnsupportedMedia(f"the content is {mime}, not an image", reason="not_an_image")
    if kind == "voice" and not (mime.startswith("audio/") or mime in AUDIO_CONTAINERS):
        raise UnsupportedMedia(f"the content is {mime}, not audio", reason="not_audio")
    if kind == "video" and not mime.startswith("video/"):
        raise UnsupportedMedia(f"the content is {mime}, not a video", reason="not_a_video")
