"""Bubbles drawn as a card of a fixed size instead of text (a file, a voice message): which
card a message gets, and the words on it (type label, size) that do not depend on painting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from messenger.core.models import LocalMessage
from messenger.protocol.bodies import FaceBody, FileBody, LocationBody, MergedBody, VoiceBody


def _tr(text: str) -> str:
    return QCoreApplication.translate("Chat", text)


def _trn(text: str, n: int) -> str:
    return QCoreApplication.translate("Chat", text, None, n)


def card_of(message: LocalMessage) -> str:
    """ "file", "voice", "location", "sticker" or "merged" for those, "" for a message drawn
    otherwise."""
    if message.recalled:
        return ""
    if isinstance(message.content, MergedBody):
        return "merged"
    if isinstance(message.content, FileBody):
        return "file"
    if isinstance(message.content, VoiceBody):
        return "voice"
    if isinstance(message.content, LocationBody):
        return "location"
    if isinstance(message.content, FaceBody):
        return "sticker"
    return ""


_UNITS = ("B", "KB", "MB", "GB")


def size_text(size: int) -> str:
    """A size for people: 980 B, 12.4 KB, 3.0 MB (1 KB = 1024 B)."""
    value = float(max(size, 0))
    for unit in _UNITS:
        if value < 1024 or unit == _UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # not reached


def progress_text(done: int, size: int, seconds_left: float | None) -> str:
    """ "1.2 MB / 5.0 MB · 3 s left" while a file comes or goes."""
    text = f"{size_text(done)} / {size_text(size)}"
    if seconds_left is not None:
        left = max(1, round(seconds_left))
        text += " · " + (
            _tr("{seconds} s left").format(seconds=left)
            if left < 60
            else _tr("{minutes} min left").format(minutes=round(left / 60))
        )
    return text


# What a file is, from its name's extension: the label on its icon and the icon's colour group.
_GROUPS = {
    "document": ("pdf", "doc", "docx", "odt", "rtf", "txt", "md", "pages"),
    "sheet": ("xls", "xlsx", "ods", "csv", "numbers"),
    "slides": ("ppt", "pptx", "odp", "key"),
    "archive": ("zip", "rar", "7z", "tar", "gz", "bz2", "xz", "zst"),
    "image": ("png", "jpg", "jpeg", "gif", "webp", "bmp", "svg", "heic", "tif", "tiff"),
    "audio": ("mp3", "wav", "ogg", "flac", "m4a", "aac", "opus"),
    "video": ("mp4", "mov", "mkv", "avi", "webm"),
    "code": ("py", "js", "ts", "c", "h", "cpp", "rs", "go", "java", "json", "xml", "html", "css"),
    "program": ("exe", "msi", "dmg", "deb", "rpm", "apk", "appimage", "sh", "bat"),
}
_BY_EXT = {ext: group for group, exts in _GROUPS.items() for ext in exts}


def file_type(name: str) -> tuple[str, str]:
    """(label, group) of a file name: ("PDF", "document"), ("", "other") without an extension."""
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot and stem else ""
    if not ext or len(ext) > 8 or not ext.isalnum():
        return "", "other"
    return ext[:4].upper(), _BY_EXT.get(ext, "other")


MERGED_PREVIEW_LINES = 4  # at most this many "Name: words" lines on a chat history card


def previewed_senders(body: MergedBody) -> list[str]:
    """The user IDs the server put before a card's preview lines ("alice: hello")."""
    found = []
    for line in body.preview[:MERGED_PREVIEW_LINES]:
        user_id, sep, _ = line.partition(": ")
        if sep and user_id:
            found.append(user_id)
    return found


def merged_card_lines(body: MergedBody, name_of: Callable[[str], str]) -> tuple[str, ...]:
    """The words of a chat history card: its title, up to four "Name: words" lines (the
    sender's name for the ID the server wrote), and the footer "Chat history · 3 messages"."""
    lines: list[str] = []
    for line in body.preview[:MERGED_PREVIEW_LINES]:
        user_id, sep, words = line.partition(": ")
        lines.append(f"{name_of(user_id)}: {words}" if sep and user_id else line)
    count = body.count or len(body.preview)
    return (body.title, *lines, _trn("Chat history · %n message(s)", count))
