"""``MentionCandidatesModel``: whom "@…" in the composer can mention.

The group's members (not me), matched by name card, nickname or ID; "@all" ("@所有人" in
Chinese) first for the group's owner and admins. Names that start with the query come before
names that merely contain it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, Qt

from messenger.protocol.models import GroupMember
from messenger.viewmodels.message_list import AnyIndex
from messenger.viewmodels.names import NamesViewModel

MENTION_ALL = "@all"  # the user ID stands for "everyone" in candidate rows
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 1  # MentionCandidate
LIMIT = 50


@dataclass(frozen=True, slots=True)
class MentionCandidate:
    user_id: str  # MENTION_ALL for everyone
    name: str  # what "@" inserts
    detail: str  # the ID, or what @all means


class MentionCandidatesModel(QAbstractListModel):
    def __init__(self, names: NamesViewModel, me: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names = names
        self._me = me
        self._group_id = ""
        self._members: list[GroupMember] = []
        self._allow_all = False
        self._query = ""
        self._rows: list[MentionCandidate] = []
        names.names_changed.connect(self._refilter)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == CANDIDATE_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail
        return None

    def candidate(self, row: int) -> MentionCandidate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def set_members(
        self, group_id: str, members: Sequence[GroupMember], *, allow_all: bool
    ) -> None:
        self._group_id = group_id
        self._members = [m for m in members if m.user_id != self._me]
        self._allow_all = allow_all
        self._refilter()

    def set_query(self, query: str) -> None:
        self._query = query.casefold()
        self._refilter()

    def _refilter(self) -> None:
        starts: list[MentionCandidate] = []
        contains: list[MentionCandidate] = []
        q = self._query
        label = QCoreApplication.translate("Composer", "all", "@all: mention everyone")
        if self._allow_all and (label.casefold().startswith(q) or "all".startswith(q)):
            everyone = QCoreApplication.translate("Composer", "Everyone in the group")
            starts.append(MentionCandidate(MENTION_ALL, label, everyone))
        for member in self._members:
            uid = member.user_id
            name = self._names.display(uid, self._group_id)
            keys = [k.casefold() for k in (name, member.name_card, self._names.nickname(uid), uid)]
            candidate = MentionCandidate(uid, name, uid)
            if any(k.startswith(q) for k in keys if k):
                starts.append(candidate)
            elif any(q in k for k in keys if k):
                contains.append(candidate)
        rows = (starts + contains)[:LIMIT]
        if rows != self._rows:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
