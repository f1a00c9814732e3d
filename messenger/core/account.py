"""Everything that exists while one user is signed in on this device: store, sync engine,
realtime connection, outbox and the conversation and history services, with their lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from messenger.core.backoff import BackoffFactory
from messenger.core.clock import Clock
from messenger.core.conversations import ConversationActions
from messenger.core.events import EventBus, KickedOut
from messenger.core.history import MessageHistory
from messenger.core.models import LocalMessage, MessageState
from messenger.core.outbox import Outbox
from messenger.core.people import People
from messenger.core.profiles import ProfileDirectory
from messenger.core.search import MessageSearch
from messenger.core.store import Store
from messenger.core.sync import SyncEngine
from messenger.core.transfers.cache import MediaCache
from messenger.core.transfers.journal import TransferJournal
from messenger.core.transfers.models import Transfer
from messenger.core.transfers.order import InOrder
from messenger.core.transfers.service import TransferService
from messenger.core.transport.realtime import RealtimeTransport, Relocate
from messenger.core.transport.rest import RestTransport
from messenger.protocol import errors
from messenger.protocol.models import Limits, MediaInfo, RefreshRequest, RefreshResponse

log = logging.getLogger(__name__)

UserSigProvider = Callable[[], Awaitable[str]]


class Account:
    def __init__(
        self,
        *,
        user_id: str,
        token: str,
        limits: Limits,
        store: Store,
        rest: RestTransport,
        bus: EventBus,
        ws_url: str,
        backoff: BackoffFactory,
        clock: Clock,
        avatar_dir: Path,
        usersig_provider: UserSigProvider | None = None,
        relocate: Relocate | None = None,
        folder: Path | None = None,
    ) -> None:
        self.user_id = user_id
        self.token = token
        self.limits = limits
        self.store = store
        self.ended = False  # kicked, revoked or signed out: no more connections
        self._started = False
        self._rest = rest
        self._bus = bus
        self._usersig_provider = usersig_provider
        self._tasks: set[asyncio.Task[Any]] = set()
        self.history = MessageHistory(store, rest, bus, page=limits.history_page)
        self.search = MessageSearch(store, rest, user_id)
        self.sync = SyncEngine(
            user_id,
            store,
            rest,
            bus,
            on_synced=self._after_sync,
            on_expiring=self._refresh_soon,
            on_kicked=self._kicked,
            on_unblocked=self._fill_latest,
            on_people=self._learn_profiles,
        )
        self.realtime = RealtimeTransport(
            ws_url, token, self.sync, backoff=backoff(), relocate=relocate
        )
        self.outbox = Outbox(
            user_id, store, self.realtime, bus, limits=limits, backoff=backoff(), clock=clock
        )
        self.conversations = ConversationActions(
            store, rest, self.realtime, bus, clock=clock, on_unblocked=self._fill_latest
        )
        self.profiles = ProfileDirectory(store, rest, bus, clock=clock)
        self.people = People(user_id, store, rest, bus, avatar_dir)
        folder = folder or Path(store.path).parent
        self.transfers = TransferService(
            rest,
            TransferJournal(folder / "transfers.sqlite3"),
            MediaCache(folder / "media"),
            bus,
            backoff=backoff(),
        )
        self.transfers.on_uploaded = self._uploaded
        self.in_order = InOrder(self.outbox.release)
        self.transfers.on_failed = self._upload_failed
        self.outbox.on_file_missing = self._file_missing
        self._uploaded_again: set[str] = set()  # messages whose file went up again by itself

    @property
    def started(self) -> bool:
        """The network side runs (``start``); before, the store can be read and written."""
        return self._started

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.realtime.start()
        self.outbox.start()
        self.transfers.start()

    async def restore_order(self) -> None:
        """File messages held by an earlier run keep the order they were written in: each waits
        for the ones before it, and those whose uploads completed before the restart go as soon
        as nothing earlier is still uploading. Called before ``start``."""
        held = await self.store.held_outgoing()
        uploading = self.transfers.unfinished_uploads()
        for conversation_id, client_msg_id in held:
            self.in_order.add(conversation_id, client_msg_id)
        for conversation_id, client_msg_id in held:
            if client_msg_id not in uploading:
                await self.in_order.done(conversation_id, client_msg_id)

    async def aclose(self) -> None:
        await self.transfers.aclose()
        await self.realtime.aclose()
        await self.outbox.aclose()
        await self.profiles.aclose()
        tasks, self._tasks = self._tasks, set()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.store.aclose()

    def end_session(self, reason: str, message: str = "") -> None:
        """The server no longer accepts this session (seen on a REST call)."""
        if not self.ended:
            self._spawn(self.realtime.aclose())
            self._kicked(reason, message)

    # -- callbacks of the transfers ------------------------------------------------------------------
    async def _uploaded(self, transfer: Transfer, media: MediaInfo) -> None:
        """The file is on the server: its message goes out now (after any text sent meanwhile),
        or once the file messages written before it have gone (``InOrder``)."""
        await self.in_order.done(transfer.conversation_id, transfer.client_msg_id)

    async def upload_again(self, client_msg_id: str) -> LocalMessage | None:
        """A failed file message whose file I still have (the media cache): back in the
        outbox, held until the file is uploaded again; None if it is not one."""
        message = await self.store.own_message(client_msg_id)
        if message is None or message.state is not MessageState.FAILED:
            return None
        media_id = str(getattr(message.content, "media_id", ""))
        source = self.transfers.cache.get(media_id) if media_id else None
        if source is None:
            return None
        again = await self.outbox.resend(client_msg_id, held=True)
        self.transfers.upload(
            source,
            media_id=media_id,
            size=int(getattr(message.content, "size", 0)),
            kind=message.kind,
            conversation_id=message.conversation_id,
            client_msg_id=client_msg_id,
        )
        return again

    async def _file_missing(self, client_msg_id: str) -> None:
        """The server does not have the file of my message (collected while the message
        waited, e.g. the app was closed for a day between the upload and the send): upload it
        again and send the message, once (a second refusal leaves it failed)."""
        if client_msg_id not in self._uploaded_again:
            self._uploaded_again.add(client_msg_id)
            if await self.upload_again(client_msg_id) is not None:
                log.info(
                    "the server no longer had the file of %s: uploading it again", client_msg_id
                )

    async def _upload_failed(self, transfer: Transfer, error: errors.MessengerError) -> None:
        await self.outbox.fail(transfer.client_msg_id, error)
        await self.in_order.dropped(transfer.conversation_id, transfer.client_msg_id)

    # -- callbacks of the sync engine ------------------------------------------------------------
    def _after_sync(self) -> None:
        self._spawn(self.conversations.push_pending_drafts())

    def _fill_latest(self, conversation_ids: list[str]) -> None:
        """Unblocked: fetch what the feed held back while the conversations were blocked."""
        for conversation_id in conversation_ids:
            self._spawn(self.history.fill_latest(conversation_id))

    def _learn_profiles(self, user_ids: list[str]) -> None:
        """New friends and requests: fetch the profiles this device does not have yet."""
        self._spawn(self.profiles.fetch(user_ids))

    def _refresh_soon(self, expires_at: int) -> None:
        if self._usersig_provider is not None:
            self._spawn(self._refresh(self._usersig_provider))
        else:
            log.warning("session expires at %d; no UserSig provider to renew it", expires_at)

    async def _refresh(self, provider: UserSigProvider) -> None:
        try:
            answer: RefreshResponse = await self._rest.call(
                "refresh", body=RefreshRequest(user_sig=await provider())
            )
        except errors.MessengerError as exc:
            log.warning("renewing the session failed: %r", exc)
            return
        log.info("session renewed until %d", answer.expires_at)

    def _kicked(self, reason: str, message: str) -> None:
        """The session ended on the server's side: say so once, forget the token."""
        if self.ended:
            return
        self.ended = True
        log.info("session of %s ended: %s %s", self.user_id, reason, message)
        self._spawn(self.store.save_session(None))
        self._bus.publish(KickedOut(reason, message))

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("background work failed: %r", task.exception())
