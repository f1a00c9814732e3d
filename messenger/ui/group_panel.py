"""``GroupPanel``: the right pane of a group chat: the group's name, ID, member count,
notification (announcement), introduction, its members with their roles and mute state, a member
context menu and the group's buttons, offering exactly what the signed-in user's role allows
(``GroupViewModel.member_actions`` / ``panel_actions``, from the capability table)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.models import GroupRole, RemindType
from messenger.ui.async_slots import async_slot
from messenger.ui.avatars import paint_avatar
from messenger.ui.confirm import confirm
from messenger.ui.conversation_delegate import paint_badge
from messenger.ui.group_dialogs import AddMembersDialog, EditGroupDialog, RequestsDialog
from messenger.ui.theme import chat_colors
from messenger.viewmodels.conversations import ConversationListViewModel
from messenger.viewmodels.group import MEMBER_ROLE, GroupViewModel, MemberRow
from messenger.viewmodels.group_actions import MemberAction, PanelAction

MUTE_CHOICES = (600, 3600, 86400)  # seconds offered in the "Mute for" menu

AVATAR = 30


class MemberDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # The width is a floor only: rows span the list, names are elided to fit (a wider floor
        # than the panel put a horizontal scroll bar under the members).
        return QSize(AVATAR + 40, max(AVATAR + 10, option.fontMetrics.height() + 12))

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
        if row.muted:
            right = (
                paint_badge(
                    painter,
                    right,
                    rect.center().y(),
                    GroupPanel.muted_text(),
                    colors.badge_muted,
                    colors.badge_text,
                )
                - 6
            )
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


REMIND_CHOICES = (RemindType.NOTIFY, RemindType.SILENT, RemindType.BLOCK)


class GroupPanel(QWidget):
    user_clicked = Signal(str)  # a member: show their profile card
    mention_requested = Signal(str, str)  # user ID, name: into the composer

    @staticmethod
    def muted_text() -> str:
        return QCoreApplication.translate("GroupPanel", "Muted")

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
        self.group_id = _plain_label(self)
        self.group_id.setObjectName("GroupId")
        self.group_id.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.count = _plain_label(self)
        self.count.setObjectName("GroupCount")
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # How this group's messages reach me (the conversation list's menu says the same)
        self.remind_label = QLabel(self)
        self.remind = QComboBox(self)
        self.remind.setObjectName("GroupRemind")
        for remind in REMIND_CHOICES:
            self.remind.addItem("", remind.value)
        self.remind_label.setBuddy(self.remind)
        self.remind.currentIndexChanged.connect(self._remind_chosen)
        self.conversations: ConversationListViewModel | None = None
        remind_row = QHBoxLayout()
        remind_row.addWidget(self.remind_label)
        remind_row.addWidget(self.remind, 1)
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
        self.members.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.members.customContextMenuRequested.connect(self._member_menu_at)
        self.menu: QMenu | None = None
        for widget in (
            self.name,
            self.group_id,
            self.count,
            remind_row,
            self.notification_title,
            self.notification,
            self.introduction_title,
            self.introduction,
            self.members_title,
        ):
            if isinstance(widget, QHBoxLayout):
                layout.addLayout(widget)
            else:
                layout.addWidget(widget)
        layout.addWidget(self.members, 1)
        # the group's buttons, each shown only when my role allows it
        self.buttons: dict[PanelAction, QPushButton] = {}
        handlers: dict[PanelAction, Callable[[], None]] = {
            PanelAction.NAME_CARD: self.edit_my_card,
            PanelAction.ADD_MEMBERS: self.add_members,
            PanelAction.EDIT: self.edit_group,
            PanelAction.MUTE_ALL: self.toggle_mute_all,
            PanelAction.REQUESTS: self.show_requests,
            PanelAction.LEAVE: self.leave,
            PanelAction.DISMISS: self.dismiss,
        }
        rows = [QHBoxLayout(), QHBoxLayout(), QHBoxLayout()]
        places = {
            PanelAction.NAME_CARD: 2,
            PanelAction.ADD_MEMBERS: 0,
            PanelAction.EDIT: 0,
            PanelAction.MUTE_ALL: 1,
            PanelAction.REQUESTS: 1,
            PanelAction.LEAVE: 2,
            PanelAction.DISMISS: 2,
        }
        for action, handler in handlers.items():
            button = QPushButton(self)
            button.setObjectName(action.value)
            button.clicked.connect(handler)
            button.hide()
            self.buttons[action] = button
            rows[places[action]].addWidget(button)
        for row in rows:
            layout.addLayout(row)
        self.error = _plain_label(self)
        self.error.setObjectName("GroupError")
        self.error.setForegroundRole(QPalette.ColorRole.BrightText)
        self.error.hide()
        layout.addWidget(self.error)
        self.dialog: QWidget | None = None
        vm.info_changed.connect(self.refresh)
        vm.members.modelReset.connect(self.refresh)
        vm.members_loaded.connect(self.refresh)
        vm.online_changed.connect(self._show_count)
        vm.failed.connect(self._failed)
        self.retranslate()

    def bind_notifications(self, conversations: ConversationListViewModel) -> None:
        """Show and change this group's notification setting through the conversation list."""
        self.conversations = conversations
        conversations.model.dataChanged.connect(self._conversations_changed)
        conversations.model.modelReset.connect(self._show_remind)
        self._show_remind()

    def _conversations_changed(self, *_args: object) -> None:
        # A bound method: Qt drops the connection when the panel is deleted (a lambda outlived it).
        self._show_remind()

    def _conversation_id(self) -> str:
        info = self.vm.info
        return "GROUP" + info.group_id if info else ""

    def _show_remind(self) -> None:
        conversation = None
        if self.conversations is not None and self._conversation_id():
            conversation = self.conversations.model.conversation(self._conversation_id())
        for widget in (self.remind_label, self.remind):
            widget.setVisible(conversation is not None)
        if conversation is not None:
            self.remind.blockSignals(True)
            self.remind.setCurrentIndex(max(0, self.remind.findData(conversation.remind.value)))
            self.remind.blockSignals(False)

    @async_slot(int)
    async def _remind_chosen(self, _index: int) -> None:
        conversation_id = self._conversation_id()
        if self.conversations is not None and conversation_id:
            remind = RemindType(str(self.remind.currentData()))
            await self.conversations.set_remind(conversation_id, remind)

    def _member_clicked(self, index: QModelIndex) -> None:
        row = index.data(MEMBER_ROLE)
        if row is not None:
            self.user_clicked.emit(row.user_id)

    def _show_count(self) -> None:
        """ "12 members · 3 online" (the online part once the server has counted)."""
        info = self.vm.info
        count = info.member_count if info else 0
        text = self.tr("%n member(s)", "", count) if count else ""
        online = self.vm.online
        if text and online is not None:
            text += " · " + self.tr("%n online", "", online)
        self.count.setText(text)

    def refresh(self) -> None:
        info = self.vm.info
        self.name.setText(info.name if info else "")
        self._show_remind()
        self.group_id.setText(self.tr("ID: %1").replace("%1", info.group_id) if info else "")
        self._show_count()
        notification = info.notification if info else ""
        self.notification.setText(notification)
        self.notification.setVisible(bool(notification))
        self.notification_title.setVisible(bool(notification))
        introduction = info.introduction if info else ""
        self.introduction.setText(introduction)
        self.introduction.setVisible(bool(introduction))
        self.introduction_title.setVisible(bool(introduction))
        allowed = set(self.vm.panel_actions())
        for action, button in self.buttons.items():
            button.setVisible(action in allowed)
        mute_all = self.buttons[PanelAction.MUTE_ALL]
        mute_all.setText(
            self.tr("Unmute everyone") if info and info.mute_all else self.tr("Mute everyone")
        )

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- the member context menu -----------------------------------------------------------------
    def _member_menu_at(self, point: QPoint) -> None:
        index = self.members.indexAt(point)
        row = index.data(MEMBER_ROLE) if index.isValid() else None
        if isinstance(row, MemberRow):
            menu = self.member_menu(row.user_id)
            if not menu.isEmpty():
                menu.popup(self.members.viewport().mapToGlobal(point))

    def member_menu(self, user_id: str) -> QMenu:
        """The menu of one member: exactly the actions my role allows on them."""
        if self.menu is not None:
            self.menu.deleteLater()
        menu = self.menu = QMenu(self)
        member = self.vm.members.member(user_id)
        name = self.vm.members.data(self._index_of(user_id), Qt.ItemDataRole.DisplayRole)
        for action in self.vm.member_actions(user_id):
            if action is MemberAction.MUTE:
                sub = menu.addMenu(self.tr("Mute for"))
                sub.setObjectName("mute")
                sub.menuAction().setObjectName("mute")
                for seconds in MUTE_CHOICES:
                    item = sub.addAction(_duration_text(seconds))
                    item.setObjectName(f"mute_{seconds}")
                    item.triggered.connect(
                        lambda _=False, s=seconds: self._act(MemberAction.MUTE, user_id, s)
                    )
                continue
            item = menu.addAction(self._action_text(action))
            item.setObjectName(action.value)
            if action is MemberAction.MENTION:
                item.triggered.connect(
                    lambda _=False: self.mention_requested.emit(user_id, str(name or user_id))
                )
            elif action is MemberAction.KICK:
                item.triggered.connect(lambda _=False: self.kick(user_id, str(name or user_id)))
            elif action is MemberAction.TRANSFER:
                item.triggered.connect(lambda _=False: self.transfer(user_id, str(name or user_id)))
            else:
                item.triggered.connect(lambda _=False, a=action: self._act(a, user_id, 0))
        del member
        return menu

    def _index_of(self, user_id: str) -> QModelIndex:
        model = self.vm.members
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            found = index.data(MEMBER_ROLE)
            if isinstance(found, MemberRow) and found.user_id == user_id:
                return index
        return QModelIndex()

    def _action_text(self, action: MemberAction) -> str:
        return {
            MemberAction.MENTION: self.tr("Mention"),
            MemberAction.UNMUTE: self.tr("Unmute"),
            MemberAction.SET_ADMIN: self.tr("Make admin"),
            MemberAction.UNSET_ADMIN: self.tr("Remove admin"),
            MemberAction.KICK: self.tr("Remove from group…"),
            MemberAction.TRANSFER: self.tr("Transfer ownership…"),
        }.get(action, action.value)

    @async_slot()
    async def _act(self, action: MemberAction, user_id: str, seconds: int) -> None:
        self.error.hide()
        await self.vm.act(action, user_id, seconds=seconds)

    def kick(self, user_id: str, name: str) -> None:
        """Ask for a reason (optional), then remove the member."""
        dialog = QInputDialog(self)
        dialog.setObjectName("KickDialog")
        dialog.setWindowTitle(self.tr("Remove %1").replace("%1", name))
        dialog.setLabelText(self.tr("Reason (optional, told to them):"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setOkButtonText(self.tr("Remove"))
        dialog.textValueSelected.connect(lambda reason: self._kick(user_id, reason))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    @async_slot()
    async def _kick(self, user_id: str, reason: str) -> None:
        self.error.hide()
        await self.vm.act(MemberAction.KICK, user_id, reason=reason)

    def transfer(self, user_id: str, name: str) -> None:
        confirm(
            self,
            self.tr("Transfer ownership"),
            self.tr("Make %1 the owner of this group? You become a plain member.").replace(
                "%1", name
            ),
            self.tr("Transfer"),
            lambda: self._act(MemberAction.TRANSFER, user_id, 0),
        )

    # -- the group's buttons --------------------------------------------------------------------------
    def edit_my_card(self) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("NameCardDialog")
        dialog.setWindowTitle(self.tr("My name card"))
        dialog.setLabelText(self.tr("How this group shows your name (empty: your nickname):"))
        me = self.vm.members.member(self.vm.me)
        dialog.setTextValue(me.name_card if me else "")
        dialog.textValueSelected.connect(self._set_card)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    @async_slot()
    async def _set_card(self, text: str) -> None:
        self.error.hide()
        await self.vm.set_my_card(text.strip())

    def add_members(self) -> None:
        dialog = AddMembersDialog(self.vm, self)
        self.dialog = dialog
        dialog.open()

    def edit_group(self) -> None:
        dialog = EditGroupDialog(self.vm, self)
        self.dialog = dialog
        dialog.open()

    def show_requests(self) -> None:
        dialog = RequestsDialog(self.vm, self)
        self.dialog = dialog
        dialog.open()

    @async_slot()
    async def toggle_mute_all(self) -> None:
        info = self.vm.info
        await self.vm.set_mute_all(not (info and info.mute_all))

    def leave(self) -> None:
        self._confirm_then(
            self.tr("Leave group"),
            self.tr("Leave this group? You will no longer get its messages."),
            self.tr("Leave"),
            self.vm.leave,
        )

    def dismiss(self) -> None:
        self._confirm_then(
            self.tr("Dismiss group"),
            self.tr("Dismiss this group for everyone? This cannot be undone."),
            self.tr("Dismiss"),
            self.vm.dismiss,
        )

    def _confirm_then(self, title: str, text: str, action: str, run: Callable[[], object]) -> None:
        box: QMessageBox = confirm(self, title, text, action, lambda: self._run(run))
        self.dialog = box

    @async_slot()
    async def _run(self, run: Callable[[], object]) -> None:
        self.error.hide()
        result = run()
        if hasattr(result, "__await__"):
            await result

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.error.clear()  # (a refusal told in the old language: it was for then)
            self.error.hide()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.notification_title.setText(self.tr("Notification"))
        self.remind_label.setText(self.tr("Messages:"))
        for index, text in enumerate(
            (self.tr("Notify"), self.tr("Receive silently"), self.tr("Block"))
        ):
            self.remind.setItemText(index, text)
        self.remind.setAccessibleName(self.tr("Notifications of this group"))
        self.introduction_title.setText(self.tr("Introduction"))
        self.members_title.setText(self.tr("Members"))
        self.members.setAccessibleName(self.tr("Group members"))
        self.name.setAccessibleName(self.tr("Group name"))
        self.notification.setAccessibleName(self.tr("Group notification"))
        texts = {
            PanelAction.NAME_CARD: self.tr("My name card"),
            PanelAction.ADD_MEMBERS: self.tr("Add members"),
            PanelAction.EDIT: self.tr("Edit"),
            PanelAction.REQUESTS: self.tr("Join requests"),
            PanelAction.LEAVE: self.tr("Leave group"),
            PanelAction.DISMISS: self.tr("Dismiss group"),
        }
        for action, text in texts.items():
            self.buttons[action].setText(text)
        self.refresh()


def _trn(text: str, n: int) -> str:
    return QCoreApplication.translate("GroupPanel", text, None, n)


def _duration_text(seconds: int) -> str:
    if seconds < 3600:
        return _trn("%n minute(s)", seconds // 60)
    if seconds < 86400:
        return _trn("%n hour(s)", seconds // 3600)
    return _trn("%n day(s)", seconds // 86400)
