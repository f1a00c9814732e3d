"""``GroupPanel``: the right pane of a group chat: the group's name, member count,
notification (announcement), introduction and its members with their roles."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.models import GroupRole
from messenger.ui.avatars import paint_avatar
from messenger.ui.conversation_delegate import paint_badge
from messenger.ui.theme import chat_colors
from messenger.viewmodels.group import MEMBER_ROLE, GroupViewModel, MemberRow

AVATAR = 30


class MemberDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(200, max(AVATAR + 10, option.fontMetrics.height() + 12))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = index.data(MEMBER_ROLE)
        if not isinstance(row, MemberRow):
            return
        palette = option.palette
        colors = chat_colors(palette)
        rect = option.rect
        painter.save()
        if option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        avatar = QRect(rect.left() + 8, rect.center().y() - AVATAR // 2 + 1, AVATAR, AVATAR)
        paint_avatar(painter, avatar, row.user_id, row.name, colors.badge_text)
        right = rect.right() - 8
        if row.role_text:
            color = colors.badge if row.role == GroupRole.OWNER else colors.badge_muted
            right = (
                paint_badge(
                    painter, right, rect.center().y(), row.role_text, color, colors.badge_text
                )
                - 6
            )
        painter.setFont(QFont(option.font))
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        left = avatar.right() + 9
        text_rect = QRect(left, rect.top(), right - left, rect.height())
        name = option.fontMetrics.elidedText(
            row.name, Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name
        )
        painter.restore()


def _plain_label(parent: QWidget, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class GroupPanel(QWidget):
    user_clicked = Signal(str)  # a member: show their profile card

    def __init__(self, vm: GroupViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("GroupPanel")
        self.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 8, 8)
        layout.setSpacing(4)
        self.name = _plain_label(self)
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.count = _plain_label(self)
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.notification_title = QLabel(self)
        self.notification = _plain_label(self)
        self.introduction_title = QLabel(self)
        self.introduction = _plain_label(self)
        self.members_title = QLabel(self)
        for title in (self.notification_title, self.introduction_title, self.members_title):
            bold = QFont(title.font())
            bold.setWeight(QFont.Weight.DemiBold)
            title.setFont(bold)
            title.setContentsMargins(0, 10, 0, 0)
        self.members = QListView(self)
        self.members.setObjectName("GroupMembers")
        self.members.setModel(vm.members)
        self.members.setItemDelegate(MemberDelegate(self.members))
        self.members.setUniformItemSizes(True)
        self.members.setMouseTracking(True)
        self.members.setFrameShape(QListView.Shape.NoFrame)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.clicked.connect(self._member_clicked)
        for widget in (
            self.name,
            self.count,
            self.notification_title,
            self.notification,
            self.introduction_title,
            self.introduction,
            self.members_title,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.members, 1)
        vm.info_changed.connect(self.refresh)
        vm.members.modelReset.connect(self.refresh)
        self.retranslate()

    def _member_clicked(self, index: QModelIndex) -> None:
        row = index.data(MEMBER_ROLE)
        if row is not None:
            self.user_clicked.emit(row.user_id)

    def refresh(self) -> None:
        info = self.vm.info
        self.name.setText(info.name if info else "")
        count = info.member_count if info else 0
        self.count.setText(self.tr("%n member(s)", "", count) if count else "")
        notification = info.notification if info else ""
        self.notification.setText(notification)
        self.notification.setVisible(bool(notification))
        self.notification_title.setVisible(bool(notification))
        introduction = info.introduction if info else ""
        self.introduction.setText(introduction)
        self.introduction.setVisible(bool(introduction))
        self.introduction_title.setVisible(bool(introduction))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.notification_title.setText(self.tr("Notification"))
        self.introduction_title.setText(self.tr("Introduction"))
        self.members_title.setText(self.tr("Members"))
        self.members.setAccessibleName(self.tr("Group members"))
        self.name.setAccessibleName(self.tr("Group name"))
        self.notification.setAccessibleName(self.tr("Group notification"))
        self.refresh()
