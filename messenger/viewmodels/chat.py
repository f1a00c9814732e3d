"""``ChatViewModel``: the open conversation.

It owns the message window (``messages``), the composer, the group panel and the typing line
of whichever conversation is open, and keeps them live from core events.

Opening a conversation reads one page from the store (names from the profile cache first) and
asks the view to scroll: to the first unread message, under an "Unread messages" bar, or to
the bottom. The view reports what it shows (``note_viewport``): near the top the window grows
older (``load_older``), near a bottom that is not the latest it grows newer (``load_newer``),
and the far end is released so the window stays a few hundred rows whatever the history's
size. Messages are marked read only when the view says they are visible in an active window.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import msgspec
from PySide6.QtCore import QCoreApplication, QObject, Signal

from messenger.core import Conversation, LocalMessage, MessageState
from messenger.core.clock import system_clock
from messenger.core.events import (
    ConversationsChanged,
    DraftChanged,
    Event,
    GroupChanged,
    GroupOnlineChanged,
    MessagesAdded,
    MessageUpdated,
    PeerReadChanged,
    ReceiptsChanged,
    TypingChanged,
)
from messenger.protocol.errors import MessengerError, error_from_wire
from messenger.protocol.ids import ConversationType, parse_conversation_id
from messenger.protocol.kinds import is_recallable
from messenger.protocol.models import ReaderList
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.composer import ComposerViewModel
from messenger.viewmodels.conversation_rows import conversation_name
from messenger.viewmodels.downloads import FileDownloads
from messenger.viewmodels.group import GroupViewModel
from messenger.viewmodels.message_list import SEQ_ROLE, SLICE, MessageListModel
from messenger.viewmodels.message_ops import MessageOpsViewModel
from messenger.viewmodels.message_rows import (
    RowContext,
    RowStyle,
    counts_as_unread,
    message_key,
    people_in,
    recalled_text,
)
from messenger.viewmodels.names import NamesViewModel
from messenger.viewmodels.refusals import refusal_text
from messenger.viewmodels.send_errors import not_sent_text
from messenger.viewmodels.tasks import TaskSet
from messenger.viewmodels.thumbnails import ThumbnailSource
from messenger.viewmodels.typing import TypingTracker
from messenger.viewmodels.uploads import UploadProgress

log = logging.getLogger(__name__)

PAGE = 50  # messages per load
CONTEXT_ABOVE = 10  # messages shown above the first unread one when opening
MAX_ROWS = 300  # the window's size; beyond it the far end is released
# More arriving at once at the bottom than twice the rows on screen (at least LIVE_TAIL): the
# window becomes that many newest rows, so a burst lays out only about what can be seen.
LIVE_TAIL = 16
RECEIPTS_BATCH = 100

Window = tuple[list[LocalMessage], bool, bool]  # messages, has_older, at_latest


def _tr(text: str) -> str:
    return QCoreApplication.translate("Chat", text)


def _trn(text: str, n: int) -> str:
    """A text with plural forms: ``%n`` is replaced by ``n``."""
    return QCoreApplication.translate("Chat", text, None, n)


class ChatViewModel(QObject):
    current_conversation_changed = Signal(str)
    header_changed = Signal()
    # Where the view should scroll after a (re)load: key ("" for the bottom) and
    # "bottom" | "top" | "center".
    scroll_requested = Signal(str, str)
    message_found = Signal(str)  # a message opened from a search or a date: the view marks it
    jumps_changed = Signal()  # new_below, first unread or @me availability changed
    opened = Signal(str)  # the conversation's first window is loaded
    error_occurred = Signal(str)

    def __init__(
        self,
        client: ClientApi,
        names: NamesViewModel,
        parent: QObject | None = None,
        *,
        clock: Callable[[], int] = system_clock,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._names = names
        self._clock = clock
        self._tasks = TaskSet()
        self.me = client.user_id or ""
        context = RowContext(self.me, now_ms=clock())
        context.name_of = lambda user_id: names.display(user_id, context.group_id)
        self.messages = MessageListModel(context, self)
        self.composer = ComposerViewModel(client, names, self)
        self.group = GroupViewModel(client, names, self)
        self.typing = TypingTracker(self._name_of, self)
        self.thumbnails = ThumbnailSource(client, self)
        self.uploads = UploadProgress(client, self)
        self.downloads = FileDownloads(client, self)
        self.ops = MessageOpsViewModel(client, self)
        self.ops.error_occurred.connect(self.error_occurred)
        self.composer.edit_last = self.ops.edit_last
        self.conversation: Conversation | None = None
        self.new_below = 0  # messages from others that arrived below the viewport
        self._cid = ""
        self._type = ConversationType.C2C
        self._group_id = ""
        self._token = 0
        self._loading = False
        self._held: list[Event] = []
        self._busy_older = False
        self._busy_newer = False
        self._jumped = 0  # each jump: a page asked for before it is not added after it
        self._read_asked = 0
        self._unmark_asked = False
        self._first_unread_seq = 0
        self._visible = (-1, -1)
        self._at_bottom = True
        self._receipts_asked: set[int] = set()
        self._jumps: tuple[object, ...] = ()
        # presence in words for the C2C header ("online", "last seen …"), set by the session
        self.status_of: Callable[[str], str] | None = None
        # a conversation as the conversation list has it (None when not listed), set by the
        # session: opening a listed chat needs no store read for it
        self.listed: Callable[[str], Conversation | None] | None = None
        names.names_changed.connect(self._names_changed)
        self.group.members_loaded.connect(self._members_loaded)
        self.group.info_changed.connect(self.header_changed)
        self.group.online_changed.connect(self.header_changed)

    # -- what is open ----------------------------------------------------------------------------
    @property
    def current_conversation_id(self) -> str:
        return self._cid

    @property
    def type(self) -> ConversationType:
        return self._type

    @property
    def group_id(self) -> str:
        return self._group_id

    def clock(self) -> int:
        return self._clock()

    @property
    def names(self) -> NamesViewModel:
        return self._names

    def _name_of(self, user_id: str) -> str:
        return self._names.display(user_id, self.group_id)

    def display_name(self, user_id: str) -> str:
        """Name card in this group → nickname → ID."""
        return self._name_of(user_id)

    @property
    def can_write(self) -> bool:
        """A conversation is open and it is not the (read-only) system conversation."""
        return bool(self._cid) and self.type != ConversationType.SYSTEM

    @property
    def title(self) -> str:
        if not self._cid:
            return ""
        if self.conversation is not None:
            name = conversation_name(self.conversation, self._names)
            if self.type == ConversationType.GROUP and self.group.info and self.group.info.name:
                return self.group.info.name
            return name
        ref = parse_conversation_id(self._cid)
        if ref.type != ConversationType.C2C:
            return ref.target
        return (
            _tr("Saved messages")
            if ref.target == self._names.me
            else self._names.display(ref.target)
        )

    @property
    def subtitle(self) -> str:
        if self.type == ConversationType.GROUP:
            count = self.group.info.member_count if self.group.info else 0
            count = count or (self.conversation.member_count if self.conversation else 0)
            if not count:
                return ""
            members = _trn("%n member(s)", count)
            if self.group.online is None:
                return members
            return members + " · " + _trn("%n online", self.group.online)
        if self.type == ConversationType.SYSTEM:
            return _tr("Notices about your groups and contacts")
        peer = parse_conversation_id(self._cid).target if self._cid else ""
        if peer == self._names.me:
            return _tr("Notes and files for all your devices")
        return self.status_of(peer) if peer and self.status_of is not None else ""

    # -- opening ---------------------------------------------------------------------------------
    async def open(self, conversation_id: str, at_seq: int = 0) -> None:
        """Show a conversation ("" for none): first unread under a bar, else the latest; or the
        message ``at_seq`` (a search result) in the middle of the window around it.

        Nothing visible changes until its messages are read: then the header, the composer,
        the group panel and the rows change together (one layout, one paint, and no frame of
        the new header over the old chat)."""
        if conversation_id == self._cid:
            if at_seq:
                await self.jump_to_seq(at_seq, "center")
            return
        self._token += 1
        token = self._token
        self.composer.detach()
        self._cid = conversation_id
        self._loading = bool(conversation_id)
        self._held.clear()
        self.typing.clear()
        self.new_below = self._read_asked = self._first_unread_seq = 0
        self._unmark_asked = False
        self._visible, self._at_bottom = (-1, -1), True
        self._receipts_asked.clear()
        ref = parse_conversation_id(conversation_id) if conversation_id else None
        self._type = ref.type if ref is not None else ConversationType.C2C
        self._group_id = ref.target if ref and ref.type == ConversationType.GROUP else ""
        if ref is None:
            self.conversation = None
            self.current_conversation_changed.emit(conversation_id)
            self.ops.opened(conversation_id)
            self._new_context(None, "")
            self.messages.reset([], has_older=False, at_latest=True)
            self.group.show("")
            self.header_changed.emit()
            self._jumps_maybe_changed()
            return
        # the list's copy (kept live by the same events) spares a trip to the store
        self.conversation = self.listed(conversation_id) if self.listed is not None else None
        if self.conversation is None:
            conversation = await self._client.conversation(conversation_id)
            if token != self._token:
                return
            self.conversation = conversation
        conversation = self.conversation
        anchor = 0
        if (
            conversation
            and conversation.unread_count
            and conversation.read_seq < conversation.last_seq
        ):
            anchor = conversation.read_seq + 1
        if at_seq:
            anchor = 0
        try:
            if at_seq:
                window = await self._around(at_seq, PAGE // 2)
            else:
                window = await (self._around(anchor, CONTEXT_ABOVE) if anchor else self._latest())
        except MessengerError as exc:
            log.info("history of %s not loaded: %r", conversation_id, exc)
            window = ([], False, True)
        if token != self._token:
            return
        messages, has_older, at_latest = window
        await self._names.load_cached(people_in(messages))
        if token != self._token:
            return
        self._show_opened(ref.type, messages, has_older, at_latest, anchor, at_seq)

    def _show_opened(
        self,
        type: ConversationType,
        messages: list[LocalMessage],
        has_older: bool,
        at_latest: bool,
        anchor: int,
        at_seq: int,
    ) -> None:
        """The opened conversation's header, composer, group and first window, all at once."""
        conversation_id, conversation = self._cid, self.conversation
        self.current_conversation_changed.emit(conversation_id)
        self.ops.opened(conversation_id)
        self.composer.attach(conversation_id, type, conversation.draft_text if conversation else "")
        self.group.show(
            self._group_id, conversation.group_name if conversation else "", load=False
        )  # (loaded once the messages are shown)
        self.header_changed.emit()
        marker = ""
        if anchor:
            first = next((m for m in messages if m.seq >= anchor and counts_as_unread(m)), None)
            if first is not None:
                marker, self._first_unread_seq = message_key(first), first.seq
        self._new_context(conversation, marker)
        self.messages.reset(messages, has_older=has_older, at_latest=at_latest)
        self._tasks.spawn(self.ops.remember_recalled(messages))
        self._loading = False
        held, self._held = self._held, []
        for event in held:
            self.on_event(event)
        self._request_receipts()
        found = next((m for m in messages if at_seq and m.seq == at_seq), None)
        if found is not None:
            self.scroll_requested.emit(message_key(found), "center")
            self.message_found.emit(message_key(found))
        else:
            self.scroll_requested.emit(marker, "top" if marker else "bottom")
        self._jumps_maybe_changed()
        self.group.load_shown()
        self.opened.emit(conversation_id)

    def _new_context(self, conversation: Conversation | None, marker: str) -> None:
        """The rows' context for a newly opened conversation (set right before the reset, so
        the previous conversation's rows never paint with it)."""
        context = self.messages.context
        context.type, context.group_id = self._type, self._group_id
        context.peer_read_seq = conversation.peer_read_seq if conversation else 0
        context.receipts = {}
        context.unread_marker_key = marker  # recalled_texts stay: keys are unique
        context.now_ms = self._clock()

    def _floor(self) -> int:
        """The oldest seq that is mine to read."""
        c = self.conversation
        return max(c.cleared_seq, c.joined_seq) + 1 if c is not None else 1

    def _has_older(self, messages: Sequence[LocalMessage]) -> bool:
        first = next((m.seq for m in messages if m.seq), 0)
        return first > self._floor()

    async def _latest(self) -> Window:
        messages, _ = await self._client.message_window(self._cid, below=PAGE)
        return messages, self._has_older(messages), True

    async def _around(self, seq: int, above: int) -> Window:
        """A window starting a little above ``seq``, reaching down a page."""
        messages, at_latest = await self._client.message_window(
            self._cid, seq, above=above, below=PAGE
        )
        return messages, self._has_older(messages), at_latest

    async def _reload(self, window: Awaitable[Window], key: str, where: str) -> None:
        token = self._token
        self._loading = True
        try:
            messages, has_older, at_latest = await window
        except MessengerError as exc:
            log.info("history of %s not loaded: %r", self._cid, exc)
            return
        finally:
            if token == self._token:
                self._loading = False
        if token != self._token:
            return
        await self._names.load_cached(people_in(messages))
        if token != self._token:
            return
        self.messages.context.now_ms = self._clock()
        self.messages.reset(messages, has_older=has_older, at_latest=at_latest)
        held, self._held = self._held, []
        for event in held:
            self.on_event(event)
        self._request_receipts()
        self.scroll_requested.emit(key, where)
        self._jumps_maybe_changed()

    # -- paging ----------------------------------------------------------------------------------
    async def load_older(self) -> None:
        model = self.messages
        oldest = model.oldest_seq
        if self._loading or self._busy_older or not model.has_older or not oldest:
            return
        if model.filling:
            return  # the rows above are on their way, a slice per turn
        token, jumped, self._busy_older = self._token, self._jumped, True
        try:
            page = await self._client.messages(self._cid, before_seq=oldest, limit=PAGE)
            await self._names.load_cached(people_in(page))
        except MessengerError as exc:
            log.info("older history not loaded: %r", exc)
            page = []
        finally:
            self._busy_older = False
        if token != self._token or jumped != self._jumped or self._loading:
            return
        with model.batch():
            excess = model.rowCount() + len(page) - MAX_ROWS
            if excess > 0:  # release the newest rows first: the window never outgrows its size
                model.trim_back(excess)
            model.prepend_sliced(page, has_older=self._has_older(page))
        self._tasks.spawn(self.ops.remember_recalled(page))
        self._request_receipts()
        self._jumps_maybe_changed()

    async def load_newer(self) -> None:
        model = self.messages
        if self._loading or self._busy_newer or model.at_latest:
            return
        token, jumped, self._busy_newer = self._token, self._jumped, True
        try:
            page = await self._client.newer_messages(self._cid, model.newest_seq, PAGE)
            last = self.conversation.last_seq if self.conversation else 0
            reached = not page or page[-1].seq >= last
            if reached:
                page += await self._client.unsent_messages(self._cid)
            await self._names.load_cached(people_in(page))
        except MessengerError as exc:
            log.info("newer history not loaded: %r", exc)
            return
        finally:
            self._busy_newer = False
        if token != self._token or jumped != self._jumped or self._loading:
            return
        with model.batch():
            excess = model.rowCount() + len(page) - MAX_ROWS
            if excess > 0:  # release the oldest rows first
                model.trim_front(excess)
            model.append(page, at_latest=reached)
        self._request_receipts()
        self._jumps_maybe_changed()

    # -- jumps -----------------------------------------------------------------------------------
    async def jump_to_latest(self) -> None:
        self.new_below = 0
        if self.messages.at_latest:
            self.scroll_requested.emit("", "bottom")
            self._jumps_maybe_changed()
            return
        await self._reload(self._latest(), "", "bottom")

    async def jump_to_seq(self, seq: int, where: str = "center") -> None:
        # A page on its way would land after the jump and might release the rows it shows.
        self._jumped += 1
        position = self.messages.position_of_seq(seq)
        if position >= 0:
            key = self.messages.row(position).key
            self.scroll_requested.emit(key, where)
            self.message_found.emit(key)
            return
        above = CONTEXT_ABOVE if where == "top" else PAGE // 2
        token = self._token
        window = await self._around(seq, above)
        if token != self._token:
            return
        target = next((m for m in window[0] if m.seq == seq), None)
        key = message_key(target) if target is not None else ""
        await self._reload(_ready(window), key, where if key else "bottom")
        if key:
            self.message_found.emit(key)

    async def jump_to_time(self, time_ms: int) -> bool:
        """Open the chat at its first message at or after ``time_ms`` (jump to a date), at the
        top of the view; False when no message is that new."""
        cid = self._cid
        try:
            seq = await self._client.first_seq_since(cid, time_ms)
        except MessengerError as exc:
            log.info("no message found after %d in %s: %r", time_ms, cid, exc)
            return False
        if seq is None or cid != self._cid:
            return False
        await self.jump_to_seq(seq, "top")
        return True

    async def jump_to_first_unread(self) -> None:
        if self._first_unread_seq:
            await self.jump_to_seq(self._first_unread_seq, "top")

    async def jump_to_mention(self) -> None:
        seq = self.mention_seq
        if seq:
            await self.jump_to_seq(seq, "center")

    @property
    def can_jump_unread(self) -> bool:
        """The first unread message (of when the chat was opened) is off screen and unread."""
        c = self.conversation
        seq = self._first_unread_seq
        if not seq or c is None or not c.unread_count or self._visible[0] < 0:
            return False  # (nothing on screen reported yet: no button)
        return not self._seq_visible(seq)

    @property
    def mention_seq(self) -> int:
        """The first unread message that mentions me, unless it is on screen."""
        c = self.conversation
        if c is None or not c.mention_seqs or self._visible[0] < 0:
            return 0
        seq = min(c.mention_seqs)
        return 0 if self._seq_visible(seq) else seq

    def _seq_visible(self, seq: int) -> bool:
        first, last = self._visible
        if first < 0:
            return False
        seqs = [self.messages.index(i, 0).data(SEQ_ROLE) or 0 for i in range(first, last + 1)]
        seqs = [s for s in seqs if s]
        return bool(seqs) and seqs[0] <= seq <= seqs[-1]

    def _jumps_maybe_changed(self) -> None:
        state = (self.new_below, self.can_jump_unread, self.mention_seq, self.messages.at_latest)
        if state != self._jumps:
            self._jumps = state
            self.jumps_changed.emit()

    # -- what the view shows ---------------------------------------------------------------------
    def note_viewport(self, first: int, last: int, *, at_bottom: bool, active: bool) -> None:
        """Rows ``first``..``last`` are on screen; ``active``: in a focused, visible window."""
        self._visible, self._at_bottom = (first, last), at_bottom
        if at_bottom and self.messages.at_latest:
            self.new_below = 0
        if active and not self._loading:
            self._mark_read(first, last)
        self._jumps_maybe_changed()

    def _mark_read(self, first: int, last: int) -> None:
        c = self.conversation
        if c is None or first < 0:
            return
        seqs = [self.messages.index(i, 0).data(SEQ_ROLE) or 0 for i in range(first, last + 1)]
        target = max(seqs, default=0)
        if target > max(c.read_seq, self._read_asked):
            self._read_asked = target
            self._tasks.spawn(self._client.mark_read(self._cid, target))
        elif c.marked_unread and not self._unmark_asked:
            self._unmark_asked = True
            self._tasks.spawn(self._client.mark_unread(self._cid, False))

    # -- live changes ----------------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        self.uploads.on_event(event)
        self.downloads.on_event(event)
        self.ops.on_event(event)
        if isinstance(event, ConversationsChanged):
            for conversation in event.conversations:
                if conversation.conversation_id == self._cid:
                    self._conversation_changed(conversation)
            return
        if isinstance(event, GroupChanged):
            self.group.on_group_changed(event.group, event.member)
            return
        if isinstance(event, GroupOnlineChanged):
            self.group.online_pushed(event.group_id, event.online, event.members)
            return
        if getattr(event, "conversation_id", None) != self._cid or not self._cid:
            return
        if self._loading and isinstance(
            event, MessagesAdded | MessageUpdated | PeerReadChanged | ReceiptsChanged
        ):
            self._held.append(event)
        elif isinstance(event, MessagesAdded):
            self._messages_added(event.messages)
        elif isinstance(event, MessageUpdated):
            if event.message.deleted:  # deleted for me (here or on another of my devices)
                self.messages.remove(message_key(event.message))
                return
            self._remember_recalled(event.message)
            self.messages.upsert(event.message)
            if event.message.is_self and event.message.state is MessageState.SENT:
                self._request_receipts()
        elif isinstance(event, PeerReadChanged):
            self.messages.set_peer_read(event.read_seq)
        elif isinstance(event, ReceiptsChanged):
            self.messages.set_receipts({r.seq: r.read_count for r in event.receipts})
        elif isinstance(event, TypingChanged):
            if event.user_id != self.me:
                self._names.request([event.user_id])
                self.typing.update(event.user_id, event.typing)
        elif isinstance(event, DraftChanged) and event.remote:
            self.composer.remote_draft(event.text)

    def _conversation_changed(self, conversation: Conversation) -> None:
        old, self.conversation = self.conversation, conversation
        if self._loading:
            return  # the window being loaded takes the new state
        self.messages.set_peer_read(conversation.peer_read_seq)
        if old is not None and conversation.cleared_seq > old.cleared_seq:
            self._tasks.spawn(self._reload(self._latest(), "", "bottom"))
        if old is None or old.group_name != conversation.group_name:
            self.header_changed.emit()
        if old is not None and conversation.read_seq < old.read_seq:
            self._read_asked = 0
        if not conversation.marked_unread:
            self._unmark_asked = False
        self._jumps_maybe_changed()

    def _messages_added(self, messages: Sequence[LocalMessage]) -> None:
        messages = [m for m in messages if not m.deleted]
        if not messages:
            return
        self._names.request(people_in(messages))
        model = self.messages
        tail, shown = self._live_tail()
        if model.at_latest and self._at_bottom and len(messages) > SLICE:
            model.context.now_ms = self._clock()
            # not a batch's rows laid out in one turn: a screenful made a slice per turn, then
            # shown; the rest above it a slice per turn after
            model.show_latest(messages, tail, first=min(tail, max(SLICE, shown + 2)))
        elif model.at_latest:
            model.context.now_ms = self._clock()
            with model.batch():
                if self._at_bottom:
                    model.append(messages)
                    model.trim_front(model.rowCount() - MAX_ROWS)
                else:  # reading above: what does not fit waits in the store, a scroll away
                    model.append_within(messages, MAX_ROWS)
        from_others = [m for m in messages if not m.is_self]
        if from_others and not (self._at_bottom and model.at_latest):
            self.new_below += len(from_others)
        if any(m.is_self and m.state is MessageState.SENDING for m in messages):
            self._tasks.spawn(self.jump_to_latest())  # what I just wrote is shown
        self._jumps_maybe_changed()

    def _live_tail(self) -> tuple[int, int]:
        """The newest rows kept when a burst arrives at the bottom (twice those on screen),
        and the rows on screen."""
        first, last = self._visible
        shown = last - first + 1 if first >= 0 else 0
        return min(PAGE, max(LIVE_TAIL, 2 * shown)), shown

    def _remember_recalled(self, message: LocalMessage) -> None:
        """Keep the text of my message being recalled: the recalled copy has none."""
        if message.recalled and message.is_self:
            key = message_key(message)
            old = self.messages.message(key)
            if old is not None and old.text:
                self.messages.context.recalled_texts[key] = old.text

    def _names_changed(self) -> None:
        self.messages.refresh_names(self._names.changed)
        self.header_changed.emit()

    def _members_loaded(self) -> None:
        self.composer.set_members(self.group.members.members(), allow_all=self.group.is_admin)

    def _request_receipts(self) -> None:
        if self.type != ConversationType.GROUP:
            return
        known = self.messages.context.receipts
        seqs = [
            m.seq
            for m in self.messages.messages()
            if m.is_self and m.seq and not m.recalled
            if m.seq not in known and m.seq not in self._receipts_asked
        ][-RECEIPTS_BATCH:]
        if seqs:
            self._receipts_asked.update(seqs)
            self._tasks.spawn(self._fetch_receipts(self._token, seqs))

    async def _fetch_receipts(self, token: int, seqs: list[int]) -> None:
        receipts = await self._client.receipts(self._cid, seqs)
        if token == self._token:
            self.messages.set_receipts({r.seq: r.read_count for r in receipts})

    # -- message actions -------------------------------------------------------------------------
    def actions_for(self, key: str) -> list[str]:
        """What the context menu offers: copy, reply, recall, reedit, retry."""
        position = self.messages.position(key)
        if position < 0:
            return []
        row = self.messages.row(position)
        message = row.message
        actions = []
        if row.text and not message.recalled:
            actions.append("copy")
        if (
            message.message_id
            and not message.recalled
            and row.style is RowStyle.BUBBLE
            and self.type != ConversationType.SYSTEM
        ):
            actions.append("reply")
        if self.can_recall(message):
            actions.append("recall")
        if row.reedit:
            actions.append("reedit")
        if message.state is MessageState.FAILED:
            actions.append("retry")
        return actions

    def can_recall(self, message: LocalMessage) -> bool:
        if message.recalled or not message.message_id:
            return False
        if not is_recallable(message.kind):
            return False
        if self.type == ConversationType.GROUP and self.group.is_admin:
            return True
        if not message.is_self:
            return False
        limits = self._client.limits
        window = limits.recall_window_ms if limits is not None else 120_000
        return self._clock() - message.time < window

    def why_not_sent(self, key: str) -> str:
        """A failed message's reason, as the sender is told it (the refusal it got, e.g. an
        operator's callback's reason), and that a click sends it again; "" for others."""
        message = self.messages.message(key)
        if message is None or message.state is not MessageState.FAILED:
            return ""
        reason = _tr("Not sent.")
        if message.error is not None:
            refusal = error_from_wire(msgspec.structs.asdict(message.error))
            reason = not_sent_text(refusal, self.text_of(key))
        return reason + " " + _tr("Click to send it again.")

    def text_of(self, key: str) -> str:
        position = self.messages.position(key)
        return self.messages.row(position).text if position >= 0 else ""

    async def recall(self, key: str) -> None:
        message = self.messages.message(key)
        if message is not None and message.message_id:
            await self._run(self._client.recall(self._cid, message.message_id))

    async def resend(self, key: str) -> None:
        message = self.messages.message(key)
        if message is not None and message.state is MessageState.FAILED:
            await self._run(self._client.resend(message.client_msg_id))

    def reedit(self, key: str) -> None:
        message = self.messages.message(key)
        if message is not None and message.is_self:
            text = recalled_text(message, self.messages.context)
            if text:
                for user_id in self.messages.context.recalled_mentions.get(key, ()):
                    self.composer.choose_mention(user_id, self.display_name(user_id))
                self.composer.replace_text(text)

    def reply(self, key: str) -> None:
        message = self.messages.message(key)
        if message is not None and message.message_id:
            self.composer.set_reply(message)

    async def cancel_upload(self, key: str) -> None:
        message = self.messages.message(key)
        if message is not None:
            await self._run(self.uploads.cancel(message.client_msg_id))

    async def readers(self, seq: int) -> ReaderList | None:
        """Who has read my group message (and who has not); None if the server cannot say."""
        try:
            readers = await self._client.readers(self._cid, seq)
        except MessengerError as exc:
            self._report(exc)
            return None
        await self._names.load_cached([*readers.read, *readers.unread])
        return readers

    async def neighbour_picture(self, message: LocalMessage, *, older: bool) -> LocalMessage | None:
        """The chat's picture before (``older``) or after ``message``, loaded in the chat or
        not (the store, else the server, is asked); None at either end, or offline past what
        the store has."""
        try:
            return await self._client.neighbour_message(
                message.conversation_id, message.seq, "image", older=older
            )
        except MessengerError as exc:
            log.info("no picture next to %s: %r", message.message_id, exc)
            return None

    async def _run(self, work: Awaitable[object]) -> None:
        try:
            await work
        except MessengerError as exc:
            self._report(exc)

    def _report(self, exc: MessengerError) -> None:
        log.info("chat action failed: %r", exc)
        self.error_occurred.emit(refusal_text(exc))

    def refresh(self) -> None:
        """The language or the day changed."""
        self.messages.context.now_ms = self._clock()
        self.messages.refresh()
        self.header_changed.emit()

    def close(self) -> None:
        self._token += 1
        self.composer.close()
        self.group.close()
        self.typing.clear()
        self.thumbnails.close()
        self.downloads.close()
        self.ops.close()
        self._tasks.close()


async def _ready(window: Window) -> Window:
    return window
