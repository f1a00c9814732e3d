"""Sending, recalling, paging and typing: the message rules, enforced whatever the caller."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from messenger.protocol.api import MessageSearchQuery
from messenger.protocol.bodies import MergedBody
from messenger.protocol.errors import (
    BlockedByPeer,
    ConversationNotFound,
    InvalidParameter,
    MessageNotFound,
    Muted,
    PermissionDenied,
)
from messenger.protocol.fulltext import search_expression
from messenger.protocol.ids import ConversationType, check_user_id
from messenger.protocol.kinds import MEDIA_KINDS, SENDABLE_KINDS, body_fields
from messenger.protocol.models import (
    Limits,
    Message,
    MessagePage,
    SearchPage,
    SendRequest,
)
from messenger.protocol.validation import validate_send
from messenger.server.hub import Connection
from messenger.server.media.service import MediaService, media_ids_of
from messenger.server.services.blocks import BlockIndex
from messenger.server.services.bundles import Bundles
from messenger.server.services.callbacks import AFTER_SEND, BEFORE_SEND, Callbacks
from messenger.server.services.directory import ConvRef, Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.mentions import check_group_mentions
from messenger.server.services.ratelimit import RateLimiter
from messenger.server.services.receipts import MANAGERS, ReadReceipts
from messenger.server.storage.base import Storage
from messenger.server.storage.records import (
    ConversationMembers,
    MemberInfo,
    NewMessage,
    RecallOutcome,
    RecallRequest,
    SearchFilter,
    StoredMessage,
)

log = logging.getLogger(__name__)

TYPING_MAX_MEMBERS = 200
_CONV_TYPES = {t.value: t for t in ConversationType}


class _RandomHex:
    """Random hex digits from the OS's CSPRNG, drawn 4 KB at a time: one system call per 680
    message IDs instead of one per ID (``os.urandom`` was 7 % of the send path)."""

    def __init__(self, chunk: int = 4096) -> None:
        self._chunk = chunk
        self._buf = ""
        self._pos = 0

    def take(self, digits: int) -> str:
        end = self._pos + digits
        if end > len(self._buf):
            self._buf, self._pos, end = secrets.token_hex(self._chunk), 0, digits
        out = self._buf[self._pos : end]
        self._pos = end
        return out


_random_hex = _RandomHex()


def new_message_id() -> str:
    """Time-ordered and unguessable: 11 hex digits of milliseconds and 12 random ones."""
    return f"{int(time.time() * 1000):011x}{_random_hex.take(12)}"


def _send_payload(sender: str, conv: ConvRef, req: SendRequest, body: Any) -> dict[str, Any]:
    """What the ``before_send`` callback is asked about."""
    return {
        "sender": sender,
        "conv_type": conv.kind,
        "to": conv.target,
        "client_msg_id": req.client_msg_id,
        "kind": req.kind,
        "body": body_fields(body)[1],
        "mentions": list(req.mentions),
        "mention_all": req.mention_all,
        "online_only": req.online_only,
    }


def _sent_payload(conv: ConvRef, message: Message) -> dict[str, Any]:
    """What the ``after_send`` callback is told: the message as stored (``seq`` 0 if sent
    online only)."""
    return {"conv_type": conv.kind, "to": conv.target, "message": msgspec.to_builtins(message)}


class MessagingService:
    def __init__(
        self,
        *,
        storage: Storage,
        directory: Directory,
        fanout: Fanout,
        limiter: RateLimiter,
        limits: Limits,
        receipts: ReadReceipts,
        on_sent: Callable[[StoredMessage], None] | None = None,
        blocks: BlockIndex | None = None,
        media: MediaService | None = None,
        callbacks: Callbacks | None = None,
        bundles: Bundles | None = None,
    ) -> None:
        self._media = media
        self._callbacks = callbacks
        self._bundles = bundles
        self._receipts = receipts
        self._blocks = blocks
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._limiter = limiter
        self._limits = limits
        self._on_sent = on_sent

    # -- send --------------------------------------------------------------------------------------
    async def send(
        self,
        sender: str,
        conversation_id: str,
        req: SendRequest,
        origin: Connection | None = None,
    ) -> Message:
        return (await (await self.submit(sender, conversation_id, req, origin))).message

    async def submit(
        self,
        sender: str,
        conversation_id: str,
        req: SendRequest,
        origin: Connection | None = None,
    ) -> Awaitable[StoredMessage]:
        """Check and queue a message; the returned future gives it once it is durable (its
        ``message``). Messages queued by successive calls are stored in call order.

        The common case (a conversation, its members and the peer already cached) awaits
        nothing before the write is queued."""
        directory = self._directory
        conv = directory.resolve_cached(sender, conversation_id)
        if conv is None:
            conv = await directory.resolve(sender, conversation_id)
        if conv.kind == "system":
            raise PermissionDenied("the system conversation is read-only")
        conv_type = _CONV_TYPES[conv.kind]
        forwarded = req.forward is not None
        if forwarded:
            await self._copy_forwarded(sender, req)
        body = validate_send(req, self._limits, conv_type)
        if isinstance(body, MergedBody) and not forwarded:
            if self._bundles is None:
                raise InvalidParameter("merged forwards cannot be sent here", field="kind")
            body = await self._bundles.card(sender, body)
        if conv.kind == "c2c":
            if not directory.knows_user(conv.target):
                await directory.require_user(conv.target)
            if self._blocks is not None and conv.target != sender:
                blocked = self._blocks.cached(conv.target)
                if blocked is None:
                    blocked = await self._blocks.blocked_by(conv.target)
                if sender in blocked:
                    raise BlockedByPeer("this user has blocked you", user_id=conv.target)
        else:
            info = await self._directory.require_member(conv, sender)
            await self._check_not_muted(conv, info)
            await check_group_mentions(self._directory, conv, info, req.mentions, req.mention_all)
        limiter = self._limiter
        if limiter.shared is not None:  # several nodes: one budget for all of them
            group = conv.key if conv.kind == "group" else None
            await limiter.check_shared(sender, group, req.priority)
        else:
            limiter.check_sender(sender)
            if conv.kind == "group":
                limiter.check_group(conv.key, req.priority)
        if req.reply_to is not None:
            check_user_id(req.reply_to.sender)
            req.reply_to.preview = req.reply_to.preview[:200]
        callbacks = self._callbacks
        if callbacks is not None and callbacks.wants(BEFORE_SEND):
            await callbacks.before(BEFORE_SEND, _send_payload(sender, conv, req, body))
        message_id = new_message_id()
        media_ids: tuple[str, ...] = ()
        if req.kind in MEDIA_KINDS:
            if self._media is None or req.online_only:
                raise InvalidParameter("files cannot be sent here", field="kind")
            body = await self._media.attach(sender, body, seen=forwarded)
            media_ids = media_ids_of(body)
        req.body = body_fields(body)[1]  # stored as checked: unknown fields dropped
        # Who receives it is decided at commit (``_stored``), from the member cache; what is
        # known now is kept in case the cache has let go of the conversation by then.
        cached = directory.members_cached(conv.conv_id) if conv.conv_id is not None else None
        audience: list[str] | None = None
        if cached is None:
            audience = await directory.audience(conv, sender)
        if req.online_only:
            done: asyncio.Future[StoredMessage] = asyncio.get_running_loop().create_future()
            recipients = audience if cached is None else Fanout.audience(cached)
            assert recipients is not None
            online = self._send_online(sender, conv, req, message_id, recipients, origin)
            done.set_result(StoredMessage(conv.conv_id or 0, conv.kind, online, duplicate=False))
            return done
        new = NewMessage(
            conv_id=conv.conv_id,
            kind_of_conv=conv.kind,
            key=conv.key,
            sender=sender,
            client_msg_id=req.client_msg_id,
            kind=req.kind,
            body=req.body,
            mentions=list(req.mentions),
            mention_all=req.mention_all,
            reply_to=req.reply_to,
            message_id=message_id,
            forwarded=forwarded,
            media_ids=media_ids,
        )
        return self._storage.insert_message(
            new, on_commit=lambda s: self._stored(s, conv, audience, cached, origin)
        )

    async def _copy_forwarded(self, sender: str, req: SendRequest) -> None:
        """A forward takes the original's kind and body (its files are not uploaded again: the
        sender may pass on what they can see); mentions and the quote stay behind."""
        assert req.forward is not None
        original = await self.visible_message(
            sender, req.forward.conversation_id, req.forward.message_id
        )
        if original.recalled or original.deleted or original.kind not in SENDABLE_KINDS:
            raise MessageNotFound(
                "a recalled, deleted or event message cannot be forwarded",
                message_id=req.forward.message_id,
            )
        req.kind = original.kind
        req.body = dict(original.body)
        req.mentions = []
        req.mention_all = False
        req.reply_to = None

    async def _check_not_muted(self, conv: ConvRef, info: MemberInfo) -> None:
        """A muted member, or a plain member while the whole group is muted, may not send."""
        if info.mute_until and info.mute_until > time.time() * 1000:
            raise Muted("you are muted in this group", until=info.mute_until)
        if (
            info.role not in MANAGERS
            and conv.conv_id is not None
            and (await self._directory.members(conv.conv_id)).mute_all
        ):
            raise Muted("only the owner and admins may speak now", mute_all=True)

    def _stored(
        self,
        stored: StoredMessage,
        conv: ConvRef,
        audience: list[str] | None,
        cached: ConversationMembers | None,
        origin: Connection | None,
    ) -> None:
        """On commit, in commit order: push the new message to its audience."""
        if stored.duplicate:
            return
        if conv.conv_id is None:
            self._directory.remember_pair(conv.key, stored.conv_id)
        # Who receives it is decided now, at commit: a member added (or a conversation blocked)
        # between the request and the commit is already in the feed's view of this message.
        current = self._directory.audience_now(stored.conv_id)
        if current is None:  # (the cache let go of it meanwhile: what submit knew)
            if audience is not None:
                current = audience
            else:
                assert cached is not None
                current = Fanout.audience(cached)
        self._fanout.message(stored.message, current, origin)
        if self._callbacks is not None and self._callbacks.wants(AFTER_SEND):
            self._callbacks.after(AFTER_SEND, _sent_payload(conv, stored.message))
        if stored.sender_read is not None:
            self._receipts.read_done(stored.sender_read, stored.message.sender, None)
        if self._on_sent is not None:
            self._on_sent(stored)

    def _send_online(
        self,
        sender: str,
        conv: ConvRef,
        req: SendRequest,
        message_id: str,
        audience: list[str],
        origin: Connection | None,
    ) -> Message:
        message = Message(
            message_id=message_id,
            conv_type=conv.kind,
            target=conv.target,
            sender=sender,
            seq=0,
            client_msg_id=req.client_msg_id,
            time=int(time.time() * 1000),
            kind=req.kind,
            body=req.body,
            mentions=list(req.mentions),
            mention_all=req.mention_all,
        )
        self._fanout.online(message, audience, exclude=origin)
        if self._callbacks is not None and self._callbacks.wants(AFTER_SEND):
            self._callbacks.after(AFTER_SEND, _sent_payload(conv, message))
        return message

    # -- recall --------------------------------------------------------------------------------------
    async def recall(self, user_id: str, conversation_id: str, message_id: str) -> Message:
        conv = await self._directory.resolve(user_id, conversation_id)
        if conv.conv_id is None:
            raise ConversationNotFound("no such conversation")
        may_recall_others = False
        if conv.kind == "group":
            info = await self._directory.require_member(conv, user_id)
            may_recall_others = info.role in MANAGERS

        def recalled(outcome: RecallOutcome) -> None:
            if outcome.changed:
                self._fanout.message(outcome.message, outcome.viewers)

        request = RecallRequest(
            conv_id=conv.conv_id,
            kind=conv.kind,
            key=conv.key,
            message_id=message_id,
            by=user_id,
            window_ms=self._limits.recall_window_ms,
            may_recall_others=may_recall_others,
        )
        outcome = await self._storage.recall_message(request, on_commit=recalled)
        return outcome.message

    # -- history and receipts --------------------------------------------------------------------------

    async def history(
        self,
        user_id: str,
        conversation_id: str,
        *,
        before_seq: int | None,
        after_seq: int | None,
        limit: int,
        since_time: int | None = None,
        only_kind: str = "",
    ) -> MessagePage:
        if not 1 <= limit <= self._limits.history_page:
            raise InvalidParameter(f"limit must be 1–{self._limits.history_page}", field="limit")
        conv = await self._directory.readable(user_id, conversation_id)
        if conv.conv_id is None:
            return MessagePage(messages=[], has_more=False)
        if since_time is not None:
            first = await self._storage.first_seq_since(conv.conv_id, user_id, since_time)
            if first is None:
                return MessagePage(messages=[], has_more=False)
            before_seq, after_seq = None, first - 1
        messages, has_more = await self._storage.history(
            conv_id=conv.conv_id,
            kind=conv.kind,
            key=conv.key,
            user_id=user_id,
            before_seq=before_seq,
            after_seq=after_seq,
            limit=limit,
            only_kind=only_kind,
        )
        return MessagePage(messages=messages, has_more=has_more)

    async def search(self, user_id: str, query: MessageSearchQuery) -> SearchPage:
        """Messages matching ``query`` in the conversations ``user_id`` may read now (one of
        them when ``query.conversation_id`` names it: ``NotMember`` / ``ConversationNotFound``
        otherwise, as for its history)."""
        if search_expression(query.q) is None:
            raise InvalidParameter("the search has no word to look for", field="q")
        if query.until and query.until <= query.since:
            raise InvalidParameter("until must be after since", field="until")
        conv_id: int | None = None
        if query.conversation_id:
            conv = await self._directory.readable(user_id, query.conversation_id)
            if conv.conv_id is None:
                return SearchPage(hits=[], has_more=False)
            conv_id = conv.conv_id
        search_filter = SearchFilter(
            query=query.q,
            conv_id=conv_id,
            sender=query.sender,
            kind=query.kind,
            since=query.since,
            until=query.until,
            by_relevance=query.order == "relevance",
            offset=query.offset,
            limit=query.limit,
        )
        hits, has_more = await self._storage.search_messages(user_id, search_filter)
        return SearchPage(hits=hits, has_more=has_more)

    async def visible_message(self, user_id: str, conversation_id: str, message_id: str) -> Message:
        """A message of a conversation ``user_id`` may read, if it is in their history now (not
        before they joined, not cleared by them); else ``MessageNotFound``."""
        conv = await self._directory.readable(user_id, conversation_id)
        if conv.conv_id is None:
            raise MessageNotFound("no such message")
        message = await self._storage.message_by_id(conv.conv_id, message_id, conv.kind, conv.key)
        page, _ = await self._storage.history(
            conv_id=conv.conv_id,
            kind=conv.kind,
            key=conv.key,
            user_id=user_id,
            before_seq=None,
            after_seq=message.seq - 1,
            limit=1,
        )
        if not page or page[0].message_id != message_id:
            raise MessageNotFound("no such message")
        return page[0]

    # -- typing ----------------------------------------------------------------------------------------
    async def typing(self, user_id: str, conversation_id: str, typing: bool) -> None:
        """Tell the others (not those who blocked the conversation) that I am typing."""
        conv = await self._directory.resolve(user_id, conversation_id)
        if conv.kind == "system":
            return  # nobody to tell
        if conv.kind == "c2c":
            if self._blocks is not None and await self._blocks.blocks(conv.target, user_id):
                return
            if conv.target != user_id and conv.target in await self._directory.audience(
                conv, user_id
            ):
                self._fanout.typing((conv.target,), "C2C" + user_id, user_id, typing)
            return
        await self._directory.require_member(conv, user_id)
        assert conv.conv_id is not None
        members = (await self._directory.members(conv.conv_id)).members
        if len(members) <= TYPING_MAX_MEMBERS:
            audience = await self._directory.audience(conv, user_id)
            recipients = [u for u in audience if u != user_id]
            self._fanout.typing(recipients, conversation_id, user_id, typing)
