"""Files out of the media cache into the user's folders: a copy under a name the user chose
(Save as), or under the sender's name made safe, next to the other downloads (Open, Show in
folder). The cache keeps its own copy, named by hash."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from messenger.protocol.filenames import safe_name

MAX_SAME_NAME = 1000


def copy_to(source: Path, target: Path) -> Path:
    """Copy ``source`` to exactly ``target`` (replacing it), never leaving half a file there."""
    partial = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return target


def _same_file(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while block := fa.read(1 << 20):
            if block != fb.read(len(block)):
                return False
    return True


def export(source: Path, folder: Path, name: str, fallback: str) -> Path:
    """``source`` in ``folder`` under ``name`` made safe (``fallback`` if nothing is left of it);
    ``name (2).ext`` … when another file has that name; the same file already there is reused.
    The result is always directly inside ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    plain = safe_name(name, fallback)
    stem, dot, ext = plain.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = plain, "", ""
    for n in range(1, MAX_SAME_NAME + 1):
        candidate = folder / (plain if n == 1 else f"{stem} ({n}){dot}{ext}")
        if candidate.exists():
            if candidate.is_file() and _same_file(candidate, source):
                return candidate
            continue
        assert candidate.parent == folder  # a safe name is one plain name
        return copy_to(source, candidate)
    raise FileExistsError(f"too many files named {plain!r} in {folder}")
