"""App preferences (``Settings``) and the settings page of the signed-in account.

``SettingsViewModel`` lives as long as the app: every change is saved at once through the
``save`` callable the app gives it (a JSON file in the app data folder) and announced, so the
theme and the language switch live. ``AccountSettingsViewModel`` lives as long as a session:
who is signed in where, and the size of this account's local data, with "clear cache" and
"clear downloads" (the media cache alone; its limit is a ``Settings`` value).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "zh_CN")
MEDIA_CACHE_CHOICES_MB = (250, 1000, 4000, 16000)  # "keep downloads up to" (SI megabytes)
MEDIA_CACHE_DEFAULT_MB = 1000


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = "system"
    language: str = "system"
    notifications: bool = True  # desktop notifications at all
    notification_sound: bool = True
    notification_preview: bool = True  # show the message text in notifications
    secrets_in_file: bool = False  # no keyring: the user opted in to a private file
    media_cache_mb: int = (
        MEDIA_CACHE_DEFAULT_MB  # downloaded files kept per account (least recently used out)
    )
    recent_reactions: str = ""  # the emoji last reacted with, newest first, space-separated

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Known, well-typed values from ``data``; anything else keeps its default."""
        settings = cls()
        for field in fields(cls):
            value = data.get(field.name)
            default = getattr(settings, field.name)
            if isinstance(value, type(default)):
                settings = replace(settings, **{field.name: value})
        if settings.theme not in THEMES:
            settings = replace(settings, theme="system")
        if settings.language not in LANGUAGES:
            settings = replace(settings, language="system")
        if settings.media_cache_mb not in MEDIA_CACHE_CHOICES_MB:
            settings = replace(settings, media_cache_mb=MEDIA_CACHE_DEFAULT_MB)
        return settings

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class SettingsViewModel(QObject):
    changed = Signal()  # any setting
    theme_changed = Signal(str)
    language_changed = Signal(str)
    notifications_changed = Signal()  # on/off, sound or preview
    media_cache_changed = Signal(int)  # the new limit in bytes

    def __init__(
        self,
        settings: Settings,
        save: Callable[[Settings], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._save = save

    @property
    def settings(self) -> Settings:
        return self._settings

    def set_theme(self, theme: str) -> None:
        if theme in THEMES and self._update(theme=theme):
            self.theme_changed.emit(theme)

    def set_language(self, language: str) -> None:
        if language in LANGUAGES and self._update(language=language):
            self.language_changed.emit(language)

    def set_notifications(self, enabled: bool) -> None:
        if self._update(notifications=enabled):
            self.notifications_changed.emit()

    def set_notification_sound(self, enabled: bool) -> None:
        if self._update(notification_sound=enabled):
            self.notifications_changed.emit()

    def set_notification_preview(self, enabled: bool) -> None:
        if self._update(notification_preview=enabled):
            self.notifications_changed.emit()

    def set_media_cache_mb(self, megabytes: int) -> None:
        if megabytes in MEDIA_CACHE_CHOICES_MB and self._update(media_cache_mb=megabytes):
            self.media_cache_changed.emit(megabytes * 1_000_000)

    @property
    def recent_reactions(self) -> list[str]:
        """The emoji last reacted with, newest first (empty: none remembered yet)."""
        return self._settings.recent_reactions.split()

    def set_recent_reactions(self, emoji: list[str]) -> None:
        if all(e and not any(c.isspace() for c in e) for e in emoji):
            self._update(recent_reactions=" ".join(emoji))

    def set_secrets_in_file(self, enabled: bool) -> None:
        self._update(secrets_in_file=enabled)

    def _update(self, **changes: Any) -> bool:
        new = replace(self._settings, **changes)
        if new == self._settings:
            return False
        self._settings = new
        try:
            self._save(new)
        except OSError as exc:  # the change still applies for this run
            log.warning("saving the settings failed: %r", exc)
        self.changed.emit()
        return True


class AccountStorage(Protocol):
    """The local data of the signed-in account (implemented by the app)."""

    async def size(self) -> int: ...
    async def clear(self) -> None: ...
    async def media_size(self) -> int: ...
    async def clear_media(self) -> int: ...


class AccountSettingsViewModel(QObject):
    cache_size_changed = Signal(int)  # bytes
    busy_changed = Signal(bool)
    sign_out_requested = Signal()
    switch_account_requested = Signal()  # also "change server"

    def __init__(
        self,
        user_id: str,
        server: str,
        storage: AccountStorage,
        parent: QObject | None = None,
    ) -> None:
        """``server``: the URL, or "" for the local server on this computer."""
        super().__init__(parent)
        self.user_id = user_id
        self.server = server
        self._storage = storage
        self._cache_size = -1  # unknown
        self._media_size = -1  # of it, downloaded pictures, videos and files
        self._busy = False

    @property
    def cache_size(self) -> int:
        return self._cache_size

    @property
    def media_size(self) -> int:
        return self._media_size

    @property
    def busy(self) -> bool:
        return self._busy

    async def refresh_cache_size(self) -> int:
        size = await self._storage.size()
        media = await self._storage.media_size()
        if (size, media) != (self._cache_size, self._media_size):
            self._cache_size, self._media_size = size, media
            self.cache_size_changed.emit(size)
        return size

    async def clear_media(self) -> int:
        """Delete the downloaded pictures, videos and files; messages stay (the UI confirms
        first). Returns the bytes freed."""
        freed = await self._storage.clear_media()
        await self.refresh_cache_size()
        return freed

    async def clear_cache(self) -> None:
        """Delete this account's local store and sync it again (the UI confirms first)."""
        if self._busy:
            return
        self._set_busy(True)
        try:
            await self._storage.clear()
        finally:
            self._set_busy(False)
        await self.refresh_cache_size()

    def request_sign_out(self) -> None:
        self.sign_out_requested.emit()

    def request_switch_account(self) -> None:
        self.switch_account_requested.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
