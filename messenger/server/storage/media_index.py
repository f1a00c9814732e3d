"""The storage interface of the media index: unfinished uploads, the files kept, who uploaded
each file and which messages use it. The bytes are files in the media folder
(``media/files.py``); the facts about them live in the server's database, so every node of a
deployment reads and writes one index (docs/operations.md).

A message's files are recorded as used in the transaction that stores the message
(``NewMessage.media_ids``), so a file is in use exactly when a stored message refers to it.

**Collection against claims.** A file no message uses is collected once its clock (``created``)
is older than the orphan time. Every decision about one file is a write of the database, and
writes are one at a time (SQLite's one writer; on PostgreSQL every write batch, on any node,
first locks the version counter's row), so each is made against the others' outcome:

- a claim restarts the clock in the write that finds the file: starting an upload of bytes
  that are kept (the uploader is told "already have it"), an owner added after a proof, the
  bytes stored again (``complete_upload``, whose bytes are moved into place in that write too);
- a message that names a file no longer kept is refused in the write that would store it
  (``UploadIncomplete``: the client uploads the file again and sends the same message);
- the collector forgets the files in one write (``drop_unused_media``: old clock, no message),
  then deletes their bytes in another (``remove_dropped``) that skips any file recorded again
  meanwhile. Bytes are never deleted while a record of them exists; a crash between the two
  leaves bytes without a record (space, never a loss).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from messenger.protocol.models import MediaInfo


@dataclass(frozen=True, slots=True)
class UploadRow:
    upload_id: str
    owner: str
    kind: str
    size: int
    sha256: str
    created: int


@dataclass(frozen=True, slots=True)
class MediaRow:
    info: MediaInfo
    cleaned: bool  # a copy without metadata (EXIF) was made for others
    created: int


@dataclass(frozen=True, slots=True)
class UploadLookup:
    """What starting an upload needs, read at once: the file with the announced hash if it is
    kept, whether the user is among its owners, and the user's unfinished upload of the same
    bytes (owner, hash, kind and size)."""

    media: MediaRow | None
    owner: bool
    upload: UploadRow | None


@dataclass(frozen=True, slots=True)
class MediaUse:
    """What sending a message with a file needs: the file if kept, whether the sender uploaded
    it, and the sender's unfinished upload of it if there is one."""

    media: MediaRow | None
    owner: bool
    pending: UploadRow | None


@dataclass(slots=True)
class ImportedIndex:
    """Rows of a media index kept elsewhere before (the media folder's own SQLite file)."""

    uploads: list[UploadRow]
    media: list[MediaRow]
    owners: list[tuple[str, str]]  # (media_id, user_id)
    refs: list[tuple[str, str]]  # (media_id, message_id)


class MediaIndex(abc.ABC):
    # -- uploads -----------------------------------------------------------------------------------
    @abc.abstractmethod
    async def lookup_upload(
        self, owner: str, sha256: str, kind: str, size: int
    ) -> UploadLookup: ...

    @abc.abstractmethod
    async def start_upload(self, row: UploadRow, limit: int) -> UploadLookup:
        """``lookup_upload`` of ``row``'s bytes, in one write that also records ``row`` (as
        ``add_upload``) when the file is not kept at that size and its owner has no upload of
        the same bytes: what starting an upload needs, in one round trip. ``upload`` is None
        when the file is kept at that size (nothing recorded) or the limit is reached."""

    @abc.abstractmethod
    async def add_upload(self, row: UploadRow, limit: int) -> UploadRow | None:
        """Record ``row``; if its owner already has an upload of the same bytes (owner, hash,
        kind, size: begun meanwhile, perhaps on another node), that one is answered instead.
        None, and nothing recorded, when the owner already has ``limit`` unfinished uploads."""

    @abc.abstractmethod
    async def get_upload(self, upload_id: str) -> UploadRow | None: ...

    @abc.abstractmethod
    async def drop_upload(self, upload_id: str) -> None: ...

    @abc.abstractmethod
    async def complete_upload(
        self,
        upload: UploadRow,
        info: MediaInfo,
        cleaned: bool,
        now: int,
        place: Callable[[], None] | None = None,
    ) -> MediaRow:
        """The upload's bytes are a kept file now: ``place`` (moving the bytes into the media
        folder) runs first, in the same write, then the file is recorded (if nobody stored the
        same bytes first; else its clock restarts at ``now``), the upload's owner becomes one
        of its owners and the upload is gone. Answers the file as recorded; if ``place``
        raises, nothing is recorded."""

    # -- files -------------------------------------------------------------------------------------
    @abc.abstractmethod
    async def get_media(self, media_id: str) -> MediaRow | None: ...

    @abc.abstractmethod
    async def add_owner(self, media_id: str, user_id: str, now: int) -> bool:
        """``user_id`` owns the file too, and its clock restarts at ``now`` (a claim); False,
        and nothing written, when the file is not kept (any more)."""

    @abc.abstractmethod
    async def media_uses(self, user_id: str, media_ids: Sequence[str]) -> list[MediaUse]:
        """One ``MediaUse`` per ID, in order."""

    # -- collection --------------------------------------------------------------------------------
    @abc.abstractmethod
    async def stale_uploads(self, before: int) -> list[str]:
        """Uploads begun before ``before`` (ms) and not finished."""

    @abc.abstractmethod
    async def drop_unused_media(self, before: int) -> list[str]:
        """Forget the files whose clock is before ``before`` (ms) and that no message uses
        (and their owners); answers their IDs, for ``remove_dropped``."""

    @abc.abstractmethod
    async def remove_dropped(
        self, media_ids: Sequence[str], remove: Callable[[str], None]
    ) -> list[str]:
        """In one write: ``remove(media_id)`` (deleting its bytes) for each of the files that
        is still not kept (one stored again since it was dropped keeps its bytes); answers
        those removed."""

    # -- an index kept elsewhere before ------------------------------------------------------------
    @abc.abstractmethod
    async def import_index(self, rows: ImportedIndex) -> None:
        """Add the rows (those already here are kept as they are): safe to repeat."""
