"""Saved accounts ("profiles"): a server and a user ID, remembered in ``profiles.json``.

No secret is ever written here; those live in the credential store under ``Profile.key``.
``LOCAL_SERVER`` stands for the embedded server on this computer, whose port changes at
every start, so a profile of it keeps working.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from messenger.system.jsonfile import read_json, write_json

LOCAL_SERVER = "local"
FILE_NAME = "profiles.json"
AUTH_KINDS = ("password", "usersig")


@dataclass(frozen=True, slots=True)
class Profile:
    server: str  # LOCAL_SERVER or a URL
    user_id: str
    auth: str = "password"  # how the user signs in: "password" or "usersig"
    last_used: int = 0  # ms since the epoch

    @property
    def key(self) -> str:
        return profile_key(self.server, self.user_id)


def profile_key(server: str, user_id: str) -> str:
    return f"{server}|{user_id}"


class ProfileList:
    """The profiles in ``<data>/profiles.json``, most recently used first."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        self._profiles: dict[str, Profile] = {}
        self._last = ""
        self.reload()

    def reload(self) -> None:
        raw = read_json(self.path)
        self._profiles = {}
        for item in raw.get("profiles", []):
            profile = _profile(item)
            if profile is not None:
                self._profiles[profile.key] = profile
        last = raw.get("last")
        self._last = last if isinstance(last, str) and last in self._profiles else ""

    def all(self) -> list[Profile]:
        return sorted(self._profiles.values(), key=lambda p: p.last_used, reverse=True)

    def get(self, key: str) -> Profile | None:
        return self._profiles.get(key)

    def last(self, server: str | None = None) -> Profile | None:
        """The profile used last (on ``server``, if given)."""
        if server is None:
            return self._profiles.get(self._last)
        return next((p for p in self.all() if p.server == server), None)

    def touch(self, server: str, user_id: str, auth: str) -> Profile:
        """Remember a successful sign-in: add or update the profile and make it the last one."""
        newest = max((p.last_used for p in self._profiles.values()), default=0)
        now = max(int(time.time() * 1000), newest + 1)  # two sign-ins in one millisecond keep order
        profile = Profile(server, user_id, auth, now)
        self._profiles[profile.key] = profile
        self._last = profile.key
        self._save()
        return profile

    def remove(self, key: str) -> None:
        if self._profiles.pop(key, None) is not None:
            if self._last == key:
                self._last = ""
            self._save()

    def _save(self) -> None:
        write_json(
            self.path,
            {"version": 1, "last": self._last, "profiles": [asdict(p) for p in self.all()]},
        )


def _profile(item: Any) -> Profile | None:
    if not isinstance(item, dict):
        return None
    server, user_id = item.get("server"), item.get("user_id")
    auth, last_used = item.get("auth", "password"), item.get("last_used", 0)
    if not (isinstance(server, str) and server and isinstance(user_id, str) and user_id):
        return None
    profile = Profile(server, user_id)
    if auth in AUTH_KINDS:
        profile = replace(profile, auth=auth)
    if isinstance(last_used, int):
        profile = replace(profile, last_used=last_used)
    return profile
