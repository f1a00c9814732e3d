"""Times and names as the chat shows them, in the user's locale (QtCore only).

All times are milliseconds since the epoch and shown in local time; ``now`` is passed in so
tests (and the day boundary) are exact.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale

TIME_GAP_MS = 5 * 60 * 1000  # a longer pause between two messages shows a time separator


def _tr(text: str) -> str:
    return QCoreApplication.translate("Formatting", text)


def _local(ms: int) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(ms).toLocalTime()


def clock_time(ms: int) -> str:
    """``14:05``."""
    return QLocale().toString(_local(ms).time(), "HH:mm")


def list_time(ms: int, now_ms: int) -> str:
    """The conversation list's time: today ``14:05``, this week ``Mon``, older a short date."""
    if ms <= 0:
        return ""
    moment, today = _local(ms).date(), _local(now_ms).date()
    days = moment.daysTo(today)
    if days == 0:
        return clock_time(ms)
    if 0 < days < 7:
        return QLocale().dayName(moment.dayOfWeek(), QLocale.FormatType.ShortFormat)
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def separator_time(ms: int, now_ms: int) -> str:
    """The chat's time separator: ``14:05``, ``Yesterday 14:05``, ``Monday 14:05``, a date."""
    moment, today = _local(ms).date(), _local(now_ms).date()
    days = moment.daysTo(today)
    clock = clock_time(ms)
    if days == 0:
        return clock
    if days == 1:
        return _tr("Yesterday {time}").format(time=clock)
    if 1 < days < 7:
        day = QLocale().dayName(moment.dayOfWeek(), QLocale.FormatType.LongFormat)
        return f"{day} {clock}"
    return f"{QLocale().toString(moment, QLocale.FormatType.ShortFormat)} {clock}"


def starts_time_group(previous_ms: int | None, ms: int) -> bool:
    """A separator goes before a message that follows a long pause or starts a new day."""
    if previous_ms is None:
        return True
    if ms - previous_ms > TIME_GAP_MS:
        return True
    return _day(previous_ms) != _day(ms)


def _day(ms: int) -> QDate:
    return _local(ms).date()


def initials(name: str) -> str:
    """One or two letters for an avatar: ``Alice Chen`` → ``AC``, ``李雷`` → ``李``."""
    letters = [next((c for c in word if c.isalnum()), "") for word in name.split()]
    letters = [c for c in letters if c]
    if not letters:
        return "?"
    first = letters[0]
    if not first.isascii():
        return first  # one CJK character says enough
    if len(letters) > 1 and letters[1].isascii():
        return (first + letters[1]).upper()
    return first.upper()


def single_line(text: str, limit: int = 120) -> str:
    """Text for a one-line preview: whitespace runs (newlines too) become one space."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
