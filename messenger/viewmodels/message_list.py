"""``MessageListModel``: a sliding window of one conversation's messages.

A chat may hold 100,000 messages; the model never does. It holds a contiguous window of a few
hundred (ascending by ``seq``, then my unsent ones when the window reaches the latest), which
the chat view-model loads from the store around where the user looks: older pages are
prepended as they scroll up, newer ones appended as they scroll down, and the far end is
released (``trim_front`` / ``trim_back``) so the window stays small. ``has_older`` and
``at_latest`` say whether more exists beyond each end.

Rows (``MessageRow``) are built lazily and cached; a row depends on the message before it (time
separators, runs of one sender), so a change next to it rebuilds it too.

Rows that come in above the screen (an older page, the rest of a burst's newest rows) are made
``SLICE`` at a time, one slice per turn of the event loop, and handed to the view to measure
(``rows_prepared``); once all are made they are added in one step (``prepend_sliced``), which
then costs the view no measuring. A view measures a new row when it first lays it out (about
0.1-0.25 ms each), and 50 of them in one turn held the event loop for a frame or more. Until
they are added, the rows still to come (``filling``) count as part of the window for updates
and removals, so nothing is lost or shown twice.

A burst seen from the bottom (``show_latest``) is shown the same way: its rows on screen are
made and measured a slice per turn while the old rows stay on screen, and the window is
replaced in the turn after the last slice. Measuring them and painting them in one turn held
the loop for about a frame; apart, each turn is a few milliseconds. Any other change to the
window lands the waiting burst first (``_land_coming``), so changes apply in order.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimerEvent,
    Signal,
)

from messenger.core.models import LocalMessage
from messenger.viewmodels.message_rows import MessageRow, RowContext, message_key, message_row

AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # MessageRow
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's stable key
SEQ_ROLE = Qt.ItemDataRole.UserRole + 3  # seq (0 while sending)

SLICE = 8  # rows added above the screen per turn of the event loop
# A burst's rows above the screen wait until no batch has come for this long: each batch
# replaces the window, so slices laid out between two batches would be thrown away.
SETTLE_MS = 100


class MessageListModel(QAbstractListModel):
    # Around a compound change (release far rows, then add a page): a view may lay out once.
    batch_started = Signal()
    batch_finished = Signal()
    # Rows made ahead of being added above (``prepend_sliced``): a view measures them now, so
    # adding them later costs no measuring.
    rows_prepared = Signal(list)

    def __init__(self, context: RowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.has_older = False
        self.at_latest = True
        self._messages: list[LocalMessage] = []
        self._keys: list[str] = []
        self._rows: dict[str, MessageRow] = {}
        self._names_in: dict[str, frozenset[str]] = {}  # row key → whose names the row shows
        self._above: list[LocalMessage] = []  # rows still to be added above, oldest first
        self._older_beyond = False  # has_older once they are all in
        # rows made ahead for them: key → (row, key of the message before it, names it shows)
        self._prepared: dict[str, tuple[MessageRow, str, frozenset[str]]] = {}
        self._slicer = 0  # the Qt timer of the next slice (0: none)
        # A burst waiting to be shown (``show_latest``): the window it becomes, the rows to
        # add above it after, and rows made for it (key → row, key before it, names it shows).
        self._coming: _Coming | None = None
        self._coming_rows: dict[str, tuple[MessageRow, str, frozenset[str]]] = {}
        self._coming_timer = 0

    # -- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._messages):
            return None
        position = index.row()
        if role == KEY_ROLE:
            return self._keys[position]
        if role == SEQ_ROLE:
            return self._messages[position].seq
        if role == ROW_ROLE:
            return self.row(position)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            row = self.row(position)
            if role == Qt.ItemDataRole.DisplayRole or row.mine or not row.sender_id:
                return row.text
            return f"{row.sender_name or row.sender_id}: {row.text}"
        return None

    # -- reading ---------------------------------------------------------------------------------
    def row(self, position: int) -> MessageRow:
        key = self._keys[position]
        cached = self._rows.get(key)
        if cached is None:
            previous = self._messages[position - 1] if position > 0 else None
            cached, names = self._make_row(self._messages[position], previous)
            self._rows[key] = cached
            self._names_in[key] = names
        return cached

    def _make_row(
        self, message: LocalMessage, previous: LocalMessage | None
    ) -> tuple[MessageRow, frozenset[str]]:
        """A message's row, and whose names it shows (it is made again if one of them
        changes, and only then)."""
        context = self.context
        name_of = context.name_of
        asked: set[str] = set()

        def recorded(user_id: str) -> str:
            asked.add(user_id)
            return name_of(user_id)

        context.name_of = recorded
        try:
            return message_row(message, previous, context), frozenset(asked)
        finally:
            context.name_of = name_of

    def messages(self) -> list[LocalMessage]:
        """The window's messages, with those still to be added above it (``filling``), or
        those of a burst about to be shown."""
        if self._coming is not None:
            return [*self._coming.above, *self._coming.shown]
        return [*self._above, *self._messages]

    @property
    def filling(self) -> bool:
        """Rows are still being made, a slice per turn: above the window, or a burst's."""
        return bool(self._above) or self._coming is not None

    def position(self, key: str) -> int:
        """The row of a message by key, or -1 (a linear scan: the window is small)."""
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def message(self, key: str) -> LocalMessage | None:
        if self._coming is None:
            position = self.position(key)
            if position >= 0:
                return self._messages[position]
        return next((m for m in self.messages() if message_key(m) == key), None)

    def position_of_seq(self, seq: int) -> int:
        for position, message in enumerate(self._messages):
            if message.seq == seq:
                return position
        return -1

    @property
    def oldest_seq(self) -> int:
        return next((m.seq for m in self._messages if m.seq), 0)

    @property
    def newest_seq(self) -> int:
        return next((m.seq for m in reversed(self._messages) if m.seq), 0)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes that belong together (views may defer their layout to the end)."""
        self.batch_started.emit()
        try:
            yield
        finally:
            self.batch_finished.emit()

    # -- the window ------------------------------------------------------------------------------
    def reset(self, messages: Sequence[LocalMessage], *, has_older: bool, at_latest: bool) -> None:
        self._drop_coming()
        self._replace(_ordered(messages), {}, has_older=has_older, at_latest=at_latest)

    def _replace(
        self,
        messages: list[LocalMessage],
        made: dict[str, tuple[MessageRow, str, frozenset[str]]],
        *,
        has_older: bool,
        at_latest: bool,
    ) -> None:
        """The window becomes ``messages`` (in order); rows made for them ahead, with the same
        message before them, are used as they are."""
        self._stop_filling()
        self.beginResetModel()
        self._messages = messages
        self._keys = [message_key(m) for m in messages]
        self._rows.clear()
        self._names_in.clear()
        for i, key in enumerate(self._keys):
            ready = made.get(key)
            if ready is not None and ready[1] == (self._keys[i - 1] if i else ""):
                self._rows[key], self._names_in[key] = ready[0], ready[2]
        self.has_older = has_older
        self.at_latest = at_latest
        self.endResetModel()

    def prepend(self, messages: Sequence[LocalMessage], *, has_older: bool) -> int:
        """An older page above the window; returns how many rows were added."""
        self._land_coming()
        self.has_older = has_older
        known = set(self._keys)
        fresh = [m for m in messages if message_key(m) not in known]
        oldest = self.oldest_seq
        fresh = [m for m in fresh if m.seq and (not oldest or m.seq < oldest)]
        if not fresh:
            return 0
        fresh.sort(key=lambda m: m.seq)
        keys = [message_key(m) for m in fresh]
        for i, key in enumerate(keys):  # rows made ahead, where they have the same neighbour
            prepared = self._prepared.pop(key, None)
            if prepared is not None and prepared[1] == (keys[i - 1] if i else ""):
                self._rows[key], self._names_in[key] = prepared[0], prepared[2]
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._messages[0:0] = fresh
        self._keys[0:0] = keys
        self.endInsertRows()
        self._rebuild(len(fresh))  # the old first row now has a message before it
        return len(fresh)

    def prepend_sliced(self, messages: Sequence[LocalMessage], *, has_older: bool) -> None:
        """An older page above the window: its rows are made (and measured by the view) a
        slice per turn, then added in one step."""
        self._land_coming()
        known = set(self._keys) | {message_key(m) for m in self._above}
        oldest = next((m.seq for m in [*self._above, *self._messages] if m.seq), 0)
        fresh = [m for m in _ordered(messages) if message_key(m) not in known]
        fresh = [m for m in fresh if m.seq and (not oldest or m.seq < oldest)]
        self._above[0:0] = fresh
        self._older_beyond = has_older
        self._next_slice()

    def _next_slice(self) -> None:
        """Make the next ``SLICE`` rows still to come; once all are made, add them (in the
        next turn: no turn both measures rows and paints them)."""
        above = self._above
        waiting = [i for i, m in enumerate(above) if message_key(m) not in self._prepared]
        made: list[MessageRow] = []
        for i in waiting[:SLICE]:
            previous = above[i - 1] if i else None
            row, names = self._make_row(above[i], previous)
            self._prepared[message_key(above[i])] = (
                row,
                message_key(previous) if previous is not None else "",
                names,
            )
            made.append(row)
        if made:
            self.rows_prepared.emit(made)
        if waiting:  # (added in a later turn than the last slice is measured in)
            self._slice_later(0)
            return
        self._above = []
        with self.batch():  # (the rows and the old first row's new look: one layout)
            self.prepend(above, has_older=self._older_beyond)
        self._prepared.clear()

    def _slice_later(self, ms: int) -> None:
        if self._slicer:
            self.killTimer(self._slicer)
        self._slicer = self.startTimer(ms)

    def timerEvent(self, event: QTimerEvent) -> None:
        if event.timerId() == self._coming_timer and self._coming_timer:
            self.killTimer(self._coming_timer)
            self._coming_timer = 0
            if self._coming is not None and self._make_coming():
                self._coming_later()
            else:
                self._land_coming()
            return
        if event.timerId() != self._slicer:
            super().timerEvent(event)
            return
        self.killTimer(self._slicer)
        self._slicer = 0
        self._next_slice()

    def _stop_filling(self) -> None:
        self._above = []
        self._prepared.clear()
        if self._slicer:
            self.killTimer(self._slicer)
            self._slicer = 0

    def append(self, messages: Iterable[LocalMessage], *, at_latest: bool | None = None) -> int:
        """Newer messages (a page, a live arrival, my local echo); known ones are updated."""
        self._land_coming()
        fresh = [m for m in messages if not self.upsert(m)]
        added = len(fresh)
        if fresh and self._all_after_the_end(fresh):
            self._insert_at_end(_ordered(fresh))  # a run of newer ones: one insertion
        else:
            added = 0
            for message in fresh:
                if not self.upsert(message):  # (a message twice in one batch)
                    self._insert(message)
                    added += 1
        if at_latest is not None:
            self.at_latest = at_latest
        return added

    def append_within(self, messages: Sequence[LocalMessage], limit: int) -> None:
        """``append``, but new rows only while the window has fewer than ``limit``: the newer
        ones beyond stay in the store (``at_latest`` becomes False; scrolling down loads them)."""
        self._land_coming()
        known = set(self._keys)
        fresh = _ordered([m for m in messages if message_key(m) not in known])
        room = max(0, limit - len(self._messages))
        if len(fresh) <= room:
            self.append(messages)
            return
        taken = known | {message_key(m) for m in fresh[:room]}
        self.append([m for m in messages if message_key(m) in taken], at_latest=False)

    def show_latest(self, messages: Sequence[LocalMessage], count: int, first: int) -> None:
        """A burst seen from the bottom: the window becomes the newest ``count`` of its rows and
        ``messages`` (the others stay in the store, a scroll up away), so only rows that can be
        seen are laid out: the newest ``first`` (with every unsent one) are made a slice per
        turn and shown together once made, the rest above them a slice per turn after."""
        merged = _ordered([*self.messages(), *messages])
        older = self._coming.older if self._coming is not None else self.has_older
        has_older = older or len(merged) > count
        kept = merged[-count:]
        cut = max(0, len(kept) - first)
        while cut and not kept[cut - 1].seq:
            cut -= 1  # (unsent ones are never left for later: they are last)
        self._stop_filling()  # (the rows above are part of ``merged``)
        self._coming = _Coming(shown=kept[cut:], above=kept[:cut], older=has_older)
        self._coming_rows.update(self._rows_now(kept[cut:]))  # rows on screen are not made again
        self._make_coming()
        self._coming_later()  # the next slice, or the burst shown

    def _make_coming(self) -> bool:
        """Make the next ``SLICE`` rows of the burst waiting to be shown; False when all were
        made already (it is shown in the turn after its last slice: no turn both measures and
        paints them)."""
        coming = self._coming
        assert coming is not None
        shown, made = coming.shown, self._coming_rows
        fresh: list[MessageRow] = []
        for i, message in enumerate(shown):
            key, before = message_key(message), message_key(shown[i - 1]) if i else ""
            ready = made.get(key)
            if ready is not None and ready[1] == before:
                continue
            if len(fresh) == SLICE:
                break
            row, names = self._make_row(message, shown[i - 1] if i else None)
            made[key] = (row, before, names)
            fresh.append(row)
        if fresh:
            self.rows_prepared.emit(fresh)
        return bool(fresh)

    def _coming_later(self) -> None:
        if not self._coming_timer:
            self._coming_timer = self.startTimer(0)

    def _land_coming(self) -> None:
        """Show the burst waiting to be shown now, with the rows made for it so far (before any
        other change to the window)."""
        coming, made = self._coming, self._coming_rows
        if coming is None:
            return
        self._drop_coming()
        kept = self._rows_now(coming.above)  # (rows above that are on screen now: not made again)
        self._replace(
            coming.shown, made, has_older=coming.older or bool(coming.above), at_latest=True
        )
        if coming.above:
            self._above, self._older_beyond = coming.above, coming.older
            self._prepared.update(kept)
            self._slice_later(SETTLE_MS)

    def _rows_now(
        self, messages: Sequence[LocalMessage]
    ) -> dict[str, tuple[MessageRow, str, frozenset[str]]]:
        """The rows already made for ``messages`` (in order) in the window, where the message
        before each is the same."""
        current = {key: i for i, key in enumerate(self._keys)}
        found: dict[str, tuple[MessageRow, str, frozenset[str]]] = {}
        for i, message in enumerate(messages):
            key, before = message_key(message), message_key(messages[i - 1]) if i else ""
            at = current.get(key, -1)
            row = self._rows.get(key) if at >= 0 else None
            if row is not None and (self._keys[at - 1] if at > 0 else "") == before:
                found[key] = (row, before, self._names_in.get(key, frozenset()))
        return found

    def _drop_coming(self) -> None:
        self._coming = None
        self._coming_rows = {}
        if self._coming_timer:
            self.killTimer(self._coming_timer)
            self._coming_timer = 0

    def _all_after_the_end(self, messages: Sequence[LocalMessage]) -> bool:
        """Whether ``messages`` all go below the last row (sent ones after the newest sent,
        nothing unsent in the window, or only unsent ones)."""
        if all(not m.seq for m in messages):
            return True
        if self._messages and not self._messages[-1].seq:
            return False
        newest = self.newest_seq
        keys = [message_key(m) for m in messages]
        return len(set(keys)) == len(keys) and all(m.seq > newest for m in messages)

    def _insert_at_end(self, messages: Sequence[LocalMessage]) -> None:
        first = len(self._messages)
        self.beginInsertRows(QModelIndex(), first, first + len(messages) - 1)
        self._messages.extend(messages)
        self._keys.extend(message_key(m) for m in messages)
        self.endInsertRows()

    def _insert(self, message: LocalMessage) -> None:
        position = self._slot(message)
        self.beginInsertRows(QModelIndex(), position, position)
        self._messages.insert(position, message)
        self._keys.insert(position, message_key(message))
        self.endInsertRows()
        self._rebuild(position + 1)

    def _slot(self, message: LocalMessage) -> int:
        """Where a message belongs: by seq among the sent ones (first, in order), unsent ones
        last. A live arrival goes after the newest at once; only an older one is searched."""
        messages = self._messages
        if not message.seq:
            return len(messages)
        end = len(messages)
        while end and not messages[end - 1].seq:
            end -= 1  # the few unsent ones at the end
        if end == 0 or messages[end - 1].seq < message.seq:
            return end
        return bisect.bisect_left([m.seq for m in messages[:end]], message.seq)

    def upsert(self, message: LocalMessage) -> bool:
        """Update a message in the window (sent, failed, recalled); False if it is not here."""
        self._land_coming()
        key = message_key(message)
        position = self.position(key)
        if position < 0:
            return self._replace_above(key, message)
        old = self._messages[position]
        self._messages[position] = message
        if old.seq != message.seq:  # the echo got its seq: it may belong elsewhere now
            del self._messages[position], self._keys[position]
            target = self._slot(message)
            self._messages.insert(position, message)
            self._keys.insert(position, key)
            if target != position:
                # Qt's destination is the row it goes before, counted before the move.
                destination = target if target < position else target + 1
                self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), destination)
                del self._messages[position], self._keys[position]
                self._messages.insert(target, message)
                self._keys.insert(target, key)
                self.endMoveRows()
                low, high = min(position, target), max(position, target)
                self._rebuild(*range(low, high + 2))
                return True
        self._rebuild(position, position + 1)
        return True

    def remove(self, key: str) -> bool:
        """Take a message out of the window (deleted for me); False if it is not here."""
        self._land_coming()
        position = self.position(key)
        if position < 0:
            return self._replace_above(key, None)
        self.beginRemoveRows(QModelIndex(), position, position)
        self._rows.pop(key, None)
        del self._messages[position], self._keys[position]
        self.endRemoveRows()
        self._rebuild(position)  # the next row may now start a run or need a time separator
        return True

    def _replace_above(self, key: str, message: LocalMessage | None) -> bool:
        """Update (or, with None, drop) a message still to be added above; False if it is not
        one of them."""
        for i, waiting in enumerate(self._above):
            if message_key(waiting) == key:
                self._prepared.clear()  # (it and the row after it show it)
                if message is None:
                    del self._above[i]
                else:
                    self._above[i] = message
                return True
        return False

    def trim_front(self, count: int) -> None:
        """Release the ``count`` oldest rows (the user is far below them)."""
        self._land_coming()
        count = min(count, len(self._messages))
        if count <= 0:
            return
        self._stop_filling()  # (older still than those released)
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        for key in self._keys[:count]:
            self._rows.pop(key, None)
            self._names_in.pop(key, None)
        del self._messages[:count], self._keys[:count]
        self.has_older = True
        self.endRemoveRows()
        self._rebuild(0)

    def trim_back(self, count: int) -> None:
        """Release the ``count`` newest rows (the user is far above them)."""
        self._land_coming()
        count = min(count, len(self._messages))
        if count <= 0:
            return
        first = len(self._messages) - count
        self.beginRemoveRows(QModelIndex(), first, len(self._messages) - 1)
        for key in self._keys[first:]:
            self._rows.pop(key, None)
            self._names_in.pop(key, None)
        del self._messages[first:], self._keys[first:]
        self.at_latest = False
        self.endRemoveRows()

    # -- context changes -------------------------------------------------------------------------
    def set_peer_read(self, seq: int) -> None:
        old, self.context.peer_read_seq = self.context.peer_read_seq, seq
        if seq != old:
            self._rebuild_where(lambda m: m.is_self and min(old, seq) < m.seq <= max(old, seq))

    def set_receipts(self, receipts: dict[int, int]) -> None:
        changed = {s for s, n in receipts.items() if self.context.receipts.get(s) != n}
        if changed:
            self.context.receipts.update(receipts)
            self._rebuild_where(lambda m: m.seq in changed)

    def set_unread_marker(self, key: str) -> None:
        old, self.context.unread_marker_key = self.context.unread_marker_key, key
        if old != key:
            self._rebuild_where(lambda m: message_key(m) in (old, key))

    def refresh(self) -> None:
        """The language or the day changed: every row is made again."""
        self._rows.clear()
        self._prepared.clear()
        self._coming_rows.clear()
        if self._messages:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._messages) - 1, 0))

    def refresh_names(self, user_ids: frozenset[str]) -> None:
        """These users' names changed: the rows that show one of them are made again."""
        for made in (self._prepared, self._coming_rows):
            for key, prepared in list(made.items()):
                if not prepared[2].isdisjoint(user_ids):
                    del made[key]
        self._rebuild(
            *(
                position
                for position, key in enumerate(self._keys)
                if key in self._rows
                and not self._names_in.get(key, frozenset()).isdisjoint(user_ids)
            )
        )

    def _rebuild(self, *positions: int) -> None:
        """Forget these rows' cached rows; one ``dataChanged`` over the range (one re-layout)."""
        inside = [p for p in positions if 0 <= p < len(self._messages)]
        if not inside:
            return
        for position in inside:
            self._rows.pop(self._keys[position], None)
        self.dataChanged.emit(self.index(min(inside), 0), self.index(max(inside), 0))

    def _rebuild_where(self, test: Any) -> None:
        for message in self._above:  # rows made ahead that show what changed: made again
            if test(message):
                self._prepared.pop(message_key(message), None)
        if self._coming is not None:
            for message in self._coming.shown:
                if test(message):
                    self._coming_rows.pop(message_key(message), None)
        self._rebuild(*(i for i, m in enumerate(self._messages) if test(m)))


@dataclass(slots=True)
class _Coming:
    """A burst waiting to be shown: the window it becomes (``shown``), the rows to add above
    that window a slice per turn after (``above``), and whether the store has older ones."""

    shown: list[LocalMessage]
    above: list[LocalMessage]
    older: bool


def _ordered(messages: Sequence[LocalMessage]) -> list[LocalMessage]:
    seen: dict[str, LocalMessage] = {}
    for message in messages:
        seen[message_key(message)] = message
    unique = list(seen.values())
    sent = sorted((m for m in unique if m.seq), key=lambda m: m.seq)
    return sent + [m for m in unique if not m.seq]
