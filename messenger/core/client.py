"""The ``Client`` façade: one device of one IM account at a time, over the services of core.

    async with Client("http://127.0.0.1:8080", data_dir / "alice") as client:
        await client.login_with_password("alice", "secret")
        client.subscribe(print)
        await client.send_text("C2Cbob", "hello")

The local store is what the UI shows: ``conversations()`` and ``messages()`` answer from it at
once (offline too) while the sync engine keeps it up to date and events tell what changed.
Several clients can run side by side in one process, each with its own data directory.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from messenger.core.account import Account, UserSigProvider
from messenger.core.backoff import Backoff, BackoffFactory
from messenger.core.clock import Clock, system_clock
from messenger.core.events import EventBus, Handler
from messenger.core.group_calls import GroupCalls
from messenger.core.message_ops import MessageOps
from messenger.core.models import ConnectionState, Conversation, LocalMessage
from messenger.core.outbox import new_client_msg_id
from messenger.core.search import SearchFilters, ServerResults
from messenger.core.store import SearchGroup, Store, StoreDelta
from messenger.core.transfers import saving
from messenger.core.transfers.cache import CacheUsage
from messenger.core.transfers.local import file_facts, image_facts
from messenger.core.transfers.service import TransferService
from messenger.core.transport.realtime import websocket_url
from messenger.core.transport.rest import RestTransport
from messenger.protocol import errors
from messenger.protocol.api import HistoryKind, MembersQuery, TypingRequest
from messenger.protocol.bodies import Body, FileBody, ImageBody, VideoBody, VoiceBody
from messenger.protocol.fulltext import SearchKind
from messenger.protocol.ids import check_user_id, parse_conversation_id
from messenger.protocol.kinds import UNSUPPORTED_LABEL, body_fields, spec_of
from messenger.protocol.models import (
    AddMembersRequest,
    AllowType,
    CreateGroupRequest,
    CustomBody,
    Gender,
    GroupInfo,
    GroupList,
    GroupRole,
    GroupType,
    InitialMember,
    JoinOption,
    Limits,
    LoginRequest,
    LoginResponse,
    MemberPage,
    MessageKind,
    PasswordLoginRequest,
    Priority,
    Profile,
    ReaderList,
    ReceiptCount,
    RegisterRequest,
    RemindType,
    ReplyRef,
    SendRequest,
    TextBody,
    UserSigResponse,
)
from messenger.protocol.social import (
    AcceptRequest,
    AddFriendRequest,
    Friend,
    FriendGroupEdit,
    FriendRequest,
    FriendUpdate,
    ProfileUpdate,
    Relation,
    UserPage,
    UserStatus,
)
from messenger.protocol.validation import validate_send

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

_PREVIEW_CHARS = 100

ServerResolver = Callable[[], Awaitable[str]]
"""Where the server is now: asked again when the connection fails (a local server that moved
to another port, or was started again). Returns the base URL."""


class Client(GroupCalls, MessageOps):
    def __init__(
        self,
        server_url: str,
        data_dir: Path,
        *,
        device_name: str = "",
        platform: str = "",
        http_transport: httpx.AsyncBaseTransport | None = None,
        backoff: BackoffFactory = Backoff,
        clock: Clock = system_clock,
        request_timeout: float = 15.0,
        sync_timeout: float = 30.0,
        server_resolver: ServerResolver | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.server_resolver = server_resolver  # may be set until sign-in
        self.data_dir = Path(data_dir)
        self.device_name = device_name
        self.platform = platform
        self._http_transport = http_transport
        self._backoff = backoff
        self._clock = clock
        self._request_timeout = request_timeout
        self._sync_timeout = sync_timeout
        self._bus = EventBus()
        self._rest: RestTransport | None = None
        self._account: Account | None = None
        self._device_id = ""
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._closed:
            raise errors.ClientClosed("this client was closed")
        if self._rest is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._device_id = _device_id(self.data_dir / "device_id")
        self._rest = RestTransport(
            self.server_url, transport=self._http_transport, timeout=self._request_timeout
        )
        self._rest.on_auth_failure = self._on_rest_auth_failure

    async def aclose(self) -> None:
        """Disconnect and close the store; the session stays valid for ``resume``."""
        self._closed = True
        await self._end_account()
        if self._rest is not None:
            await self._rest.aclose()
            self._rest = None

    async def __aenter__(self) -> Client:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- properties ------------------------------------------------------------------------------
    @property
    def device_id(self) -> str:
        return self._device_id

    @property
    def user_id(self) -> str | None:
        return self._account.user_id if self._account else None

    @property
    def session_token(self) -> str | None:
        account = self._account
        return account.token if account is not None and not account.ended else None

    @property
    def connection_state(self) -> ConnectionState:
        account = self._account
        if account is None:
            return ConnectionState.OFFLINE
        if not account.started and not account.ended:
            return ConnectionState.CONNECTING  # resumed with connect=False: connect() is next
        return account.realtime.state

    def connect(self) -> None:
        """Start the network side of a session resumed with ``connect=False``: the realtime
        connection, the outbox and the transfers (nothing happens if they run already)."""
        if self._account is not None and not self._account.ended:
            self._account.start()

    @property
    def limits(self) -> Limits | None:
        return self._account.limits if self._account else None

    def reconnect_now(self) -> None:
        """Retry the connection at once (e.g. the network came back) instead of after backoff."""
        if self._account is not None:
            self._account.realtime.reconnect_now()

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call ``handler`` with every event (on the event loop); returns the unsubscriber."""
        return self._bus.subscribe(handler)

    # -- accounts and sessions -------------------------------------------------------------------
    async def register(self, user_id: str, password: str, nickname: str = "") -> Profile:
        body = RegisterRequest(user_id=check_user_id(user_id), password=password, nickname=nickname)
        profile: Profile = await self._http().call("register", body=body)
        return profile

    async def password_usersig(self, user_id: str, password: str) -> UserSigResponse:
        body = PasswordLoginRequest(user_id=check_user_id(user_id), password=password)
        answer: UserSigResponse = await self._http().call("password_login", body=body)
        return answer

    async def login(
        self, user_id: str, user_sig: str, *, usersig_provider: UserSigProvider | None = None
    ) -> None:
        """Sign this device in; returns once the first sync is done."""
        rest = self._http()
        await self._end_account()
        request = LoginRequest(
            user_id=check_user_id(user_id),
            user_sig=user_sig,
            device_id=self._device_id,
            device_name=self.device_name,
            platform=self.platform,
        )
        answer: LoginResponse = await rest.call("login", body=request)
        account = await self._open_account(
            answer.user_id, answer.session_token, answer.limits, usersig_provider
        )
        try:
            async with asyncio.timeout(self._sync_timeout):  # not wait_for (realtime._greet)
                await account.realtime.wait_synced()
        except TimeoutError:
            await self._end_account()
            raise errors.RequestTimeout("the first sync did not finish in time") from None
        except BaseException:
            await self._end_account()
            raise

    async def login_with_password(self, user_id: str, password: str) -> None:
        """Sign in with a password account; the session is renewed with the same password."""
        first = await self.password_usersig(user_id, password)

        async def fresh_usersig() -> str:
            return (await self.password_usersig(user_id, password)).user_sig

        await self.login(user_id, first.user_sig, usersig_provider=fresh_usersig)

    async def resume(
        self,
        user_id: str,
        session_token: str,
        *,
        usersig_provider: UserSigProvider | None = None,
        connect: bool = True,
    ) -> None:
        """Start from the store at once (offline-ready) and connect in the background; with
        ``connect=False`` nothing goes over the network until ``connect()`` (an app paints
        its window from the store first)."""
        self._http()
        await self._end_account()
        await self._open_account(
            check_user_id(user_id), session_token, None, usersig_provider, connect=connect
        )

    async def logout(self) -> None:
        """End this device's session on the server (best effort) and disconnect."""
        account = self._account
        if account is None:
            return
        await account.realtime.aclose()
        was_ended, account.ended = account.ended, True  # our own sign-out is not a kick
        if not was_ended:
            try:
                await self._http().call("logout")
            except errors.MessengerError as exc:
                log.info("signing out on the server failed: %r", exc)
        await account.store.save_session(None)
        await self._end_account()

    async def _open_account(
        self,
        user_id: str,
        token: str,
        limits: Limits | None,
        usersig_provider: UserSigProvider | None,
        *,
        connect: bool = True,
    ) -> Account:
        store = Store(self._store_path(user_id), user_id)
        await store.open()
        try:
            limits = limits or await store.limits() or Limits()
            await store.save_session(token, limits)
        except BaseException:
            await store.aclose()
            raise
        rest = self._http()
        rest.token = token
        account = Account(
            user_id=user_id,
            token=token,
            limits=limits,
            store=store,
            rest=rest,
            bus=self._bus,
            ws_url=websocket_url(self.server_url),
            backoff=self._backoff,
            clock=self._clock,
            usersig_provider=usersig_provider,
            relocate=self._relocate if self.server_resolver is not None else None,
            avatar_dir=self.data_dir / "avatars",
        )
        self._account = account
        await account.restore_order()
        if connect:
            account.start()
        return account

    async def _end_account(self) -> None:
        account, self._account = self._account, None
        if self._rest is not None:
            self._rest.token = None
        if account is not None:
            await account.aclose()

    async def _relocate(self) -> str | None:
        """The connection failed: ask where the server is now; its WebSocket URL if it moved."""
        if self.server_resolver is None:
            return None
        try:
            url = (await self.server_resolver()).rstrip("/")
        except Exception as exc:  # noqa: BLE001 - the backoff goes on; try again next time
            log.info("finding the server failed: %r", exc)
            return None
        if url == self.server_url:
            return None
        log.info("the server moved: %s -> %s", self.server_url, url)
        self.server_url = url
        if self._rest is not None:
            self._rest.base_url = url
        return websocket_url(url)

    def _on_rest_auth_failure(self, error: errors.AuthError) -> None:
        if isinstance(error, errors.SessionInvalid) and self._account is not None:
            self._account.end_session(error.name, error.message)

    def _store_path(self, user_id: str) -> Path:
        # IDs differing only in case must not share a file on case-insensitive file systems.
        digest = hashlib.sha256(user_id.encode()).hexdigest()[:10]
        return self.data_dir / "accounts" / f"{user_id}.{digest}" / "messages.sqlite3"

    def _http(self) -> RestTransport:
        if self._rest is None:
            raise errors.ClientClosed("closed" if self._closed else "call start() first")
        return self._rest

    def _signed_in(self) -> Account:
        if self._account is None:
            if self._closed:
                raise errors.ClientClosed("this client was closed")
            raise errors.NotLoggedIn("sign in first")
        return self._account

    # -- conversations ---------------------------------------------------------------------------
    async def conversations(self) -> list[Conversation]:
        """Visible conversations: pinned first (latest pin first), then by last activity."""
        return await self._signed_in().store.conversations()

    async def conversation(self, conversation_id: str) -> Conversation | None:
        return await self._signed_in().store.conversation(conversation_id)

    async def total_unread(self) -> int:
        return await self._signed_in().store.total_unread()

    async def mark_read(self, conversation_id: str, seq: int | None = None) -> None:
        await self._signed_in().conversations.mark_read(conversation_id, seq)

    async def pin(self, conversation_id: str, pinned: bool = True) -> None:
        await self._signed_in().conversations.pin(conversation_id, pinned)

    async def set_remind(self, conversation_id: str, remind: RemindType) -> None:
        await self._signed_in().conversations.set_remind(conversation_id, remind)

    async def mark_unread(self, conversation_id: str, unread: bool = True) -> None:
        await self._signed_in().conversations.mark_unread(conversation_id, unread)

    async def hide(self, conversation_id: str) -> None:
        await self._signed_in().conversations.hide(conversation_id)

    async def clear_history(self, conversation_id: str) -> None:
        await self._signed_in().conversations.clear_history(conversation_id)

    async def set_draft(self, conversation_id: str, text: str) -> None:
        parse_conversation_id(conversation_id)
        await self._signed_in().conversations.set_draft(conversation_id, text)

    async def draft(self, conversation_id: str) -> str:
        return await self._signed_in().conversations.draft(conversation_id)

    # -- messages --------------------------------------------------------------------------------
    async def send_text(
        self,
        conversation_id: str,
        text: str,
        *,
        mentions: Sequence[str] = (),
        mention_all: bool = False,
        reply_to: LocalMessage | None = None,
        priority: Priority = Priority.NORMAL,
    ) -> LocalMessage:
        """Queue a text message; it shows at once (SENDING) and is delivered when connected."""
        return await self.send_body(
            conversation_id,
            TextBody(text=text),
            mentions=mentions,
            mention_all=mention_all,
            reply_to=reply_to,
            priority=priority,
        )

    async def send_custom(
        self,
        conversation_id: str,
        data: str,
        description: str = "",
        extension: str = "",
        *,
        priority: Priority = Priority.NORMAL,
    ) -> LocalMessage:
        body = CustomBody(data=data, description=description, extension=extension)
        return await self.send_body(conversation_id, body, priority=priority)

    async def send_body(
        self,
        conversation_id: str,
        body: Body,
        *,
        mentions: Sequence[str] = (),
        mention_all: bool = False,
        reply_to: LocalMessage | None = None,
        priority: Priority = Priority.NORMAL,
    ) -> LocalMessage:
        """Queue a message of any sendable kind (the body's type says which)."""
        kind, fields = body_fields(body)
        request = SendRequest(
            client_msg_id=new_client_msg_id(),
            kind=kind,
            body=fields,
            mentions=list(mentions),
            mention_all=mention_all,
            reply_to=_reply_ref(reply_to),
            priority=priority,
        )
        return await self._signed_in().outbox.send(conversation_id, request)

    async def send_file(
        self,
        conversation_id: str,
        path: Path,
        *,
        kind: str = MessageKind.FILE,
        original: bool = False,
        duration_ms: int = 0,
        peaks: Sequence[int] = (),
        width: int = 0,
        height: int = 0,
        name: str | None = None,
        reply_to: LocalMessage | None = None,
        thumbnail: Path | None = None,
    ) -> LocalMessage:
        """Queue a file as an image, file, voice or video message. The bubble shows at once with
        its final size (hash, dimensions and a thumbnail are made here first); the file uploads
        in the background (``transfers``) and the message is sent when it is complete, after any
        message written meanwhile. Voice and video durations (and a video's size) come from the
        caller, who recorded or probed them."""
        account = self._signed_in()
        path = Path(path)
        facts = await asyncio.to_thread(file_facts, path)
        cache = account.transfers.cache
        shown = name if name is not None else path.name
        body: Body
        if kind == MessageKind.IMAGE:
            thumb = cache.partial(facts.sha256, "small")
            width, height = await asyncio.to_thread(image_facts, path, thumb)
            if thumb.exists():
                cache.commit(thumb, facts.sha256, "small")
            body = ImageBody(
                media_id=facts.sha256,
                size=facts.size,
                width=max(width, 1),
                height=max(height, 1),
                mime=facts.mime,
                name=shown,
                original=original,
            )
        elif kind == MessageKind.VOICE:
            body = VoiceBody(
                media_id=facts.sha256,
                size=facts.size,
                duration_ms=duration_ms,
                mime=facts.mime,
                peaks=list(peaks),
            )
        elif kind == MessageKind.VIDEO:
            thumb_id = await self._video_frame(account, facts.sha256, thumbnail)
            body = VideoBody(
                media_id=facts.sha256,
                size=facts.size,
                duration_ms=duration_ms,
                width=max(width, 1),
                height=max(height, 1),
                mime=facts.mime,
                name=shown,
                thumb_media_id=thumb_id,
            )
        else:
            body = FileBody(media_id=facts.sha256, name=shown, size=facts.size, mime=facts.mime)
        kind_name, fields = body_fields(body)
        request = SendRequest(
            client_msg_id=new_client_msg_id(),
            kind=kind_name,
            body=fields,
            reply_to=_reply_ref(reply_to),
        )
        echo = await account.outbox.send(conversation_id, request, held=True)
        account.in_order.add(conversation_id, request.client_msg_id)
        await asyncio.to_thread(cache.adopt, path, facts.sha256)
        account.transfers.upload(
            path,
            media_id=facts.sha256,
            size=facts.size,
            kind=kind_name,
            conversation_id=conversation_id,
            client_msg_id=request.client_msg_id,
        )
        return echo

    async def _video_frame(self, account: Account, video_id: str, frame: Path | None) -> str:
        """A video's preview frame (a picture the caller took from it): shown in my bubble at
        once (cached as the video's small thumbnail) and uploaded now, so the message can name
        it; "" (no frame, the message still goes) if there is none or it cannot be uploaded."""
        if frame is None:
            return ""
        cache = account.transfers.cache
        try:
            frame_facts = await asyncio.to_thread(file_facts, frame)
            small = cache.partial(video_id, "small")
            await asyncio.to_thread(image_facts, frame, small)
            if small.exists():
                cache.commit(small, video_id, "small")
            await account.transfers.upload_now(
                frame, media_id=frame_facts.sha256, size=frame_facts.size, kind=MessageKind.IMAGE
            )
        except (errors.MessengerError, OSError) as exc:
            log.info("video sent without its preview frame: %r", exc)
            return ""
        return frame_facts.sha256

    async def send_data(
        self, conversation_id: str, data: bytes, name: str, *, kind: str = MessageKind.IMAGE
    ) -> LocalMessage:
        """Send bytes that are not a file yet (a pasted screenshot): they are kept in the
        account's folder first, so the upload can continue after a restart."""
        folder = self._signed_in().transfers.cache.root / "outgoing"
        digest = hashlib.sha256(data).hexdigest()
        path = folder / digest
        await asyncio.to_thread(_write_once, path, data)
        return await self.send_file(conversation_id, path, kind=kind, name=name)

    @property
    def transfers(self) -> TransferService:
        """Uploads and downloads of the signed-in account: progress, pause, resume, cancel."""
        return self._signed_in().transfers

    async def download(self, message: LocalMessage, variant: str = "") -> Path:
        """The file (``variant`` ""), or an image's ``small`` / ``large`` thumbnail, of a message:
        from the local cache, else downloaded into it."""
        content = message.content
        media_id = getattr(content, "media_id", "")
        if not media_id or message.recalled:
            raise errors.MediaNotFound("this message has no file")
        size = int(getattr(content, "size", 0)) if not variant else 0
        if isinstance(content, VideoBody) and variant:  # a video's pictures are its frame's
            cached = self._signed_in().transfers.cache.get(media_id, variant)
            if cached is not None or not content.thumb_media_id:
                if cached is None:
                    raise errors.MediaNotFound("this video has no preview frame")
                return cached
            media_id = content.thumb_media_id
        return await self._signed_in().transfers.download(
            media_id, message.conversation_id, message.via or message.message_id, size, variant
        )

    async def save_file(self, message: LocalMessage, target: Path) -> Path:
        """Download the message's file (if not cached) and copy it to ``target``, the place the
        user chose."""
        source = await self.download(message)
        try:
            return await asyncio.to_thread(saving.copy_to, source, Path(target))
        except OSError as exc:
            raise errors.ClientError(f"cannot save the file: {exc.strerror or exc}") from exc

    async def export_file(self, message: LocalMessage, folder: Path) -> Path:
        """Download the message's file (if not cached) and put a copy in ``folder`` under the
        sender's name made safe (never a path from the message), for opening or showing."""
        source = await self.download(message)
        content = message.content
        name = str(getattr(content, "name", "") or "")
        fallback = str(getattr(content, "media_id", ""))[:12] or "file"
        try:
            return await asyncio.to_thread(saving.export, source, Path(folder), name, fallback)
        except OSError as exc:
            raise errors.ClientError(f"cannot save the file: {exc.strerror or exc}") from exc

    async def cache_usage(self) -> CacheUsage:
        return await asyncio.to_thread(self._signed_in().transfers.cache.usage)

    async def clear_cache(self) -> int:
        """Empty the local media cache; returns the bytes freed."""
        return await asyncio.to_thread(self._signed_in().transfers.cache.clear)

    async def set_media_cache_limit(self, limit: int) -> int:
        """Keep at most ``limit`` bytes of downloaded files (least recently used out first);
        returns the bytes freed now."""
        cache = self._signed_in().transfers.cache
        cache.limit = max(0, limit)
        return await asyncio.to_thread(cache.trim)

    async def send_online(self, conversation_id: str, body: TextBody | CustomBody) -> None:
        """An online-only message: to the recipients' connected devices, never stored."""
        account = self._signed_in()
        kind, fields = body_fields(body)
        request = SendRequest(
            client_msg_id=new_client_msg_id(),
            kind=kind,
            body=fields,
            online_only=True,
        )
        validate_send(request, account.limits, parse_conversation_id(conversation_id).type)
        if account.realtime.connected:
            try:
                await account.realtime.send_message(conversation_id, request)
                return
            except errors.NetworkError:
                pass
        path = {"conversation_id": conversation_id}
        await self._http().call("send", path=path, body=request)

    async def resend(self, client_msg_id: str) -> LocalMessage:
        """Send a failed message again. A file message whose upload failed or was cancelled
        uploads again first (from my copy in the media cache)."""
        account = self._signed_in()
        again = await account.upload_again(client_msg_id)
        return again if again is not None else await account.outbox.resend(client_msg_id)

    async def recall(self, conversation_id: str, message_id: str) -> LocalMessage:
        return await self._signed_in().history.recall(conversation_id, message_id)

    async def messages(
        self, conversation_id: str, *, before_seq: int | None = None, limit: int = 50
    ) -> list[LocalMessage]:
        """Ascending by seq; cache first, holes filled from the server; my unsent ones last."""
        history = self._signed_in().history
        return await history.messages(conversation_id, before_seq=before_seq, limit=limit)

    async def neighbour_message(
        self, conversation_id: str, seq: int, kind: HistoryKind, *, older: bool
    ) -> LocalMessage | None:
        """The nearest message of ``kind`` (say "image") before (``older``) or after ``seq``,
        not recalled: from the server (stored on the way), else from the cache."""
        history = self._signed_in().history
        return await history.neighbour(conversation_id, seq, kind, older=older)

    async def unsent_messages(self, conversation_id: str) -> list[LocalMessage]:
        """My messages of the conversation still sending or failed, oldest first (the ones
        ``messages()`` appends after the latest page)."""
        return await self._signed_in().store.unsent_messages(conversation_id)

    async def message_window(
        self, conversation_id: str, seq: int = 0, *, above: int = 0, below: int = 50
    ) -> tuple[list[LocalMessage], bool]:
        """What a chat opens with: the latest ``below`` messages (``seq`` 0), or up to ``above``
        before ``seq`` and ``below`` from it; and whether they reach the latest (my unsent ones
        then follow). One read of the cache when it has them, else as ``messages``."""
        history = self._signed_in().history
        return await history.window(conversation_id, seq, above=above, below=below)

    async def newer_messages(
        self, conversation_id: str, after_seq: int, limit: int = 50
    ) -> list[LocalMessage]:
        history = self._signed_in().history
        return await history.newer_messages(conversation_id, after_seq, limit=limit)

    async def typing(self, conversation_id: str, typing: bool = True) -> None:
        account = self._signed_in()
        if account.realtime.connected:
            try:
                await account.realtime.typing(conversation_id, typing)
                return
            except errors.NetworkError:
                pass
        path = {"conversation_id": conversation_id}
        await self._http().call("typing", path=path, body=TypingRequest(typing=typing))

    async def search(
        self,
        query: str,
        *,
        conversation_id: str | None = None,
        sender: str | None = None,
        kind: SearchKind = "",
        since: int | None = None,
        until: int | None = None,
        by_relevance: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> list[LocalMessage]:
        """Full-text search of the cached history (Chinese included): every word of ``query``
        (each a prefix), filtered by conversation, sender, kind (``text``, ``file`` names,
        ``link``) and time (``since`` ≤ time < ``until``, ms); newest first, or best first."""
        filters = SearchFilters(conversation_id, sender, kind, since, until)
        return await self._signed_in().search.local(
            query, filters, by_relevance=by_relevance, offset=offset, limit=limit
        )

    async def search_conversations(
        self, query: str, filters: SearchFilters | None = None, *, limit: int = 50
    ) -> list[SearchGroup]:
        """The cached conversations with messages found by ``query``: each with how many and
        its newest one (global search's "messages grouped by chat")."""
        search = self._signed_in().search
        return await search.local_conversations(query, filters or SearchFilters(), limit=limit)

    async def search_server(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        by_relevance: bool = False,
        offset: int = 0,
        limit: int = 20,
    ) -> ServerResults:
        """The same search on the server, over the history this device never downloaded too
        (only conversations I may read)."""
        return await self._signed_in().search.server(
            query, filters or SearchFilters(), by_relevance=by_relevance, offset=offset, limit=limit
        )

    async def first_seq_since(self, conversation_id: str, time_ms: int) -> int | None:
        """The seq of the first message at or after ``time_ms`` (jump to a date); ``None`` when
        there is none that new."""
        return await self._signed_in().history.first_seq_since(conversation_id, time_ms)

    async def receipts(self, conversation_id: str, seqs: Sequence[int]) -> list[ReceiptCount]:
        answer = await self._signed_in().history.receipts(conversation_id, list(seqs))
        return list(answer.receipts)

    async def readers(self, conversation_id: str, seq: int) -> ReaderList:
        self._signed_in()
        path = {"conversation_id": conversation_id, "seq": seq}
        readers: ReaderList = await self._http().call("readers", path=path)
        return readers

    # -- other users -----------------------------------------------------------------------------
    async def cached_profiles(self, user_ids: Sequence[str]) -> dict[str, Profile]:
        """The profiles this device has stored (instant, offline); unknown users left out."""
        return await self._signed_in().profiles.cached(user_ids)

    async def fetch_profiles(
        self, user_ids: Sequence[str], *, max_age_ms: int | None = None
    ) -> dict[str, Profile]:
        """Profiles from the server, stored for next time (``ProfilesChanged`` tells which
        nicknames changed); those fetched within ``max_age_ms`` come from the store."""
        return await self._signed_in().profiles.fetch(user_ids, max_age_ms=max_age_ms)

    # -- my profile and presence ------------------------------------------------------------------
    async def my_profile(self) -> Profile:
        """My profile as last synced (instant, offline)."""
        return await self._signed_in().people.me()

    async def update_profile(
        self,
        *,
        nickname: str | None = None,
        avatar: str | None = None,
        gender: Gender | None = None,
        birthday: int | None = None,
        location: str | None = None,
        signature: str | None = None,
        language: str | None = None,
        allow_type: AllowType | None = None,
        hide_last_seen: bool | None = None,
        custom: dict[str, str] | None = None,
    ) -> Profile:
        """Change the given fields of my profile; my other devices and my friends see it."""
        update = ProfileUpdate(
            nickname=nickname,
            avatar=avatar,
            gender=gender,
            birthday=birthday,
            location=location,
            signature=signature,
            language=language,
            allow_type=allow_type,
            hide_last_seen=hide_last_seen,
            custom=custom,
        )
        return await self._signed_in().people.update_profile(update)

    async def upload_avatar(self, image: bytes) -> str:
        """Upload an image (any common format); returns the avatar ID to put in a profile."""
        return await self._signed_in().people.upload_avatar(image)

    async def avatar(self, avatar_id: str) -> bytes:
        """The PNG of an avatar (cached on disk after the first fetch)."""
        return await self._signed_in().people.avatar(avatar_id)

    async def set_status_text(self, text: str) -> None:
        await self._signed_in().people.set_status_text(text)

    async def presence(self, user_ids: Sequence[str]) -> list[UserStatus]:
        """Online state, last seen and status text (live changes come as ``PresenceChanged``)."""
        return await self._signed_in().people.presence(user_ids)

    async def search_users(self, query: str, offset: int = 0, limit: int = 20) -> UserPage:
        """Users by exact ID or nickname (prefix first, then contains), from the server."""
        return await self._signed_in().people.search(query, offset, limit)

    async def stored_profiles(self, user_ids: Sequence[str]) -> dict[str, Profile]:
        """Full stored profiles (avatar, signature ...) of the users this device knows."""
        return await self._signed_in().people.profiles(user_ids)

    # -- friends ---------------------------------------------------------------------------------
    async def friends(self) -> list[Friend]:
        return await self._signed_in().people.friends()

    async def friend_requests(self) -> list[FriendRequest]:
        """Pending requests, incoming (``receiver`` is me) and outgoing, newest first."""
        return await self._signed_in().people.requests()

    async def friend_groups(self) -> list[str]:
        return await self._signed_in().people.groups()

    async def blocked_users(self) -> list[str]:
        return await self._signed_in().people.blocked()

    async def remarks(self) -> dict[str, str]:
        """My remarks for my friends (``user_id → remark``), the name shown before nicknames."""
        return await self._signed_in().people.remarks()

    async def add_friend(
        self,
        user_id: str,
        *,
        note: str = "",
        remark: str = "",
        group: str = "",
        source: str = "",
        both: bool = True,
    ) -> str:
        """Returns "added" (their policy is "anyone") or "pending" (a request waits)."""
        req = AddFriendRequest(
            user_id=user_id, note=note, remark=remark, group=group, source=source, both=both
        )
        return await self._signed_in().people.add_friend(req)

    async def accept_friend_request(
        self, sender: str, *, remark: str = "", group: str = "", both: bool = True
    ) -> Relation:
        req = AcceptRequest(remark=remark, group=group, both=both)
        return await self._signed_in().people.accept(sender, req)

    async def refuse_friend_request(self, sender: str) -> None:
        await self._signed_in().people.refuse(sender)

    async def delete_friend_request(self, other: str) -> None:
        """Withdraw my request to ``other`` or dismiss theirs, without telling them."""
        await self._signed_in().people.delete_request(other)

    async def mark_friend_requests_read(self) -> None:
        await self._signed_in().people.read_requests()

    async def set_friend_remark(self, user_id: str, remark: str) -> Friend:
        return await self._signed_in().people.update_friend(user_id, FriendUpdate(remark=remark))

    async def set_friend_groups(self, user_id: str, groups: Sequence[str]) -> Friend:
        update = FriendUpdate(groups=list(groups))
        return await self._signed_in().people.update_friend(user_id, update)

    async def delete_friend(self, user_id: str, *, both: bool = True) -> None:
        await self._signed_in().people.delete_friend(user_id, both)

    async def relation(self, user_id: str) -> Relation:
        return await self._signed_in().people.relation(user_id)

    async def create_friend_group(self, name: str, user_ids: Sequence[str] = ()) -> None:
        await self._signed_in().people.create_group(name, user_ids)

    async def edit_friend_group(
        self,
        name: str,
        *,
        new_name: str | None = None,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
    ) -> None:
        edit = FriendGroupEdit(new_name=new_name, add=list(add), remove=list(remove))
        await self._signed_in().people.edit_group(name, edit)

    async def delete_friend_group(self, name: str) -> None:
        await self._signed_in().people.delete_group(name)

    async def block(self, user_id: str) -> None:
        await self._signed_in().people.set_blocked(user_id, True)

    async def unblock(self, user_id: str) -> None:
        await self._signed_in().people.set_blocked(user_id, False)

    # -- groups ----------------------------------------------------------------------------------
    async def create_group(
        self,
        name: str,
        members: Sequence[str] = (),
        *,
        group_id: str | None = None,
        type: GroupType = GroupType.WORK,
        introduction: str = "",
        notification: str = "",
        avatar: str = "",
        join_option: JoinOption | None = None,
        admins: Sequence[str] = (),
    ) -> GroupInfo:
        """``admins``: initial members who start as admins (in types that have admins)."""
        self._signed_in()
        body = CreateGroupRequest(
            name=name,
            group_id=group_id,
            type=type,
            members=[u for u in members if u not in admins],
            member_list=[InitialMember(user_id=u, role=GroupRole.ADMIN) for u in admins],
            introduction=introduction,
            notification=notification,
            avatar=avatar,
            join_option=join_option,
        )
        group: GroupInfo = await self._http().call("create_group", body=body)
        return group

    async def add_members(self, group_id: str, user_ids: Sequence[str]) -> GroupInfo:
        self._signed_in()
        body = AddMembersRequest(user_ids=list(user_ids))
        group: GroupInfo = await self._http().call(
            "add_members", path={"group_id": group_id}, body=body
        )
        return group

    async def members(self, group_id: str, offset: int = 0, limit: int = 100) -> MemberPage:
        self._signed_in()
        page: MemberPage = await self._http().call(
            "list_members",
            path={"group_id": group_id},
            query=MembersQuery(offset=offset, limit=limit),
        )
        return page

    async def stored_groups(self) -> list[GroupInfo]:
        """The groups I am in, from this device's store (offline too; kept by sync)."""
        return await self._signed_in().store.groups()

    async def groups(self) -> list[GroupInfo]:
        self._signed_in()
        answer: GroupList = await self._http().call("my_groups")
        return list(answer.groups)

    async def group(self, group_id: str) -> GroupInfo:
        self._signed_in()
        group: GroupInfo = await self._http().call("get_group", path={"group_id": group_id})
        return group

    # -- what the message operations (``MessageOps``) use ---------------------------------------------
    async def _op_call(self, name: str, body: Any = None, query: Any = None, **path: str) -> Any:
        self._signed_in()
        return await self._http().call(name, path=path or None, body=body, query=query)

    def _op_store(self) -> Store:
        return self._signed_in().store

    async def _op_send(self, conversation_id: str, request: SendRequest) -> LocalMessage:
        return await self._signed_in().outbox.send(conversation_id, request)

    def _op_publish(self, delta: StoreDelta) -> None:
        delta.publish(self._bus)

    async def _group_call(self, name: str, group_id: str, body: Any = None, **path: str) -> Any:
        self._signed_in()
        return await self._http().call(name, path={"group_id": group_id, **path}, body=body)


def _device_id(path: Path) -> str:
    """This data directory's device ID: made once, kept across restarts."""
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    value = uuid.uuid4().hex
    path.write_text(value + "\n", encoding="utf-8")
    return value


def _reply_ref(message: LocalMessage | None) -> ReplyRef | None:
    if message is None:
        return None
    if not message.message_id:
        raise errors.InvalidParameter("only a sent message can be replied to", field="reply_to")
    spec = spec_of(message.kind)
    label = spec.label if spec is not None and spec.label else UNSUPPORTED_LABEL
    preview = message.text[:_PREVIEW_CHARS] if message.text else label
    return ReplyRef(
        message_id=message.message_id, seq=message.seq, sender=message.sender, preview=preview
    )


def _write_once(path: Path, data: bytes) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
