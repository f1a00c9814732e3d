"""Message bodies: one tagged struct per message kind (the tag is the message's ``kind``).

On the wire a message carries ``kind`` and ``body`` side by side, so the body's JSON has no tag of
its own; ``kinds.decode_body`` puts the two together and ``kinds.body_fields`` takes them apart.
Each body knows its own limits (``check``) and the words search finds it by (``search_text``);
everything else about a kind (bubble or event row, unread, recall, its placeholder) is in
``kinds.KINDS``.
"""

from __future__ import annotations

import math
from typing import Any

import msgspec

from messenger.protocol.errors import InvalidParameter, MessageTooLarge

MAX_NAME_BYTES = 255  # a file name as shown (the server stores files under its own names)
MAX_PEAKS = 128  # waveform samples of a voice message
MAX_DURATION_MS = 24 * 3600 * 1000
MAX_DIMENSION = 65_535
MAX_DESCRIPTION_BYTES = 1024
MEDIA_ID_LENGTH = 64  # hex SHA-256 of the content


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


class Body(
    msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=False, tag_field="kind"
):
    """Common options of every body; ``tag`` of a subclass is its message kind."""

    def check(self, limits: Any) -> None:
        """Raise a typed error if the body breaks a limit (``limits`` is ``models.Limits``)."""

    def search_text(self) -> str:
        """What the local search finds the message by ("" if nothing)."""
        return ""


class TextBody(Body, tag="text"):
    text: str

    def check(self, limits: Any) -> None:
        size = utf8_len(self.text)
        if not self.text.strip():
            raise InvalidParameter("text message is empty", field="body.text")
        if size > limits.text_bytes:
            raise MessageTooLarge(
                f"text is {size} bytes; the limit is {limits.text_bytes}",
                size=size,
                limit=limits.text_bytes,
            )

    def search_text(self) -> str:
        return self.text


class CustomBody(Body, tag="custom"):
    data: str
    description: str = ""
    extension: str = ""

    def check(self, limits: Any) -> None:
        size = utf8_len(self.data) + utf8_len(self.description) + utf8_len(self.extension)
        if size > limits.custom_bytes:
            raise MessageTooLarge(
                f"custom message is {size} bytes; the limit is {limits.custom_bytes}",
                size=size,
                limit=limits.custom_bytes,
            )

    def search_text(self) -> str:
        return self.description


class TipBody(Body, tag="tip"):
    """A group tip shown inline in the chat ("alice added bob")."""

    tip: str  # group_created, members_added, ...
    operator: str = ""
    targets: list[str] = []
    detail: dict[str, Any] = {}


class NoticeBody(Body, tag="notice"):
    """A system notice to one user ("bob added you to Team"); more kinds come with friends."""

    notice: str  # added_to_group, ...
    operator: str = ""
    group_id: str = ""
    group_name: str = ""
    detail: dict[str, Any] = {}


# -- media ------------------------------------------------------------------------------------------
def _check_media_id(media_id: str) -> None:
    if len(media_id) != MEDIA_ID_LENGTH or any(c not in "0123456789abcdef" for c in media_id):
        raise InvalidParameter("media_id is not an uploaded file's ID", field="body.media_id")


def _check_name(name: str) -> None:
    if utf8_len(name) > MAX_NAME_BYTES:
        raise InvalidParameter(f"file name is over {MAX_NAME_BYTES} bytes", field="body.name")


def _check_range(field: str, value: float, low: float, high: float) -> None:
    if not (low <= value <= high) or (isinstance(value, float) and math.isnan(value)):
        raise InvalidParameter(f"{field} must be {low}–{high}", field=f"body.{field}")


def _check_size(kind: str, size: int, limit: int) -> None:
    if size <= 0:
        raise InvalidParameter("size must be positive", field="body.size")
    if size > limit:
        raise MessageTooLarge(
            f"{kind} is {size} bytes; the limit is {limit}", size=size, limit=limit
        )


class ImageVariant(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A thumbnail the server made: ``small`` or ``large`` (TIM's image info list)."""

    variant: str
    width: int
    height: int


class ImageBody(Body, tag="image"):
    media_id: str
    size: int
    width: int
    height: int
    mime: str = ""
    name: str = ""
    original: bool = False  # sent as is: metadata kept for everyone
    variants: list[ImageVariant] = []

    def check(self, limits: Any) -> None:
        _check_media_id(self.media_id)
        _check_name(self.name)
        _check_size("image", self.size, limits.image_bytes)
        _check_range("width", self.width, 1, MAX_DIMENSION)
        _check_range("height", self.height, 1, MAX_DIMENSION)

    def search_text(self) -> str:
        return self.name


class FileBody(Body, tag="file"):
    media_id: str
    name: str
    size: int
    mime: str = ""

    def check(self, limits: Any) -> None:
        _check_media_id(self.media_id)
        _check_name(self.name)
        _check_size("file", self.size, limits.file_bytes)

    def search_text(self) -> str:
        return self.name


class VoiceBody(Body, tag="voice"):
    media_id: str
    size: int
    duration_ms: int
    mime: str = ""
    peaks: list[int] = []  # waveform, 0–255 each

    def check(self, limits: Any) -> None:
        _check_media_id(self.media_id)
        _check_size("voice", self.size, limits.voice_bytes)
        _check_range("duration_ms", self.duration_ms, 0, MAX_DURATION_MS)
        if len(self.peaks) > MAX_PEAKS or any(not 0 <= p <= 255 for p in self.peaks):
            raise InvalidParameter(f"at most {MAX_PEAKS} peaks of 0–255", field="body.peaks")


class VideoBody(Body, tag="video"):
    media_id: str
    size: int
    duration_ms: int
    width: int
    height: int
    mime: str = ""
    name: str = ""
    thumb_media_id: str = ""  # a still image the sender made and uploaded

    def check(self, limits: Any) -> None:
        _check_media_id(self.media_id)
        if self.thumb_media_id:
            _check_media_id(self.thumb_media_id)
        _check_name(self.name)
        _check_size("video", self.size, limits.video_bytes)
        _check_range("duration_ms", self.duration_ms, 0, MAX_DURATION_MS)
        _check_range("width", self.width, 1, MAX_DIMENSION)
        _check_range("height", self.height, 1, MAX_DIMENSION)

    def search_text(self) -> str:
        return self.name


class FaceBody(Body, tag="face"):
    """A sticker of a pack the app ships (TIM's face element: an index and data)."""

    pack: str
    name: str
    index: int = 0

    def check(self, limits: Any) -> None:
        if not self.pack or not self.name or utf8_len(self.pack + self.name) > 128:
            raise InvalidParameter("a sticker needs a pack and a name", field="body.name")


class LocationBody(Body, tag="location"):
    description: str
    latitude: float
    longitude: float

    def check(self, limits: Any) -> None:
        if utf8_len(self.description) > MAX_DESCRIPTION_BYTES:
            raise InvalidParameter("description is too long", field="body.description")
        _check_range("latitude", self.latitude, -90.0, 90.0)
        _check_range("longitude", self.longitude, -180.0, 180.0)

    def search_text(self) -> str:
        return self.description


MAX_TITLE_BYTES = 200
MAX_PREVIEW_LINES = 4
MAX_PREVIEW_BYTES = 400
BUNDLE_ID_LENGTH = 32  # hex digits


class MergedBody(Body, tag="merged"):
    """A merged forward ("chat history" card): a title, a few preview lines and the number of
    messages; the messages themselves are stored once on the server (``bundle_id``) and fetched
    when the card is opened. The server fills ``preview`` and ``count`` from the bundle."""

    title: str
    bundle_id: str
    count: int = 0
    preview: list[str] = []

    def check(self, limits: Any) -> None:
        if not self.title.strip() or utf8_len(self.title) > MAX_TITLE_BYTES:
            raise InvalidParameter(
                f"a merged forward needs a title of 1–{MAX_TITLE_BYTES} bytes", field="body.title"
            )
        if len(self.bundle_id) != BUNDLE_ID_LENGTH or any(
            c not in "0123456789abcdef" for c in self.bundle_id
        ):
            raise InvalidParameter("bundle_id is not a bundle's ID", field="body.bundle_id")
        if len(self.preview) > MAX_PREVIEW_LINES or any(
            utf8_len(line) > MAX_PREVIEW_BYTES for line in self.preview
        ):
            raise InvalidParameter(
                f"at most {MAX_PREVIEW_LINES} preview lines", field="body.preview"
            )
        _check_range("count", self.count, 0, 100_000)

    def search_text(self) -> str:
        return self.title


MessageBody = (
    TextBody
    | CustomBody
    | TipBody
    | NoticeBody
    | ImageBody
    | FileBody
    | VoiceBody
    | VideoBody
    | FaceBody
    | LocationBody
    | MergedBody
)
