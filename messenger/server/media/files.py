"""The media folder: only files, all named by the server (content hashes and random upload
IDs), never by anything a client sent. What is known about them (uploads, owners, the
messages using each file) is the media index in the server's database
(``storage/media_index.py``), so several nodes may share the folder (docs/operations.md).

    media/partial/<upload>  bytes received so far (its size is the upload's offset)
    media/partial/<upload>.thumbs/  an image's thumbnails made at its end, until it is kept
    media/files/ab/<sha256> complete files
    media/thumbs/ab/<sha256>-small.jpg, -large.jpg, -clean.<ext>
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class MediaFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.partial_dir = root / "partial"
        self.files_dir = root / "files"
        self.thumbs_dir = root / "thumbs"

    def make_folders(self) -> None:
        for folder in (self.partial_dir, self.files_dir, self.thumbs_dir):
            folder.mkdir(parents=True, exist_ok=True)

    # -- paths (server-made names only) -----------------------------------------------------------
    def partial_path(self, upload_id: str) -> Path:
        return self.partial_dir / upload_id

    def staging_dir(self, upload_id: str) -> Path:
        return self.partial_dir / f"{upload_id}.thumbs"

    def file_path(self, media_id: str) -> Path:
        return self.files_dir / media_id[:2] / media_id

    def thumb_dir(self, media_id: str) -> Path:
        return self.thumbs_dir / media_id[:2]

    def thumb_path(self, media_id: str, variant: str) -> Path | None:
        folder = self.thumb_dir(media_id)
        for found in folder.glob(f"{media_id}-{variant}.*") if folder.exists() else ():
            return found
        return None

    def received(self, upload_id: str) -> int:
        """Bytes stored so far: the partial file's size (true after a restart too)."""
        try:
            return self.partial_path(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    # -- changes -------------------------------------------------------------------------------------
    def start_partial(self, upload_id: str) -> None:
        self.partial_path(upload_id).touch()

    @contextlib.contextmanager
    def idle_partial(self, upload_id: str, since_ms: int) -> Iterator[bool]:
        """Whether an unfinished upload is idle: no bytes written to it since ``since_ms`` and
        nobody appending to it now (on any node sharing the folder: ``claim``). It stays so
        for the block (held claimed), for it to be dropped."""
        try:
            partial = self.partial_path(upload_id).open("rb+")
        except FileNotFoundError:
            yield True
            return
        with partial:
            written_ms = os.fstat(partial.fileno()).st_mtime_ns // 1_000_000
            yield written_ms < since_ms and claim(partial)

    def drop_partial(self, upload_id: str) -> None:
        self.partial_path(upload_id).unlink(missing_ok=True)
        shutil.rmtree(self.staging_dir(upload_id), ignore_errors=True)

    def place(self, upload_id: str, media_id: str) -> None:
        """A checked upload becomes the kept file: its thumbnails, then its bytes, moved into
        place (atomic renames; run in the write that records the file)."""
        staging = self.staging_dir(upload_id)
        if staging.exists():
            folder = self.thumb_dir(media_id)
            folder.mkdir(parents=True, exist_ok=True)
            for thumb in staging.iterdir():
                os.replace(thumb, folder / thumb.name)
            staging.rmdir()
        place_file(self.partial_path(upload_id), self.file_path(media_id))

    def drop_file(self, media_id: str) -> None:
        """A file and its thumbnails."""
        self.file_path(media_id).unlink(missing_ok=True)
        folder = self.thumb_dir(media_id)
        if folder.exists():
            for thumb in folder.glob(f"{media_id}-*"):
                thumb.unlink(missing_ok=True)


if sys.platform == "win32":  # pragma: no cover - a Windows server is one node

    def claim(partial: BinaryIO) -> bool:
        return True

else:
    import fcntl

    def claim(partial: BinaryIO) -> bool:
        """Whether this process may append to an upload's open partial file: an advisory lock,
        dropped when the file is closed, that a server on another node sharing the folder holds
        while it receives the same upload. A file system without locks claims nothing (the hash
        checked at the end still refuses bytes of two writers mixed)."""
        try:
            fcntl.flock(partial.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # no locks here (ENOLCK, EOPNOTSUPP)
            return True
        return True


def place_file(source: Path, target: Path) -> None:
    """Move a finished upload into place (same file system: an atomic rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
