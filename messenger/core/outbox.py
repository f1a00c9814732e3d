"""The persistent outbox: my messages from the local echo to the server's acknowledgement.

``send`` validates a message against the server's limits, stores it (state SENDING) together
with its outbox entry in one transaction, shows it at once and wakes the worker. While
connected, each conversation with waiting messages has a lane that sends them over the
WebSocket one at a time, oldest first; conversations are served in parallel. One at a time,
because a server that refuses a message for now (rate limit, timeout) and accepts the next one
would let it overtake. An ack stores the server's copy (SENT), with my state of the conversation
when sending read what was unread; a permanent refusal marks the message FAILED until
``resend`` and the lane goes on (a file message refused because the server does not have its
file is handed to ``on_file_missing``, which uploads it again and resends it); anything
transient is retried, forever, after a backoff (or the server's ``retry_after_ms``). Because the server is idempotent on
``client_msg_id``, resending after a crash or a lost ack delivers the message exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol

from messenger.core.backoff import Backoff
from messenger.core.clock import Clock
from messenger.core.events import EventBus
from messenger.core.models import Accepted, LocalMessage, MessageState
from messenger.core.store import OutboxEntry, Store
from messenger.protocol import errors
from messenger.protocol.ids import ConversationType, parse_conversation_id
from messenger.protocol.models import ErrorBody, Limits, SendRequest
from messenger.protocol.validation import validate_send

log = logging.getLogger(__name__)

TRANSIENT = (errors.ClientError, errors.ServerError, errors.RateLimited, errors.AuthError)


class MessageSender(Protocol):
    """Where the outbox sends: the realtime connection."""

    async def wait_connected(self) -> None: ...

    async def send_message(self, conversation_id: str, request: SendRequest) -> Accepted: ...


def new_client_msg_id() -> str:
    return uuid.uuid4().hex


def error_body(error: errors.MessengerError) -> ErrorBody:
    return ErrorBody(code=error.code, name=error.name, message=error.message, details=error.details)


class Outbox:
    def __init__(
        self,
        user_id: str,
        store: Store,
        sender: MessageSender,
        bus: EventBus,
        *,
        limits: Limits,
        backoff: Backoff,
        clock: Clock,
    ) -> None:
        self.user_id = user_id
        self.limits = limits
        self._store = store
        self._sender = sender
        self._bus = bus
        self._backoff = backoff
        self._clock = clock
        self._wake = asyncio.Event()
        self._not_before = 0.0  # loop time before which nothing is sent (a retry pause)
        self._task: asyncio.Task[None] | None = None
        self._lanes: dict[str, asyncio.Task[None]] = {}  # conversation ID → its sender
        # A file message refused because the server does not have its file (never uploaded,
        # or collected): called once it is marked failed, to upload the file again and resend.
        self.on_file_missing: Callable[[str], Awaitable[object]] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="messenger-outbox")

    async def aclose(self) -> None:
        tasks = [t for t in (self._task, *self._lanes.values()) if t is not None]
        self._task = None
        self._lanes.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- queueing --------------------------------------------------------------------------------
    async def send(
        self, conversation_id: str, request: SendRequest, *, held: bool = False
    ) -> LocalMessage:
        """Validate, store and show the message now; it is delivered in the background (``held``:
        once ``release`` is called, e.g. when its file is uploaded)."""
        ref = parse_conversation_id(conversation_id)
        if ref.type is ConversationType.SYSTEM:
            raise errors.PermissionDenied("the system conversation is read-only")
        validate_send(request, self.limits, ref.type)
        echo = LocalMessage(
            conversation_id=conversation_id,
            message_id="",
            conv_type=ref.type.value,
            target=ref.target,
            sender=self.user_id,
            seq=0,
            client_msg_id=request.client_msg_id,
            time=self._clock(),
            kind=request.kind,
            body=request.body,
            mentions=tuple(request.mentions),
            mention_all=request.mention_all,
            reply_to=request.reply_to,
            state=MessageState.SENDING,
            is_self=True,
        )
        (await self._store.add_outgoing(echo, request, held)).publish(self._bus)
        self._wake.set()
        return echo

    async def release(self, client_msg_id: str) -> None:
        """Send a held message now (its file is uploaded)."""
        if await self._store.release_outgoing(client_msg_id):
            self._wake.set()

    async def fail(self, client_msg_id: str, error: errors.MessengerError) -> None:
        """A held message cannot be sent (its upload was refused or cancelled)."""
        (await self._store.fail_outgoing(client_msg_id, error_body(error))).publish(self._bus)

    async def resend(self, client_msg_id: str, *, held: bool = False) -> LocalMessage:
        """Put a failed message back in the queue (same ``client_msg_id``; ``held``: until
        ``release``)."""
        message, delta = await self._store.requeue(client_msg_id, self._clock(), held)
        if message is None:
            raise errors.MessageNotFound(f"no message of mine with client_msg_id {client_msg_id}")
        delta.publish(self._bus)
        self._wake.set()
        return message

    # -- delivery --------------------------------------------------------------------------------
    async def _run(self) -> None:
        """Start a lane for every conversation with waiting messages (woken by any change)."""
        while True:
            await self._sender.wait_connected()
            self._wake.clear()
            for conversation_id in await self._store.outbox_conversations():
                if conversation_id not in self._lanes:
                    task = asyncio.create_task(self._lane(conversation_id))
                    self._lanes[conversation_id] = task
                    task.add_done_callback(functools.partial(self._lane_ended, conversation_id))
            await self._wake.wait()

    def _lane_ended(self, conversation_id: str, _: asyncio.Task[None]) -> None:
        self._lanes.pop(conversation_id, None)
        self._wake.set()  # a message queued as the lane ended gets a new lane

    async def _lane(self, conversation_id: str) -> None:
        """Deliver one conversation's waiting messages, one at a time, oldest first."""
        with contextlib.suppress(errors.ClientClosed):  # shutting down: the rest waits in the store
            while True:
                await self._ready()
                entry = await self._store.next_outgoing(conversation_id)
                if entry is None:
                    return
                await self._deliver(entry)

    async def _ready(self) -> None:
        """Until connected and past any retry pause."""
        loop = asyncio.get_running_loop()
        while True:
            await self._sender.wait_connected()
            pause = self._not_before - loop.time()
            if pause <= 0:
                return
            await asyncio.sleep(pause)

    async def _deliver(self, entry: OutboxEntry) -> None:
        try:
            await self._attempt(entry)
        except errors.ClientClosed:
            raise
        except Exception:
            log.exception("sending %s failed unexpectedly", entry.client_msg_id)
            self._retry_in(self._backoff.next_delay())

    async def _attempt(self, entry: OutboxEntry) -> None:
        try:
            accepted = await self._sender.send_message(entry.conversation_id, entry.request)
        except errors.RateLimited as exc:
            self._retry_in(exc.retry_after_ms / 1000)
        except errors.NetworkError:
            pass  # sent again once reconnected
        except TRANSIENT as exc:
            log.info("sending %s failed for now: %r", entry.client_msg_id, exc)
            self._retry_in(self._backoff.next_delay())
        except errors.MessengerError as exc:
            log.info("sending %s refused: %r", entry.client_msg_id, exc)
            failed = await self._store.fail_outgoing(entry.client_msg_id, error_body(exc))
            failed.publish(self._bus)
            if isinstance(exc, errors.UploadIncomplete) and self.on_file_missing is not None:
                await self.on_file_missing(entry.client_msg_id)
        else:
            self._backoff.reset()
            (await self._store.put_accepted(accepted)).publish(self._bus)

    def _retry_in(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        self._not_before = max(self._not_before, loop.time() + delay)
