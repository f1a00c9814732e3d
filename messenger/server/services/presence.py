"""Presence (TIM's user status): online when at least one device is connected, last seen when
the last one left, and a custom status text. Pushed live to those who have me in their friend
list and to those who asked for my status while they are online (TIM's subscription), never to
users I blocked; anyone may ask for the current status of users by ID. The status text is kept
with the profile (the same on every node, after a restart too); nothing here is synced: a device
that reconnects asks again (and so subscribes again)."""

from __future__ import annotations

import asyncio
import logging
import time

from messenger.protocol import frames
from messenger.protocol.errors import InvalidParameter, MessengerError
from messenger.protocol.ids import check_user_id
from messenger.protocol.social import UserStatus
from messenger.protocol.validation import utf8_len
from messenger.server.hub import Hub
from messenger.server.services.blocks import BlockIndex
from messenger.server.storage.people import PeopleStorage

log = logging.getLogger(__name__)

STATUS_TEXT_BYTES = 100
BATCH_SECONDS = 0.05
MAX_USERS_PER_QUERY = 100


class PresenceService:
    def __init__(self, *, storage: PeopleStorage, hub: Hub, blocks: BlockIndex) -> None:
        self._storage = storage
        self._hub = hub
        self._blocks = blocks
        self._tasks: set[asyncio.Task[None]] = set()
        self._subscribers: dict[str, set[str]] = {}  # user → who asked for their status
        self._subscribed: dict[str, set[str]] = {}  # subscriber → whose status they asked for
        self._pending: dict[str, tuple[bool, int]] = {}  # user → (online, when), not yet told
        self._flush: asyncio.TimerHandle | None = None

    def attach(self) -> None:
        self._hub.on_presence = self.changed
        self._hub.on_remote_presence = self.remote_changed

    def remote_changed(self, user_id: str, online: bool) -> None:
        """Another node saw ``user_id`` come or go: that node told their friends; this one tells
        the devices here that asked for their status (subscriptions live where they were made)."""
        subscribers = self._subscribers.get(user_id)
        if not subscribers:
            return
        status = UserStatus(
            user_id=user_id, online=online, last_seen=0 if online else int(time.time() * 1000)
        )
        task = asyncio.get_running_loop().create_task(
            self._tell_subscribers(user_id, sorted(subscribers), status)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _tell_subscribers(
        self, user_id: str, audience: list[str], status: UserStatus
    ) -> None:
        try:
            friends = set((await self._storage.watchers_of([user_id])).get(user_id, ()))
            blocked = await self._blocks.blocked_by(user_id)
            status.text = (await self._storage.status_texts([user_id])).get(user_id, "")
            if (
                not status.online
                and (await self._storage.last_seen([user_id])).get(user_id, (0, False))[1]
            ):
                status.last_seen = 0  # they hide when they were last seen
        except MessengerError as exc:
            log.info("presence of %s not told here: %r", user_id, exc)
            return
        here = [u for u in audience if u not in friends and u not in blocked]
        if here:
            text = frames.encode(frames.Presence(statuses=[status])).decode("utf-8")
            self._hub.deliver(here, text)  # (the friends heard it from the user's node)

    def changed(self, user_id: str, online: bool) -> None:
        """Called by the hub when a user's first device connects or the last one leaves.

        Changes are announced in batches (every ``BATCH_SECONDS``): a thousand devices
        connecting at once cost one query and one write, not a thousand of each."""
        if not online:
            self._unsubscribe(user_id)
        self._pending[user_id] = (online, int(time.time() * 1000))
        if self._flush is None:
            loop = asyncio.get_running_loop()
            self._flush = loop.call_later(BATCH_SECONDS, self._start_batch)

    def _start_batch(self) -> None:
        self._flush = None
        pending, self._pending = self._pending, {}
        task = asyncio.get_running_loop().create_task(self._announce(pending))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _announce(self, pending: dict[str, tuple[bool, int]]) -> None:
        try:
            gone = {user: when for user, (online, when) in pending.items() if not online}
            if gone:
                await self._storage.set_last_seen_many(gone)
            hidden = await self._storage.last_seen(list(gone)) if gone else {}
            texts = await self._storage.status_texts(list(pending))
            watchers = await self._storage.watchers_of(list(pending))
            for user_id, (online, when) in pending.items():
                if online != self._hub.is_online(user_id):
                    continue  # it changed again: the next batch tells
                audience = [*watchers.get(user_id, ()), *self._subscribers.get(user_id, ())]
                if not audience:
                    continue
                last_seen = 0 if online or hidden.get(user_id, (0, False))[1] else when
                status = UserStatus(
                    user_id=user_id,
                    online=online,
                    last_seen=last_seen,
                    text=texts.get(user_id, ""),
                )
                await self._send(user_id, audience, status)
        except MessengerError as exc:  # e.g. shutting down: the query tells the truth later
            log.info("presence of %d users not announced: %r", len(pending), exc)

    def _subscribe(self, subscriber: str, user_ids: list[str]) -> None:
        if not self._hub.is_online(subscriber):
            return  # (no socket to push to; the subscription ends with the last one anyway)
        for user_id in user_ids:
            if user_id != subscriber:
                self._subscribers.setdefault(user_id, set()).add(subscriber)
                self._subscribed.setdefault(subscriber, set()).add(user_id)

    def _unsubscribe(self, subscriber: str) -> None:
        for user_id in self._subscribed.pop(subscriber, ()):
            followers = self._subscribers.get(user_id)
            if followers is not None:
                followers.discard(subscriber)
                if not followers:
                    del self._subscribers[user_id]

    async def _push(self, user_id: str, status: UserStatus) -> None:
        watchers = await self._storage.watchers(user_id)
        await self._send(user_id, [*watchers, *self._subscribers.get(user_id, ())], status)

    async def _send(self, user_id: str, audience: list[str], status: UserStatus) -> None:
        """To the online ones among ``audience`` that ``user_id`` has not blocked."""
        blocked = await self._blocks.blocked_by(user_id)
        audience = [
            u for u in dict.fromkeys(audience) if u not in blocked and self._hub.is_online(u)
        ]
        if audience:
            text = frames.encode(frames.Presence(statuses=[status])).decode("utf-8")
            self._hub.push(audience, text)

    async def set_text(self, user_id: str, text: str) -> None:
        if utf8_len(text) > STATUS_TEXT_BYTES:
            raise InvalidParameter(f"a status has at most {STATUS_TEXT_BYTES} bytes", field="text")
        await self._storage.set_status_text(user_id, text)
        online = self._hub.is_online(user_id)
        status = UserStatus(user_id=user_id, online=online, text=text)
        await self._push(user_id, status)

    async def statuses(self, viewer: str, user_ids: list[str]) -> list[UserStatus]:
        if not 1 <= len(user_ids) <= MAX_USERS_PER_QUERY:
            raise InvalidParameter(f"ask for 1–{MAX_USERS_PER_QUERY} users", field="user_ids")
        for user_id in user_ids:
            check_user_id(user_id)
        self._subscribe(viewer, user_ids)
        seen = await self._storage.last_seen(user_ids)
        texts = await self._storage.status_texts(user_ids)
        answer: list[UserStatus] = []
        for user_id in dict.fromkeys(user_ids):
            if user_id != viewer and await self._blocks.blocks(user_id, viewer):
                answer.append(UserStatus(user_id=user_id))  # they blocked me: nothing to see
                continue
            last, hidden = seen.get(user_id, (0, False))
            online = self._hub.is_online(user_id)
            answer.append(
                UserStatus(
                    user_id=user_id,
                    online=online,
                    last_seen=0 if online or (hidden and user_id != viewer) else last,
                    text=texts.get(user_id, ""),
                )
            )
        return answer
