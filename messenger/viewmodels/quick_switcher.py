"""``QuickSwitcherModel``: Ctrl+K's list, the conversations best matching what was typed.

Fuzzy: the query's characters must appear in order in the name or the ID; a match at the
start, at word starts and in a run scores higher. An empty query lists the conversations in
the list's own order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt

from messenger.viewmodels.conversation_list import ConversationListModel
from messenger.viewmodels.conversation_rows import ConversationRow
from messenger.viewmodels.message_list import AnyIndex

LIMIT = 30
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1  # ConversationRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def fuzzy_score(query: str, text: str) -> int | None:
    """How well ``query`` matches ``text`` as an in-order subsequence (None: no match)."""
    q, t = query.casefold(), text.casefold()
    if not q:
        return 0
    score, at, previous = 0, 0, -2
    for char in q:
        found = t.find(char, at)
        if found < 0:
            return None
        score += 1
        if found == previous + 1:
            score += 5  # a run
        if found == 0 or not t[found - 1].isalnum():
            score += 8  # a word start
        previous, at = found, found + 1
    if t.startswith(q):
        score += 20
    return score - len(t) // 10


@dataclass(frozen=True, slots=True)
class _Result:
    score: int
    order: int
    row: ConversationRow


class QuickSwitcherModel(QAbstractListModel):
    def __init__(self, source: ConversationListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._query = ""
        self._rows: list[ConversationRow] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == RESULT_ROLE:
            return row
        if role == ID_ROLE:
            return row.conversation_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.name
        return None

    def conversation_id(self, row: int) -> str:
        return self._rows[row].conversation_id if 0 <= row < len(self._rows) else ""

    def set_query(self, query: str) -> None:
        self._query = query.strip()
        self.update()

    def update(self) -> None:
        """Match again (the query or the conversations changed)."""
        results: list[_Result] = []
        for order in range(self._source.rowCount()):
            row = self._source.row(order)
            scores = [
                fuzzy_score(self._query, row.name),
                fuzzy_score(self._query, row.conversation_id),
            ]
            best = max((s for s in scores if s is not None), default=None)
            if best is not None:
                results.append(_Result(best, order, row))
        results.sort(key=lambda r: (-r.score, r.order))
        self.beginResetModel()
        self._rows = [r.row for r in results[:LIMIT]]
        self.endResetModel()
