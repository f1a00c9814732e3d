"""``ConversationListModel``: the conversation list, kept in order by small live changes.

Each ``ConversationsChanged`` becomes row inserts, moves, ``dataChanged`` or removals (a
hidden conversation leaves the list); the model is reset only when the account's list is
first loaded. Rows are built lazily and cached until the conversation or a name changes.
``ConversationFilterModel`` narrows it to the names (or IDs) matching the filter box, and puts
a community's topics right under it (indented; the community's topics can be folded away).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from messenger.core.clock import system_clock
from messenger.core.models import Conversation
from messenger.viewmodels.conversation_rows import ConversationRow, conversation_row, sort_key
from messenger.viewmodels.names import NamesViewModel

AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # ConversationRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # conversation ID
TOPIC_ROLE = Qt.ItemDataRole.UserRole + 3  # PLAIN, TOPIC (under its community) or COMMUNITY
PLAIN, TOPIC, COMMUNITY = 0, 1, 2  # COMMUNITY: a community with topics in the list
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 4  # a community whose topics are folded away


class ConversationListModel(QAbstractListModel):
    def __init__(
        self,
        names: NamesViewModel,
        me: str,
        clock: Callable[[], int] = system_clock,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._names = names
        self._me = me
        self._clock = clock
        self._items: list[Conversation] = []
        self._keys: list[tuple[int, int, int, str]] = []
        self._index: dict[str, int] = {}
        self._rows: dict[str, ConversationRow] = {}

    # -- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        conversation = self._items[index.row()]
        if role == ID_ROLE:
            return conversation.conversation_id
        if role not in (ROW_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self.row(index.row())
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        unread = f", {row.badge} unread" if row.badge else ""
        return f"{row.name}{unread}: {row.flag} {row.preview}".replace("  ", " ")

    # -- reading ---------------------------------------------------------------------------------
    def row(self, position: int) -> ConversationRow:
        conversation = self._items[position]
        cached = self._rows.get(conversation.conversation_id)
        if cached is None:
            cached = conversation_row(conversation, self._me, self._names, self._clock())
            self._rows[conversation.conversation_id] = cached
        return cached

    def conversation(self, conversation_id: str) -> Conversation | None:
        position = self._index.get(conversation_id)
        return None if position is None else self._items[position]

    def position(self, conversation_id: str) -> int:
        """The row of a conversation, or -1."""
        return self._index.get(conversation_id, -1)

    def conversation_id_at(self, position: int) -> str:
        return self._items[position].conversation_id

    def conversation_ids(self) -> list[str]:
        return [c.conversation_id for c in self._items]

    # -- changes ---------------------------------------------------------------------------------
    def reset(self, conversations: Sequence[Conversation]) -> None:
        visible = sorted((c for c in conversations if not c.hidden), key=sort_key)
        self.beginResetModel()
        self._items = visible
        self._keys = [sort_key(c) for c in visible]
        self._rows.clear()
        self._reindex()
        self.endResetModel()

    def apply(self, conversations: Sequence[Conversation]) -> None:
        """Live changes: each conversation is inserted, moved, updated or removed in place."""
        for conversation in conversations:
            self._apply_one(conversation)

    def _apply_one(self, conversation: Conversation) -> None:
        cid = conversation.conversation_id
        self._rows.pop(cid, None)
        old = self._index.get(cid)
        if conversation.hidden:
            if old is not None:
                self.beginRemoveRows(QModelIndex(), old, old)
                del self._items[old], self._keys[old]
                self._reindex()
                self.endRemoveRows()
            return
        key = sort_key(conversation)
        if old is None:
            new = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), new, new)
            self._items.insert(new, conversation)
            self._keys.insert(new, key)
            self._reindex()
            self.endInsertRows()
            return
        rest = self._keys[:old] + self._keys[old + 1 :]
        new = bisect.bisect_left(rest, key)
        if new != old:
            # Qt's destination is the row it goes before, counted before the move.
            self.beginMoveRows(
                QModelIndex(), old, old, QModelIndex(), new if new < old else new + 1
            )
            del self._items[old], self._keys[old]
            self._items.insert(new, conversation)
            self._keys.insert(new, key)
            self._reindex()
            self.endMoveRows()
        else:
            self._items[old] = conversation
            self._keys[old] = key
        changed = self.index(new, 0)
        self.dataChanged.emit(changed, changed)

    def refresh(self) -> None:
        """Names or the day changed: every row is made again."""
        self._rows.clear()
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 0))

    def _reindex(self) -> None:
        self._index = {c.conversation_id: i for i, c in enumerate(self._items)}


class ConversationFilterModel(QSortFilterProxyModel):
    """The conversations whose name or ID contains the filter text (case-insensitive); each
    community's topics right after it (in their own order), unless it is folded (``collapsed``:
    its topics are left out while no filter text is typed). A community stands where its most
    recent topic (or itself) would, as a forum does in Telegram."""

    def __init__(self, source: ConversationListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._source = source
        self._parent_of: dict[str, str] = {}  # topic's conversation ID → its community's
        self._topics_of: dict[str, set[str]] = {}
        self.collapsed: set[str] = set()  # communities whose topics are folded away
        self.setSourceModel(source)
        self.setDynamicSortFilter(True)

    # -- topics ----------------------------------------------------------------------------------
    def set_topics(self, parent_of: dict[str, str]) -> None:
        """Which conversations are topics of which community (``GROUP…`` IDs both)."""
        if parent_of == self._parent_of:
            return
        self._parent_of = dict(parent_of)
        self._topics_of = {}
        for topic, community in parent_of.items():
            self._topics_of.setdefault(community, set()).add(topic)
        self.invalidate()
        if parent_of and self.sortColumn() < 0:
            self.sort(0)  # from now on the proxy orders (source order, topics moved up)

    def has_topics(self, conversation_id: str) -> bool:
        return conversation_id in self._topics_of

    def toggle_topics(self, community: str) -> None:
        """Fold a community's topics away, or show them again."""
        self.beginFilterChange()
        self.collapsed ^= {community}
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _community_shown(self, conversation_id: str) -> str:
        """The community of a topic when that community is in the list, else ""."""
        community = self._parent_of.get(conversation_id, "")
        return community if community and self._source.position(community) >= 0 else ""

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        return self._order(left) < self._order(right)

    def _order(self, index: AnyIndex) -> tuple[int, int, int]:
        conversation_id = str(index.data(ID_ROLE))
        community = self._community_shown(conversation_id)
        if community:
            return (self._place_of(community), 1, index.row())
        if conversation_id in self._topics_of:
            return (self._place_of(conversation_id), 0, 0)
        return (index.row(), 0, 0)

    def _place_of(self, community: str) -> int:
        """A community's place: the first of its own row and its topics' rows."""
        rows = [self._source.position(t) for t in self._topics_of.get(community, ())]
        return min([self._source.position(community), *(r for r in rows if r >= 0)])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == TOPIC_ROLE:
            conversation_id = str(super().data(index, ID_ROLE))
            if self._community_shown(conversation_id):
                return TOPIC
            return COMMUNITY if conversation_id in self._topics_of else PLAIN
        if role == FOLDED_ROLE:
            return str(super().data(index, ID_ROLE)) in self.collapsed
        if role == ROW_ROLE:
            row = super().data(index, role)
            if isinstance(row, ConversationRow) and row.conversation_id in self.collapsed:
                return self._with_topics_unread(row)
            return row
        return super().data(index, role)

    def _with_topics_unread(self, row: ConversationRow) -> ConversationRow:
        """A folded community's badge counts its topics' unread messages too."""
        hidden = 0
        for topic in self._topics_of.get(row.conversation_id, ()):
            position = self._source.position(topic)
            if position >= 0:
                hidden += self._source.row(position).badge
        return dataclasses.replace(row, badge=row.badge + hidden) if hidden else row

    def set_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        source = self._source
        if not self._needle:
            if not self.collapsed:
                return True
            conversation = source.conversation_id_at(source_row)
            return self._community_shown(conversation) not in self.collapsed
        row = source.row(source_row)
        return self._needle in row.name.casefold() or self._needle in row.conversation_id.casefold()
