"""The storage interface of the media index: unfinished uploads, the files kept, who uploaded
each file and which messages use it. The bytes are files in the media folder
(``media/files.py``); the facts about them live in the server's database, so every node of a
deployment reads and writes one index (docs/operations.md).

A message's files are recorded as used in the transaction that stores the message
(``NewMessage.media_ids``), so a file is in use exactly when a stored message refers to it.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
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
        self, upload: UploadRow, info: MediaInfo, cleaned: bool, now: int
    ) -> MediaRow:
        """The upload's bytes are a kept file now: the file is recorded (if nobody stored the
        same bytes first), the upload's owner becomes one of its owners and the upload is gone.
        Answers the file as recorded."""

    # -- files -------------------------------------------------------------------------------------
    @abc.abstractmethod
    async def get_media(self, media_id: str) -> MediaRow | None: ...

    @abc.abstractmethod
    async def add_owner(self, media_id: str, user_id: str) -> None: ...

    @abc.abstractmethod
    async def media_uses(self, user_id: str, media_ids: Sequence[str]) -> list[MediaUse]:
        """One ``MediaUse`` per ID, in order."""

    # -- collection --------------------------------------------------------------------------------
    @abc.abstractmethod
    async def stale_uploads(self, before: int) -> list[str]:
        """Uploads begun before ``before`` (ms) and not finished."""

    @abc.abstractmethod
    async def drop_unused_media(self, before: int) -> list[str]:
        """Forget the files recorded before ``before`` (ms) that no message uses (and their
        owners); answers their IDs, for their bytes to be deleted."""

    # -- an index kept elsewhere before ------------------------------------------------------------
    @abc.abstractmethod
    async def import_index(self, rows: ImportedIndex) -> None:
        """Add the rows (those already here are kept as they are): safe to repeat."""
