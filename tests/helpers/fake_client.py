"""``FakeClient``: an in-memory stand-in for the client core, for view-model unit tests.

It satisfies ``messenger.viewmodels.client_api.ClientApi`` (checked by mypy: ``_check``
below). Conversations and messages live in dictionaries; sending runs the protocol's own
validation (``validate_send``, as the core does) and publishes the events the core would
(``MessagesAdded``, ``ConversationsChanged``) on a real ``EventBus``. What a test needs of
the server it arranges with ``receive`` and ``add_conversation``. Group management is not
faked (tests of it run against the real server): those calls raise ``GroupNotFound``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from messenger.core.events import (
    ConversationsChanged,
    EventBus,
    Handler,
    MessagesAdded,
    MessageUpdated,
    PinsChanged,
)
from messenger.core.models import Conversation, LocalMessage, MessageState
from messenger.core.search import SearchFilters, ServerResults
from messenger.core.store import RecalledDraft, SearchGroup
from messenger.core.transfers.service import TransferService
from messenger.protocol import errors
from messenger.protocol.ids import ConversationType, parse_conversation_id
from messenger.protocol.models import (
    GroupApplication,
    GroupInfo,
    GroupRole,
    GroupType,
    JoinOption,
    JoinResult,
    Limits,
    MemberPage,
    MemberUpdate,
    Priority,
    Profile,
    Reaction,
    ReaderList,
    ReceiptCount,
    RemindType,
    SendRequest,
    UpdateGroupRequest,
)
from messenger.protocol.social import Friend, UserPage
from messenger.protocol.validation import validate_send
from messenger.viewmodels.client_api import ClientApi


@dataclass
class FakeClient:
    me: str = "alice"
    limits_: Limits = field(default_factory=Limits)
    bus: EventBus = field(default_factory=EventBus)
    chats: dict[str, Conversation] = field(default_factory=dict)
    history: dict[str, list[LocalMessage]] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)
    typing_sent: list[tuple[str, bool]] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)
    forwarded: list[tuple[list[LocalMessage], list[str], str, str]] = field(default_factory=list)
    bundles: dict[str, list[LocalMessage]] = field(default_factory=dict)
    pins: dict[str, list[str]] = field(default_factory=dict)
    recalled_drafts: dict[str, RecalledDraft] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- arranging ------------------------------------------------------------------------------
    def add_conversation(self, conversation_id: str, **fields: Any) -> Conversation:
        ref = parse_conversation_id(conversation_id)
        found = Conversation(
            conversation_id=conversation_id, type=ref.type, target=ref.target, **fields
        )
        self._store(found)
        return found

    def receive(self, conversation_id: str, sender: str, text: str) -> LocalMessage:
        """A message from someone else arrives (as the sync engine would store it)."""
        return self._append(conversation_id, sender, text, MessageState.SENT, unread=True)

    def receive_many(self, conversation_id: str, sender: str, texts: Sequence[str]) -> None:
        """Many messages arrive in one page of the feed: one ``MessagesAdded`` for them all."""
        added = [
            self._append(conversation_id, sender, text, MessageState.SENT, True, announce=False)
            for text in texts
        ]
        self.bus.publish(MessagesAdded(conversation_id, tuple(added)))

    # -- ClientApi: identity and events ---------------------------------------------------------
    @property
    def user_id(self) -> str | None:
        return self.me

    @property
    def limits(self) -> Limits | None:
        return self.limits_

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        return self.bus.subscribe(handler)

    # -- conversations --------------------------------------------------------------------------
    async def conversations(self) -> list[Conversation]:
        shown = [c for c in self.chats.values() if not c.hidden]
        return sorted(shown, key=lambda c: (not c.pinned, -c.pin_time, -c.activity_time))

    async def conversation(self, conversation_id: str) -> Conversation | None:
        return self.chats.get(conversation_id)

    async def mark_read(self, conversation_id: str, seq: int | None = None) -> None:
        chat = self._chat(conversation_id)
        self._store(
            msgspec.structs.replace(
                chat,
                read_seq=seq or chat.last_seq,
                unread_count=0,
                marked_unread=False,
                mention_seqs=(),
            )
        )

    async def pin(self, conversation_id: str, pinned: bool = True) -> None:
        chat = self._chat(conversation_id)
        self._store(msgspec.structs.replace(chat, pinned=pinned, pin_time=next(self._ids)))

    async def set_remind(self, conversation_id: str, remind: RemindType) -> None:
        self._store(msgspec.structs.replace(self._chat(conversation_id), remind=remind))

    async def mark_unread(self, conversation_id: str, unread: bool = True) -> None:
        self._store(msgspec.structs.replace(self._chat(conversation_id), marked_unread=unread))

    async def hide(self, conversation_id: str) -> None:
        self._store(msgspec.structs.replace(self._chat(conversation_id), hidden=True))

    async def clear_history(self, conversation_id: str) -> None:
        chat = self._chat(conversation_id)
        self.history[conversation_id] = []
        self._store(msgspec.structs.replace(chat, cleared_seq=chat.last_seq, last_message=None))

    async def set_draft(self, conversation_id: str, text: str) -> None:
        self.drafts[conversation_id] = text

    # -- messages -------------------------------------------------------------------------------
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
        ref = parse_conversation_id(conversation_id)
        request = SendRequest(
            client_msg_id=f"c{next(self._ids)}",
            kind="text",
            body={"text": text},
            mentions=list(mentions),
            mention_all=mention_all,
        )
        validate_send(request, self.limits_, ref.type)
        return self._append(conversation_id, self.me, text, MessageState.SENT)

    async def resend(self, client_msg_id: str) -> LocalMessage:
        for messages in self.history.values():
            for message in messages:
                if message.client_msg_id == client_msg_id:
                    return message
        raise errors.MessageNotFound()

    async def recall(self, conversation_id: str, message_id: str) -> LocalMessage:
        raise errors.MessageNotFound()

    # Files go through the real client and server (tests/integration, tests/ui/widgets).
    async def send_file(
        self,
        conversation_id: str,
        path: Path,
        *,
        kind: str = "file",
        original: bool = False,
        duration_ms: int = 0,
        peaks: Sequence[int] = (),
        width: int = 0,
        height: int = 0,
        name: str | None = None,
        reply_to: LocalMessage | None = None,
        thumbnail: Path | None = None,
    ) -> LocalMessage:
        raise errors.ClientError("the fake client sends no files")

    async def send_data(
        self, conversation_id: str, data: bytes, name: str, *, kind: str = "image"
    ) -> LocalMessage:
        raise errors.ClientError("the fake client sends no files")

    async def send_body(self, conversation_id: str, body: Any) -> LocalMessage:
        raise errors.ClientError("the fake client sends only text")

    async def download(self, message: LocalMessage, variant: str = "") -> Path:
        raise errors.MediaNotFound("the fake client keeps no files")

    async def save_file(self, message: LocalMessage, target: Path) -> Path:
        raise errors.MediaNotFound("the fake client keeps no files")

    async def export_file(self, message: LocalMessage, folder: Path) -> Path:
        raise errors.MediaNotFound("the fake client keeps no files")

    @property
    def transfers(self) -> TransferService:
        raise errors.NotLoggedIn("the fake client has no transfers")

    async def messages(
        self, conversation_id: str, *, before_seq: int | None = None, limit: int = 50
    ) -> list[LocalMessage]:
        found = [
            m
            for m in self.history.get(conversation_id, [])
            if before_seq is None or m.seq < before_seq
        ]
        return found[-limit:]

    async def unsent_messages(self, conversation_id: str) -> list[LocalMessage]:
        return []

    async def neighbour_message(
        self, conversation_id: str, seq: int, kind: str, *, older: bool
    ) -> LocalMessage | None:
        found = [
            m
            for m in self.history.get(conversation_id, [])
            if m.kind == kind and not m.recalled and (m.seq < seq if older else m.seq > seq)
        ]
        return (found[-1] if older else found[0]) if found else None

    async def message_window(
        self, conversation_id: str, seq: int = 0, *, above: int = 0, below: int = 50
    ) -> tuple[list[LocalMessage], bool]:
        if not seq:
            return await self.messages(conversation_id, limit=below), True
        older = await self.messages(conversation_id, before_seq=seq, limit=above)
        newer = await self.newer_messages(conversation_id, seq - 1, below)
        chat = self.chats.get(conversation_id)
        return older + newer, not newer or newer[-1].seq >= (chat.last_seq if chat else 0)

    async def newer_messages(
        self, conversation_id: str, after_seq: int, limit: int = 50
    ) -> list[LocalMessage]:
        return [m for m in self.history.get(conversation_id, []) if m.seq > after_seq][:limit]

    async def typing(self, conversation_id: str, typing: bool = True) -> None:
        self.typing_sent.append((conversation_id, typing))

    async def receipts(self, conversation_id: str, seqs: Sequence[int]) -> list[ReceiptCount]:
        return []

    async def readers(self, conversation_id: str, seq: int) -> ReaderList:
        return ReaderList(seq=seq, read=[], unread=[])

    # -- people ---------------------------------------------------------------------------------
    async def cached_profiles(self, user_ids: Sequence[str]) -> dict[str, Profile]:
        return {u: self.profiles[u] for u in user_ids if u in self.profiles}

    async def fetch_profiles(
        self, user_ids: Sequence[str], *, max_age_ms: int | None = None
    ) -> dict[str, Profile]:
        return await self.cached_profiles(user_ids)

    async def remarks(self) -> dict[str, str]:
        return {}

    async def friends(self) -> list[Friend]:
        return []

    async def search_users(self, query: str, offset: int = 0, limit: int = 20) -> UserPage:
        return UserPage(users=[], has_more=False)

    # -- message search: not faked (tests/ui runs it on the real core) --------------------------
    async def search(self, query: str, **filters: Any) -> list[LocalMessage]:
        return []

    async def search_conversations(
        self, query: str, filters: SearchFilters | None = None, *, limit: int = 50
    ) -> list[SearchGroup]:
        return []

    async def search_server(
        self, query: str, filters: SearchFilters | None = None, **options: Any
    ) -> ServerResults:
        return ServerResults([], False)

    async def first_seq_since(self, conversation_id: str, time_ms: int) -> int | None:
        return None

    # -- groups: not faked ----------------------------------------------------------------------
    async def group(self, group_id: str) -> GroupInfo:
        raise errors.GroupNotFound()

    async def members(self, group_id: str, offset: int = 0, limit: int = 100) -> MemberPage:
        raise errors.GroupNotFound()

    async def group_online_count(self, group_id: str) -> int:
        raise errors.GroupNotFound()

    async def groups(self) -> list[GroupInfo]:
        return []

    async def stored_groups(self) -> list[GroupInfo]:
        return []

    async def upload_avatar(self, image: bytes) -> str:
        raise errors.NetworkError()

    async def avatar(self, avatar_id: str) -> bytes:
        raise errors.AvatarNotFound()

    async def add_members(self, group_id: str, user_ids: Sequence[str]) -> GroupInfo:
        raise errors.GroupNotFound()

    async def create_group(self, *args: Any, **kwargs: Any) -> GroupInfo:
        raise errors.GroupNotFound()

    async def join_group(self, group_id: str, note: str = "") -> JoinResult:
        raise errors.GroupNotFound()

    async def quit_group(self, group_id: str) -> GroupInfo:
        raise errors.GroupNotFound()

    async def dismiss_group(self, group_id: str) -> GroupInfo:
        raise errors.GroupNotFound()

    async def kick_members(self, *args: Any, **kwargs: Any) -> GroupInfo:
        raise errors.GroupNotFound()

    async def set_member_role(self, group_id: str, user_id: str, role: GroupRole) -> GroupInfo:
        raise errors.GroupNotFound()

    async def transfer_owner(self, group_id: str, user_id: str) -> GroupInfo:
        raise errors.GroupNotFound()

    async def mute_member(self, group_id: str, user_id: str, seconds: int) -> GroupInfo:
        raise errors.GroupNotFound()

    async def update_group(self, group_id: str, update: UpdateGroupRequest) -> GroupInfo:
        raise errors.GroupNotFound()

    async def update_member(self, group_id: str, user_id: str, update: MemberUpdate) -> GroupInfo:
        raise errors.GroupNotFound()

    async def group_applications(self, group_id: str) -> list[GroupApplication]:
        raise errors.GroupNotFound()

    async def handle_application(self, *args: Any, **kwargs: Any) -> GroupInfo:
        raise errors.GroupNotFound()

    # -- message operations: kept in memory, events as the core sends them --------------------
    async def stored_message(self, message_id: str) -> LocalMessage | None:
        return next(
            (m for ms in self.history.values() for m in ms if m.message_id == message_id), None
        )

    async def forward(
        self, messages: Sequence[LocalMessage], targets: Sequence[str], *, comment: str = ""
    ) -> list[LocalMessage]:
        self.forwarded.append((list(messages), list(targets), comment, ""))
        return []

    async def forward_merged(
        self,
        messages: Sequence[LocalMessage],
        targets: Sequence[str],
        *,
        title: str,
        comment: str = "",
    ) -> list[LocalMessage]:
        self.forwarded.append((list(messages), list(targets), comment, title))
        return []

    async def open_merged(self, message: LocalMessage, bundle_id: str = "") -> list[LocalMessage]:
        return list(self.bundles.get(bundle_id or message.message_id, []))

    async def edit_message(
        self,
        message: LocalMessage,
        text: str,
        *,
        mentions: Sequence[str] = (),
        mention_all: bool = False,
    ) -> LocalMessage:
        edited = msgspec.structs.replace(
            message, body={"text": text}, mentions=tuple(mentions), edit_time=next(self._ids)
        )
        self._replace(edited)
        return edited

    async def delete_for_me(self, conversation_id: str, message_ids: Sequence[str]) -> int:
        done = 0
        for message in list(self.history.get(conversation_id, [])):
            if message.message_id in message_ids and not message.deleted:
                self._replace(msgspec.structs.replace(message, body={}, deleted=True))
                done += 1
        return done

    async def react(self, message: LocalMessage, emoji: str, *, add: bool = True) -> LocalMessage:
        reactions = {r.emoji: list(r.users) for r in message.reactions}
        users = reactions.setdefault(emoji, [])
        if add and self.me not in users:
            users.append(self.me)
        elif not add and self.me in users:
            users.remove(self.me)
        changed = msgspec.structs.replace(
            message,
            reactions=tuple(Reaction(emoji=e, users=u) for e, u in reactions.items() if u),
        )
        self._replace(changed)
        return changed

    async def pinned_messages(self, conversation_id: str, *, refresh: bool = False) -> list[str]:
        return list(self.pins.get(conversation_id, []))

    async def pin_message_in(
        self, conversation_id: str, message_id: str, pinned: bool = True
    ) -> list[str]:
        pins = self.pins.setdefault(conversation_id, [])
        if pinned and message_id not in pins:
            pins.append(message_id)
        elif not pinned and message_id in pins:
            pins.remove(message_id)
        self.bus.publish(PinsChanged(conversation_id, tuple(pins)))
        return list(pins)

    async def recalled_draft(self, message_id: str) -> RecalledDraft | None:
        return self.recalled_drafts.get(message_id)

    def _replace(self, message: LocalMessage) -> None:
        history = self.history.get(message.conversation_id, [])
        for i, old in enumerate(history):
            if old.message_id == message.message_id:
                history[i] = message
        self.bus.publish(MessageUpdated(message.conversation_id, message))

    # -- inside ---------------------------------------------------------------------------------
    def _chat(self, conversation_id: str) -> Conversation:
        found = self.chats.get(conversation_id)
        if found is None:
            raise errors.ConversationNotFound()
        return found

    def _store(self, conversation: Conversation) -> None:
        self.chats[conversation.conversation_id] = conversation
        self.bus.publish(ConversationsChanged((conversation,)))

    def _append(
        self,
        conversation_id: str,
        sender: str,
        text: str,
        state: MessageState,
        unread: bool = False,
        *,
        announce: bool = True,
    ) -> LocalMessage:
        chat = self.chats.get(conversation_id) or self.add_conversation(conversation_id)
        seq = chat.last_seq + 1
        n = next(self._ids)
        message = LocalMessage(
            conversation_id=conversation_id,
            message_id=f"m{n}",
            conv_type=chat.type.value,
            target=chat.target,
            sender=sender,
            seq=seq,
            client_msg_id=f"c{n}",
            time=n,
            kind="text",
            body={"text": text},
            state=state,
            is_self=sender == self.me,
        )
        self.history.setdefault(conversation_id, []).append(message)
        if announce:
            self.bus.publish(MessagesAdded(conversation_id, (message,)))
        self._store(
            msgspec.structs.replace(
                chat,
                last_seq=seq,
                last_message=message,
                activity_time=n,
                unread_count=chat.unread_count + (1 if unread else 0),
            )
        )
        return message


def _check(fake: FakeClient) -> ClientApi:
    return fake  # mypy: the fake satisfies the protocol


_ = (ConversationType, GroupType, JoinOption)  # names of the protocol's signatures
