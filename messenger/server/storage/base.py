"""The storage interface the services use. One implementation per database.

Writes take an optional ``on_commit`` callback: it runs on the event loop right after the
write's transaction commits, in commit order across all writes. The services dispatch pushes
from there, which is what keeps each device's change stream in version order.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from messenger.protocol.models import (
    ConversationList,
    ConversationSummary,
    GroupApplication,
    GroupInfo,
    MemberPage,
    Message,
    SearchHit,
    StateUpdate,
)
from messenger.server.storage.records import (
    ConversationMembers,
    FeedPage,
    GroupEdit,
    GroupOp,
    GroupOutcome,
    NewGroup,
    NewMembers,
    NewMessage,
    NewSession,
    ReadOutcome,
    RecallOutcome,
    RecallRequest,
    SearchFilter,
    SessionRecord,
    StateOutcome,
    StoredMessage,
    UserRecord,
)

if TYPE_CHECKING:
    from messenger.server.storage.media_index import MediaIndex
    from messenger.server.storage.op_records import (
        EditOp,
        HideOutcome,
        OpOutcome,
        PinsOutcome,
        ReactOp,
    )
    from messenger.server.storage.people import PeopleStorage

T = TypeVar("T")
OnCommit = Callable[[T], None] | None


class Storage(abc.ABC):
    @property
    @abc.abstractmethod
    def people(self) -> PeopleStorage:
        """Profiles, friends, requests, friend groups, blocks (``storage/people.py``)."""

    @property
    @abc.abstractmethod
    def media(self) -> MediaIndex:
        """Uploads, kept files, their owners and the messages using them
        (``storage/media_index.py``)."""

    @abc.abstractmethod
    async def open(self) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    @property
    @abc.abstractmethod
    def head(self) -> int:
        """The last committed version."""

    # -- accounts ----------------------------------------------------------------------------------
    @abc.abstractmethod
    async def get_user(self, user_id: str) -> UserRecord | None: ...

    @abc.abstractmethod
    async def create_user(
        self, user_id: str, nickname: str, password_hash: str | None, *, exist_ok: bool = False
    ) -> tuple[UserRecord, bool]: ...

    @abc.abstractmethod
    async def set_password(self, user_id: str, password_hash: str) -> None: ...

    @abc.abstractmethod
    async def set_banned(
        self, user_id: str, banned: bool, on_commit: OnCommit[list[SessionRecord]] = None
    ) -> list[SessionRecord]: ...

    @abc.abstractmethod
    async def open_session(
        self,
        session: SessionRecord,
        *,
        device_limit: int,
        policy: str,
        on_commit: OnCommit[NewSession] = None,
    ) -> NewSession: ...

    @abc.abstractmethod
    async def get_session(self, token_hash: str) -> SessionRecord | None: ...

    @abc.abstractmethod
    async def revoke_session(
        self, token_hash: str, reason: str, on_commit: OnCommit[SessionRecord | None] = None
    ) -> SessionRecord | None: ...

    @abc.abstractmethod
    async def extend_session(self, token_hash: str, expires_at: int) -> None: ...

    # -- messages ----------------------------------------------------------------------------------
    @abc.abstractmethod
    def insert_message(
        self, new: NewMessage, on_commit: OnCommit[StoredMessage] = None
    ) -> Awaitable[StoredMessage]:
        """Queue the message for storage at once (in call order) and return its pending result."""

    @abc.abstractmethod
    async def recall_message(
        self, request: RecallRequest, on_commit: OnCommit[RecallOutcome] = None
    ) -> RecallOutcome: ...

    @abc.abstractmethod
    async def history(
        self,
        *,
        conv_id: int,
        kind: str,
        key: str,
        user_id: str,
        before_seq: int | None,
        after_seq: int | None,
        limit: int,
        only_kind: str = "",
    ) -> tuple[list[Message], bool]: ...

    @abc.abstractmethod
    async def search_messages(
        self, user_id: str, search: SearchFilter
    ) -> tuple[list[SearchHit], bool]:
        """A page of the messages ``user_id`` may read that match (``search.conv_id`` already
        checked readable), and whether more follow."""

    @abc.abstractmethod
    async def first_seq_since(self, conv_id: int, user_id: str, time_ms: int) -> int | None:
        """The seq of the first message at or after ``time_ms`` that ``user_id`` may read."""

    @abc.abstractmethod
    async def message_by_id(
        self, conv_id: int, message_id: str, kind: str, key: str
    ) -> Message: ...

    # -- conversations -----------------------------------------------------------------------------
    @abc.abstractmethod
    async def find_c2c(self, a: str, b: str) -> int | None:
        """The conversation of two users, if they have ever talked."""

    @abc.abstractmethod
    async def find_system(self, user_id: str) -> int | None:
        """The user's system conversation, if they have ever had a notice."""

    @abc.abstractmethod
    async def ensure_system(self, user_id: str) -> int:
        """The user's system conversation, created (empty) if need be."""

    @abc.abstractmethod
    async def ensure_c2c(self, key: str) -> int:
        """The C2C conversation of the pair ``key``, created (with no messages) if need be."""

    @abc.abstractmethod
    async def members(self, conv_id: int) -> ConversationMembers: ...

    @abc.abstractmethod
    async def mark_read(
        self,
        conv_id: int,
        key: str,
        user_id: str,
        seq: int | None,
        on_commit: OnCommit[ReadOutcome] = None,
    ) -> ReadOutcome: ...

    @abc.abstractmethod
    async def update_state(
        self,
        conv_id: int,
        user_id: str,
        update: StateUpdate,
        on_commit: OnCommit[StateOutcome] = None,
    ) -> StateOutcome: ...

    @abc.abstractmethod
    async def hide(
        self, conv_id: int, user_id: str, on_commit: OnCommit[StateOutcome] = None
    ) -> StateOutcome: ...

    @abc.abstractmethod
    async def clear(
        self, conv_id: int, user_id: str, on_commit: OnCommit[StateOutcome] = None
    ) -> StateOutcome: ...

    @abc.abstractmethod
    async def set_draft(
        self,
        conv_id: int,
        user_id: str,
        text: str,
        edit_time: int,
        on_commit: OnCommit[tuple[StateOutcome, bool]] = None,
    ) -> tuple[StateOutcome, bool]: ...

    @abc.abstractmethod
    async def conversation_list(self, user_id: str) -> ConversationList: ...

    @abc.abstractmethod
    async def conversation_summary(self, conv_id: int, user_id: str) -> ConversationSummary: ...

    @abc.abstractmethod
    async def feed(self, user_id: str, since: int, limit: int) -> FeedPage: ...

    @abc.abstractmethod
    async def read_cursors(self, conv_id: int) -> dict[str, tuple[int, int]]:
        """Every member's (read_seq, joined_seq)."""

    @abc.abstractmethod
    async def senders_between(self, conv_id: int, after_seq: int, upto_seq: int) -> dict[int, str]:
        """The senders of the non-tip messages in (after_seq, upto_seq], by seq (newest 500)."""

    # -- groups ------------------------------------------------------------------------------------
    @abc.abstractmethod
    async def group_by_id(self, group_id: str) -> tuple[int, GroupInfo]: ...

    @abc.abstractmethod
    async def groups_of(self, user_id: str) -> list[GroupInfo]: ...

    @abc.abstractmethod
    async def create_group(
        self, group: NewGroup, on_commit: OnCommit[GroupOutcome] = None
    ) -> GroupOutcome: ...

    @abc.abstractmethod
    async def add_members(
        self, request: NewMembers, on_commit: OnCommit[GroupOutcome] = None
    ) -> GroupOutcome: ...

    @abc.abstractmethod
    async def list_members(self, conv_id: int, offset: int, limit: int) -> MemberPage: ...

    @abc.abstractmethod
    async def group_op(self, op: GroupOp, on_commit: OnCommit[GroupEdit] = None) -> GroupEdit:
        """Any group write after creation (``GroupOp.kind``), permission checked in its
        transaction."""

    @abc.abstractmethod
    async def topics(self, group_id: str) -> list[GroupInfo]:
        """A community's topics, oldest first."""

    @abc.abstractmethod
    async def live_rooms_of(self, user_id: str) -> list[str]:
        """The live rooms the user is in as a plain member."""

    @abc.abstractmethod
    async def pending_applications(self, conv_id: int, group_id: str) -> list[GroupApplication]: ...

    # -- message operations (edit, reactions, delete for me, bundles, C2C pins) ---------------------
    @abc.abstractmethod
    async def edit_message(self, op: EditOp, on_commit: OnCommit[OpOutcome] = None) -> OpOutcome:
        """Replace the text (and mentions) of the sender's own text message within the window."""

    @abc.abstractmethod
    async def react(self, op: ReactOp, on_commit: OnCommit[OpOutcome] = None) -> OpOutcome: ...

    @abc.abstractmethod
    async def hide_messages(
        self,
        conv_id: int,
        kind: str,
        key: str,
        user_id: str,
        message_ids: list[str],
        on_commit: OnCommit[HideOutcome] = None,
    ) -> HideOutcome:
        """Delete messages for ``user_id`` only (``history`` shows them to that user as
        placeholders with ``deleted`` set)."""

    @abc.abstractmethod
    async def put_bundle(self, bundle_id: str, owner: str, content: bytes) -> None: ...

    @abc.abstractmethod
    async def get_bundle(self, bundle_id: str) -> tuple[str, bytes] | None:
        """(owner, content) of a merged forward's bundle."""

    @abc.abstractmethod
    async def c2c_pins(self, conv_id: int) -> list[str]: ...

    @abc.abstractmethod
    async def set_c2c_pin(
        self,
        conv_id: int,
        kind: str,
        key: str,
        message_id: str,
        pin: bool,
        limit: int,
        on_commit: OnCommit[PinsOutcome] = None,
    ) -> PinsOutcome: ...
