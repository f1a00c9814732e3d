"""The demo account that answers (U6): a second core ``Client`` in the app's process.

It runs while this app instance runs the embedded demo server, and answers live text
messages: every C2C message, and group messages that @mention it. It never answers itself,
another bot, a tip, a message from the catch-up (only while connected and caught up, and
only messages newer than its own start), and it answers each conversation at most
``per_minute`` times a minute, so two bots can never loop.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from messenger.core.client import Client
from messenger.core.events import Event, MessagesAdded
from messenger.core.models import ConnectionState, LocalMessage, MessageState
from messenger.demo.replies import reply, strip_mention
from messenger.protocol.ids import ConversationType
from messenger.protocol.models import MessageKind

log = logging.getLogger(__name__)


def should_answer(
    message: LocalMessage, me: str, *, bots: Collection[str], live: bool, since_ms: int
) -> bool:
    """Is ``message`` one the bot answers? (The rate limit is checked separately.)"""
    if not live or message.is_self or message.sender == me or message.sender in bots:
        return False
    if message.kind != MessageKind.TEXT or message.recalled:
        return False
    if message.state is not MessageState.SENT or message.time < since_ms:
        return False
    if message.conv_type == ConversationType.C2C:
        return True
    return message.conv_type == ConversationType.GROUP and me in message.mentions


class ReplyBudget:
    """At most ``limit`` answers per conversation in any ``window_s`` seconds."""

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._sent: dict[str, collections.deque[float]] = {}

    def take(self, conversation_id: str) -> bool:
        now = self._clock()
        times = self._sent.setdefault(conversation_id, collections.deque())
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True


class DemoBot:
    def __init__(
        self,
        server_url: str,
        data_dir: Path,
        *,
        user_id: str,
        password: str,
        names: Mapping[str, str],
        bots: Collection[str] = (),
        per_minute: int = 10,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.user_id = user_id
        self.client = Client(server_url, data_dir, device_name="Messenger demo bot")
        self._password = password
        self._names = names
        self._bots = frozenset(bots)
        self._budget = ReplyBudget(per_minute)
        self._now = now
        self._since_ms = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self.answered = 0

    async def start(self) -> DemoBot:
        await self.client.start()
        await self.client.login_with_password(self.user_id, self._password)
        self._since_ms = int(time.time() * 1000) - 1000
        self._unsubscribe = self.client.subscribe(self._on_event)
        log.info("demo bot %s is answering", self.user_id)
        return self

    async def aclose(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.aclose()

    def _on_event(self, event: Event) -> None:
        if not isinstance(event, MessagesAdded):
            return
        live = self.client.connection_state is ConnectionState.CONNECTED
        for message in event.messages:
            if should_answer(
                message, self.user_id, bots=self._bots, live=live, since_ms=self._since_ms
            ) and self._budget.take(event.conversation_id):
                task = asyncio.get_running_loop().create_task(self._answer(message))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _answer(self, message: LocalMessage) -> None:
        own_names = (self.user_id, self._names.get(self.user_id, self.user_id))
        text = strip_mention(message.text, own_names)
        nickname = self._names.get(message.sender, message.sender)
        answer = reply(text, nickname.split(" ")[0], self._now(), bot_name=own_names[1])
        try:
            if message.conv_type == ConversationType.GROUP:
                await self.client.send_text(
                    message.conversation_id, f"@{nickname} {answer}", mentions=[message.sender]
                )
            else:
                await self.client.send_text(message.conversation_id, answer)
            self.answered += 1
            await self.client.mark_read(message.conversation_id)
        except Exception as exc:  # noqa: BLE001 - a demo helper must never take the app down
            log.warning("the demo bot could not answer: %r", exc)
