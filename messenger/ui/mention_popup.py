"""``MentionPopup``: the list of people "@" can mention, shown above the composer while the
user types "@…". It never takes the keyboard focus: the text box forwards Up, Down, Enter,
Tab and Esc to it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from messenger.ui.avatars import paint_avatar
from messenger.ui.theme import chat_colors
from messenger.viewmodels.mentions import (
    CANDIDATE_ROLE,
    MENTION_ALL,
    MentionCandidate,
    MentionCandidatesModel,
)

ROWS_SHOWN = 6
AVATAR = 26
ROW = AVATAR + 10
WIDTH = 340  # wanted; narrower only when the chat is
EDGE = 4  # kept free around the popup inside the chat
MARGIN = 2


class MentionDelegate(QStyledItemDelegate):
    """Avatar, name, and the ID (or what @all means) in grey."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(1, ROW)  # as wide as the list: long names are elided, never scrolled

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        candidate = index.data(CANDIDATE_ROLE)
        if not isinstance(candidate, MentionCandidate):
            return
        palette = option.palette
        colors = chat_colors(palette)
        rect = option.rect
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        avatar = QRect(rect.left() + 6, rect.center().y() - AVATAR // 2 + 1, AVATAR, AVATAR)
        everyone = candidate.user_id == MENTION_ALL
        name = "@" + candidate.name if everyone else candidate.name
        paint_avatar(painter, avatar, candidate.user_id, name.lstrip("@"), colors.badge_text)
        left = avatar.right() + 8
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        metrics = painter.fontMetrics()
        width = rect.right() - left - 6
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(left, rect.top(), width, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            shown,
        )
        detail_left = left + metrics.horizontalAdvance(shown) + 8
        if candidate.detail and candidate.detail != candidate.name and detail_left < rect.right():
            painter.setFont(option.font)
            painter.setPen(colors.meta_text)
            detail = painter.fontMetrics().elidedText(
                candidate.detail, Qt.TextElideMode.ElideRight, rect.right() - detail_left - 6
            )
            painter.drawText(
                QRect(detail_left, rect.top(), rect.right() - detail_left, rect.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                detail,
            )
        painter.restore()


class MentionPopup(QFrame):
    chosen = Signal(str, str)  # user ID (or "@all"), name

    def __init__(self, model: MentionCandidatesModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("MentionPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self.list = QListView(self)
        self.list.setModel(model)
        self.list.setItemDelegate(MentionDelegate(self.list))
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.clicked.connect(self._clicked)
        layout.addWidget(self.list)
        model.modelReset.connect(self._reset)
        self.hide()

    def _reset(self) -> None:
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))
        elif self.isVisible():
            self.hide()

    def show_at(self, bottom_left: QPoint) -> None:
        """Show above ``bottom_left`` (parent coordinates), inside the parent: as wide as it
        wants unless the parent is narrower, as tall as its rows (up to ``ROWS_SHOWN``)
        unless there is less room above; one scroll bar at most, only for more rows."""
        if not self.model.rowCount():
            self.hide()
            return
        host = self.parentWidget()
        area = host.rect() if host is not None else QRect(0, 0, WIDTH + 2 * EDGE, 10_000)
        width = min(WIDTH, area.width() - 2 * EDGE)
        x = max(EDGE, min(bottom_left.x(), area.right() - EDGE - width))
        chrome = 2 * (self.frameWidth() + MARGIN)
        wanted = min(ROWS_SHOWN, self.model.rowCount()) * ROW + chrome
        room = bottom_left.y() - EDGE
        height = max(min(wanted, room), min(wanted, 2 * ROW + chrome))
        self.setGeometry(x, bottom_left.y() - height, width, height)
        self.show()
        self.raise_()

    def move_selection(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows:
            row = (self.list.currentIndex().row() + step) % rows
            self.list.setCurrentIndex(self.model.index(row, 0))

    def choose_current(self) -> bool:
        candidate = self.model.candidate(self.list.currentIndex().row())
        if candidate is None:
            return False
        self._emit(candidate)
        return True

    def _clicked(self, index: QModelIndex) -> None:
        candidate = self.model.candidate(index.row())
        if candidate is not None:
            self._emit(candidate)

    def _emit(self, candidate: MentionCandidate) -> None:
        self.hide()
        self.chosen.emit(candidate.user_id, candidate.name)
