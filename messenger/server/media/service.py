"""The media rules: who may upload what, how an upload resumes and completes, which file a
message may refer to, and who may download it.

An upload is found again by its owner, kind, size and SHA-256, so a client that lost everything
can still continue (on any node: the index is in the server's database); a file the server
already has is never uploaded again: the uploader answers a challenge about its bytes
(``possession``) and becomes one of its owners. A download is allowed through a message the
caller can see now: a recalled message has no body any more, and a cleared one is out of the
caller's history, so either stops the file being served to them.

Round trips to the database: starting an upload is one write (which records a new upload; a
second one adds an owner who proved they hold a kept file's bytes); a request of bytes reads the upload unless this node knows it already,
and the last one writes the file's record once; a download reads the file's record unless this
node knows it already; a message with files reads once and records its files in the
transaction that stores it. What a node remembers cannot go stale in a way that matters: an
upload's facts never change, and a file a message refers to is never collected.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import partial as partial_fn
from pathlib import Path

from msgspec.structs import replace

from messenger.protocol.bodies import Body, ImageBody, MergedBody, VideoBody, utf8_len
from messenger.protocol.errors import (
    ContentMismatch,
    FileTooLarge,
    InvalidParameter,
    MediaNotFound,
    PermissionDenied,
    UnsupportedMedia,
    UploadIncomplete,
    UploadOffsetMismatch,
)
from messenger.protocol.kinds import MEDIA_KINDS, decode_body
from messenger.protocol.models import (
    Limits,
    MediaInfo,
    MediaLink,
    MediaLinkRequest,
    Message,
    UploadRequest,
    UploadStatus,
)
from messenger.server.media import links, possession
from messenger.server.media.files import MediaFiles, claim
from messenger.server.media.images import process_image
from messenger.server.media.legacy_index import import_legacy_index
from messenger.server.media.names import safe_name
from messenger.server.media.sniff import SNIFF_BYTES, Sniffed, check_kind, sniff
from messenger.server.services.lru import Lru
from messenger.server.storage.media_index import MediaIndex, MediaRow, UploadRow

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
WRITE_BUFFER = 1 << 20
MAX_OPEN_UPLOADS = 50  # per user: unfinished uploads hold disk space
VARIANTS = ("", "small", "large")
REMEMBERED = 4096  # uploads and files a node keeps in memory (their facts never change)
REMOVE_BATCH = 100  # files whose bytes one write deletes (the write holds the others back)

VisibleMessage = Callable[[str, str, str], Awaitable[Message]]
InBundle = Callable[[MergedBody, str], Awaitable[Body | None]]
"""(a merged card, a file) → the body of the forwarded message in it that holds the file."""


def _now() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True, slots=True)
class Download:
    """What the HTTP layer serves: a file of ours, its type and the name offered for saving."""

    path: Path
    mime: str
    filename: str
    inline: bool


def kind_limit(kind: str, limits: Limits) -> int:
    return {
        "image": limits.image_bytes,
        "file": limits.file_bytes,
        "video": limits.video_bytes,
        "voice": limits.voice_bytes,
    }[kind]


def media_ids_of(body: Body | None) -> tuple[str, ...]:
    """The files a message body refers to."""
    media_id = getattr(body, "media_id", "")
    if not media_id:
        return ()
    if isinstance(body, VideoBody) and body.thumb_media_id:
        return (media_id, body.thumb_media_id)
    return (media_id,)


class MediaService:
    def __init__(
        self,
        root: Path,
        index: MediaIndex,
        limits: Limits,
        *,
        secret: bytes,
        max_pixels: int,
        orphan_ms: int,
        link_ms: int,
    ) -> None:
        self.files = MediaFiles(root)
        self.index = index
        self._limits = limits
        self._secret = secret
        self._max_pixels = max_pixels
        self._orphan_ms = orphan_ms
        self._link_ms = link_ms
        self._busy: set[str] = set()  # uploads receiving bytes right now
        self._uploads: Lru[str, UploadRow] = Lru(REMEMBERED)
        self._kept: Lru[str, MediaRow] = Lru(REMEMBERED)  # files downloaded or stored here
        self.visible: VisibleMessage | None = None  # set by the context: the messaging rule
        self.in_bundle: InBundle | None = None  # set by the context: files of merged forwards

    async def open(self) -> None:
        """Make the folders and take in the index of an older server's folder (once)."""
        self.files.make_folders()
        await import_legacy_index(self.files.root, self.index)

    # -- uploads -----------------------------------------------------------------------------------
    async def begin(self, user_id: str, req: UploadRequest) -> UploadStatus:
        if req.kind not in MEDIA_KINDS:
            raise InvalidParameter(f"{req.kind!r} is not a kind of file", field="kind")
        if not _SHA256.fullmatch(req.sha256):
            raise InvalidParameter("sha256 must be 64 lowercase hex digits", field="sha256")
        if utf8_len(req.name) > 255:
            raise InvalidParameter("name is over 255 bytes", field="name")
        limit = kind_limit(req.kind, self._limits)
        if req.size <= 0:
            raise InvalidParameter("size must be positive", field="size")
        if req.size > limit:
            raise FileTooLarge(
                f"{req.kind} is {req.size} bytes; the limit is {limit}", size=req.size, limit=limit
            )
        files, index = self.files, self.index
        new = UploadRow(secrets.token_hex(16), user_id, req.kind, req.size, req.sha256, _now())
        found = await index.start_upload(new, MAX_OPEN_UPLOADS)  # (recorded unless kept)
        known = found.media
        path = files.file_path(req.sha256)
        # (a record without bytes, left by a server before collection decided against claims:
        # the bytes come again and put the file back for every message naming it)
        if known is not None and known.info.size == req.size and path.exists():
            # Knowing the hash is not having the file: others prove they hold its bytes first.
            if found.owner or (
                req.proof is not None
                and possession.proven(
                    self._secret, user_id, req.sha256, req.size, req.proof, path, _now()
                )
            ):
                check_kind(req.kind, sniff(self._head(path)))
                # (claimed by start_upload: not collected while the uploader sends it)
                if found.owner or await index.add_owner(req.sha256, user_id, _now()):
                    return UploadStatus(
                        upload_id="",
                        size=req.size,
                        offset=req.size,
                        complete=True,
                        media=known.info,
                    )
            if req.proof is None:
                challenge = possession.challenge(
                    self._secret, user_id, req.sha256, req.size, _now()
                )
                return UploadStatus(upload_id="", size=req.size, offset=0, challenge=challenge)
            # A wrong or late answer: the bytes come the usual way (and are checked at the end).
        row = found.upload
        if row is None:  # at the limit, or a kept file whose bytes come again after all
            row = await index.add_upload(new, MAX_OPEN_UPLOADS)
            if row is None:
                raise PermissionDenied(f"at most {MAX_OPEN_UPLOADS} unfinished uploads")
            if row.upload_id == new.upload_id:  # (not one begun meanwhile on another node)
                files.start_partial(row.upload_id)
        self._uploads[row.upload_id] = row
        return UploadStatus(
            upload_id=row.upload_id, size=row.size, offset=files.received(row.upload_id)
        )

    async def _own_upload(self, user_id: str, upload_id: str) -> UploadRow:
        row = self._uploads.get(upload_id)
        if row is None and _UPLOAD_ID.fullmatch(upload_id):
            row = await self.index.get_upload(upload_id)
            if row is not None:
                self._uploads[upload_id] = row
        if row is None or row.owner != user_id:
            raise MediaNotFound("no such upload")
        return row

    async def status(self, user_id: str, upload_id: str) -> UploadStatus:
        row = await self._own_upload(user_id, upload_id)
        return UploadStatus(
            upload_id=upload_id, size=row.size, offset=self.files.received(upload_id)
        )

    async def write(
        self, user_id: str, upload_id: str, offset: int, chunks: AsyncIterator[bytes]
    ) -> UploadStatus:
        """Append the request's bytes at ``offset`` (which must be where the upload stands).
        Bytes that arrived are kept even if the connection drops; the last byte completes it."""
        row = await self._own_upload(user_id, upload_id)
        if upload_id in self._busy:
            raise UploadOffsetMismatch(
                "this upload is receiving bytes on another connection",
                offset=self.files.received(upload_id),
            )
        self._busy.add(upload_id)
        try:
            path = self.files.partial_path(upload_id)
            with path.open("ab", buffering=WRITE_BUFFER) as out:
                if not claim(out):  # another node sharing the folder is appending to it
                    raise UploadOffsetMismatch(
                        "this upload is receiving bytes on another connection",
                        offset=self.files.received(upload_id),
                    )
                received = self.files.received(upload_id)
                if offset != received:
                    raise UploadOffsetMismatch(
                        f"the upload stands at {received}, not {offset}", offset=received
                    )
                # A file sent whole in one request is hashed as it arrives (no second read).
                digest = hashlib.sha256() if received == 0 else None
                async for chunk in chunks:
                    if received + len(chunk) > row.size:
                        raise FileTooLarge(
                            f"more bytes than the {row.size} announced",
                            size=row.size,
                            limit=row.size,
                        )
                    out.write(chunk)
                    if digest is not None:
                        digest.update(chunk)
                    received += len(chunk)
            if received < row.size:
                return UploadStatus(upload_id=upload_id, size=row.size, offset=received)
            info = await self._complete(row, digest.hexdigest() if digest is not None else None)
            return UploadStatus(
                upload_id=upload_id, size=row.size, offset=row.size, complete=True, media=info
            )
        finally:
            self._busy.discard(upload_id)

    async def _complete(self, row: UploadRow, digest: str | None = None) -> MediaInfo:
        """Check the finished bytes (hash, content, image safety) and keep them as a file."""
        files = self.files
        partial = files.partial_path(row.upload_id)
        try:
            if digest is None:  # resumed: the bytes came in several requests
                digest = await asyncio.to_thread(_sha256_of, partial)
            if digest != row.sha256:
                raise ContentMismatch("the bytes do not match the announced sha256")
            sniffed = sniff(self._head(partial))
            check_kind(row.kind, sniffed)
            info = MediaInfo(media_id=row.sha256, size=row.size, mime=sniffed.mime)
            cleaned = False
            if row.kind == "image":  # (thumbnails wait beside the bytes until they are kept)
                folder = files.staging_dir(row.upload_id)
                folder.mkdir(parents=True, exist_ok=True)
                facts = await asyncio.to_thread(
                    process_image, partial, folder, row.sha256, self._max_pixels
                )
                info = replace(
                    info, width=facts.width, height=facts.height, variants=facts.variants
                )
                cleaned = facts.cleaned
        except Exception:
            await self._drop_upload(row.upload_id)  # a bad upload starts over, nothing half-kept
            raise
        place = partial_fn(files.place, row.upload_id, row.sha256)
        kept = await self.index.complete_upload(row, info, cleaned, _now(), place)
        self._uploads.pop(row.upload_id)
        self._kept[row.sha256] = kept
        return kept.info

    async def _drop_upload(self, upload_id: str) -> None:
        self._uploads.pop(upload_id)
        await self.index.drop_upload(upload_id)
        self.files.drop_partial(upload_id)

    @staticmethod
    def _head(path: Path) -> bytes:
        with path.open("rb") as f:
            return f.read(SNIFF_BYTES)

    # -- messages --------------------------------------------------------------------------------------
    async def attach(self, user_id: str, body: Body, *, seen: bool = False) -> Body:
        """The body of a media message about to be sent, with the server's facts about its
        files (size, type, dimensions, thumbnails); refused unless the sender uploaded them or
        (``seen``: a forward) received them in a message they can see. A file the server does
        not keep (never uploaded, or collected since) is ``UploadIncomplete`` at offset 0, as
        when it is collected between this check and the message's commit: the sender uploads
        it and sends the same message again. The message records its files as used when it is
        stored (``NewMessage.media_ids``)."""
        rows: list[MediaRow] = []
        ids = media_ids_of(body)
        uses = await self.index.media_uses(user_id, ids) if ids else []
        for media_id, use in zip(ids, uses, strict=True):
            row, pending = use.media, use.pending
            if row is None and pending is not None:
                raise UploadIncomplete(
                    "the file's upload is not complete",
                    offset=self.files.received(pending.upload_id),
                    size=pending.size,
                )
            if row is None and not seen:  # never uploaded, or collected since: upload it
                raise UploadIncomplete(
                    "the server does not have this file: upload it", offset=0, media_id=media_id
                )
            if row is None or not (seen or use.owner):
                raise InvalidParameter(
                    "media_id is not a file you uploaded", field="body.media_id", media_id=media_id
                )
            rows.append(row)
        if not rows:
            return body
        main = rows[0].info
        kind = body.__struct_config__.tag
        assert isinstance(kind, str)
        if main.size > kind_limit(kind, self._limits):
            limit = kind_limit(kind, self._limits)
            raise FileTooLarge(f"{kind} is over {limit} bytes", size=main.size, limit=limit)
        check_kind(kind, Sniffed(main.mime, ""))
        if isinstance(body, ImageBody):
            if not main.variants:
                raise UnsupportedMedia(
                    "the file was not uploaded as an image", reason="not_an_image"
                )
            body = replace(
                body,
                size=main.size,
                mime=main.mime,
                width=main.width,
                height=main.height,
                variants=list(main.variants),
            )
        else:
            body = replace(body, size=main.size, mime=main.mime)
        return body

    # -- downloads -------------------------------------------------------------------------------------
    async def download(
        self, user_id: str, media_id: str, conversation_id: str, message_id: str, variant: str
    ) -> Download:
        if variant not in VARIANTS:
            raise InvalidParameter("variant must be small, large or empty", field="variant")
        if not _SHA256.fullmatch(media_id) or not conversation_id or not message_id:
            raise MediaNotFound("no such file")
        assert self.visible is not None
        message = await self.visible(user_id, conversation_id, message_id)
        body = None if message.recalled else decode_body(message.kind, message.body)
        if isinstance(body, MergedBody) and self.in_bundle is not None:
            body = await self.in_bundle(body, media_id)  # a file forwarded in the card
        if media_id not in media_ids_of(body):
            raise MediaNotFound("no such file in this message")
        row = self._kept.get(media_id) or await self.index.get_media(media_id)
        if row is None:
            raise MediaNotFound("the file is no longer kept")
        self._kept[media_id] = row
        name = safe_name(getattr(body, "name", ""), fallback=f"{media_id[:12]}")
        if variant:
            thumb = self.files.thumb_path(media_id, variant)
            if thumb is None:
                raise MediaNotFound(f"no {variant} thumbnail")
            return Download(thumb, "image/jpeg", f"{media_id[:12]}-{variant}.jpg", inline=True)
        path = self.files.file_path(media_id)
        mime = row.info.mime
        if isinstance(body, ImageBody):
            clean = self.files.thumb_path(media_id, "clean")
            if row.cleaned and clean is not None and not body.original:
                path = clean  # no EXIF (GPS) for others unless the sender chose "original"
                mime = "image/jpeg" if clean.suffix == ".jpg" else "image/png"
        inline = mime.startswith(("image/", "audio/", "video/"))
        return Download(path, mime, name, inline)

    def link(self, user_id: str, media_id: str, req: MediaLinkRequest) -> MediaLink:
        expires = _now() + self._link_ms
        sig = links.sign(
            self._secret,
            media_id,
            req.variant,
            user_id,
            expires,
            req.conversation_id,
            req.message_id,
        )
        query = (
            f"conversation_id={req.conversation_id}&message_id={req.message_id}"
            f"&variant={req.variant}&expires={expires}&user={user_id}&sig={sig}"
        )
        return MediaLink(url=f"/v1/media/{media_id}?{query}", expires_at=expires)

    def check_link(
        self, media_id: str, variant: str, user: str, expires: int, conv: str, msg: str, sig: str
    ) -> None:
        ok = links.verify(self._secret, sig, media_id, variant, user, expires, conv, msg)
        if not ok or expires < _now():
            raise PermissionDenied("the link is invalid or has expired")

    # -- collection ----------------------------------------------------------------------------------
    async def collect(self, now_ms: int | None = None) -> int:
        """Delete unfinished uploads and files no message uses, older than the orphan time
        (each node does; what one node collected the others find gone). An upload goes once
        its bytes have been idle that long too and no node is receiving more. A file is forgotten
        first and its bytes deleted after, in a write that skips a file stored again
        meanwhile (``storage/media_index.py``: collection against claims)."""
        before = (now_ms if now_ms is not None else _now()) - self._orphan_ms
        dropped = 0
        for upload_id in await self.index.stale_uploads(before):
            if upload_id in self._busy:
                continue
            with self.files.idle_partial(upload_id, before) as idle:  # (idle on every node)
                if idle:
                    await self._drop_upload(upload_id)
                    dropped += 1
        forgotten = await self.index.drop_unused_media(before)
        for at in range(0, len(forgotten), REMOVE_BATCH):
            for media_id in forgotten[at : at + REMOVE_BATCH]:
                self._kept.pop(media_id)
            chunk = forgotten[at : at + REMOVE_BATCH]
            dropped += len(await self.index.remove_dropped(chunk, self.files.drop_file))
        if dropped:
            log.info("collected %d unused uploads and files", dropped)
        return dropped


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
