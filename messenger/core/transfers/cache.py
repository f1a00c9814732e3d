"""The local media cache: downloaded files and thumbnails in two folders of the account, each
with a size limit; the least recently used go first. Names are file hashes (ours), never a name
from a message."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

_MEDIA_ID = re.compile(r"[0-9a-f]{64}")
_VARIANT = re.compile(r"(|small|large)")


@dataclass(frozen=True, slots=True)
class CacheUsage:
    files: int  # bytes
    thumbnails: int


class MediaCache:
    def __init__(self, root: Path, *, limit: int = 1 << 30, thumb_limit: int = 200 << 20) -> None:
        self.root = root
        self.limit = limit
        self.thumb_limit = thumb_limit
        self.files_dir = root / "files"
        self.thumbs_dir = root / "thumbs"
        self.partial_dir = root / "partial"
        for folder in (self.files_dir, self.thumbs_dir, self.partial_dir):
            folder.mkdir(parents=True, exist_ok=True)

    # -- names ------------------------------------------------------------------------------------
    def _name(self, media_id: str, variant: str) -> str:
        if not _MEDIA_ID.fullmatch(media_id) or not _VARIANT.fullmatch(variant):
            raise ValueError(f"not a media ID / variant: {media_id!r} {variant!r}")
        return f"{media_id}-{variant}.jpg" if variant else media_id

    def _folder(self, variant: str) -> Path:
        return self.thumbs_dir if variant else self.files_dir

    def target(self, media_id: str, variant: str = "") -> Path:
        return self._folder(variant) / self._name(media_id, variant)

    def partial(self, media_id: str, variant: str = "") -> Path:
        return self.partial_dir / self._name(media_id, variant)

    # -- use ----------------------------------------------------------------------------------------
    def get(self, media_id: str, variant: str = "") -> Path | None:
        """The cached file, marked as just used; None if not cached."""
        path = self.target(media_id, variant)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        return path

    def commit(self, source: Path, media_id: str, variant: str = "") -> Path:
        """Move a finished download (or a locally made thumbnail) in, then keep within limits."""
        target = self.target(media_id, variant)
        os.replace(source, target)
        self.trim()
        return target

    def adopt(self, source: Path, media_id: str) -> Path:
        """Keep my own uploaded file (hard link when possible, else a copy)."""
        target = self.target(media_id)
        if not target.exists():
            tmp = self.partial(media_id)
            tmp.unlink(missing_ok=True)
            try:
                os.link(source, tmp)
            except OSError:
                shutil.copyfile(source, tmp)
            os.replace(tmp, target)
            self.trim()
        return target

    # -- size ---------------------------------------------------------------------------------------
    @staticmethod
    def _entries(folder: Path) -> list[tuple[float, int, Path]]:
        found = []
        for entry in os.scandir(folder):
            if entry.is_file():
                st = entry.stat()
                found.append((st.st_mtime, st.st_size, Path(entry.path)))
        return found

    def usage(self) -> CacheUsage:
        return CacheUsage(
            files=sum(size for _, size, _ in self._entries(self.files_dir)),
            thumbnails=sum(size for _, size, _ in self._entries(self.thumbs_dir)),
        )

    def trim(self) -> int:
        """Delete the least recently used until each folder is within its limit; bytes freed."""
        freed = 0
        for folder, limit in ((self.files_dir, self.limit), (self.thumbs_dir, self.thumb_limit)):
            entries = sorted(self._entries(folder))
            total = sum(size for _, size, _ in entries)
            for _, size, path in entries:
                if total <= limit:
                    break
                path.unlink(missing_ok=True)
                total -= size
                freed += size
        return freed

    def clear(self) -> int:
        """Empty the cache (files, thumbnails, unfinished downloads); bytes freed."""
        freed = 0
        for folder in (self.files_dir, self.thumbs_dir, self.partial_dir):
            for _, size, path in self._entries(folder):
                path.unlink(missing_ok=True)
                freed += size
        return freed
