"""``ConversationListModel``: the conversation list, kept in order by small live changes.

Each ``ConversationsChanged`` becomes row inserts, moves, ``dataChanged`` or removals (a
hidden conversation leaves the list); the model is reset only when the account's list is
first loaded. Rows are built lazily and cached until the conversation or a name changes.
``ConversationFilterModel`` narrows it to the names (or IDs) matching the filter box.
"""

from __future__ import annotations

import bisect
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
    """The conversations whose name or ID contains the filter text (case-insensitive)."""

    def __init__(self, source: ConversationListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSourceModel(source)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._needle:
            return True
        source = self.sourceModel()
        assert isinstance(source, ConversationListModel)
        row = source.row(source_row)
        return self._needle in row.name.casefold() or self._needle in row.conversation_id.casefold()
