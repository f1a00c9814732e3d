"""The Contacts page: the friend sidebar. Left: a search box, "Saved messages", the requests
inbox (with its unread count), my groups, the block list, and my friends grouped by friend
group. Right: what is chosen (a friend's profile card, the inbox, the groups, the block list).
Everything follows the core's events live."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from messenger.ui.ask_text import ask_text
from messenger.ui.async_slots import async_slot
from messenger.ui.avatars import ONLINE_GREEN, paint_avatar
from messenger.ui.profile_card import ProfileCard
from messenger.ui.theme import chat_colors
from messenger.viewmodels.people import IS_HEADER_ROLE, USER_ID_ROLE, PeopleViewModel

_ID = Qt.ItemDataRole.UserRole


AVATAR = 34


class FriendDelegate(QStyledItemDelegate):
    """Friend-group headers in bold; friends as the conversation list draws people: avatar
    (with the online dot), name, and "online" / "last seen …" / their status text below."""

    def __init__(self, people: PeopleViewModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._people = people

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()  # widths are floors: rows span the list
        if index.data(IS_HEADER_ROLE):  # one bold line, a little air above it
            return QSize(AVATAR + 40, line + 12)
        return QSize(AVATAR + 40, max(AVATAR, 2 * line) + 12)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        palette = option.palette
        rect = option.rect
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.save()
        font = QFont(option.font)
        if index.data(IS_HEADER_ROLE):
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            area = rect.adjusted(8, 0, -8, -4)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            painter.drawText(area, flags, text)
            painter.restore()
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight).lighter(160))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        user_id = str(index.data(USER_ID_ROLE))
        colors = chat_colors(palette)
        avatar = QRect(rect.left() + 8, rect.center().y() - AVATAR // 2, AVATAR, AVATAR)
        paint_avatar(painter, avatar, user_id, text, colors.badge_text)
        left = avatar.right() + 10
        width = rect.right() - 8 - left
        metrics = QFontMetrics(font)
        top = rect.center().y() - metrics.height()
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        name = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.drawText(left, top + metrics.ascent(), name)
        status = self._people.status_text(user_id)
        if status:
            online = self._people.is_online(user_id)
            painter.setPen(ONLINE_GREEN.darker(115) if online else colors.meta_text)
            status = metrics.elidedText(status, Qt.TextElideMode.ElideRight, width)
            painter.drawText(left, top + metrics.height() + metrics.ascent(), status)
        painter.restore()


class RequestsPanel(QWidget):
    def __init__(self, people: PeopleViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = people
        layout = QVBoxLayout(self)
        self.incoming_label = QLabel(self)
        self.incoming = QListWidget(self)
        self.incoming.setObjectName("IncomingRequests")
        row = QHBoxLayout()
        self.remark = QLineEdit(self)
        self.remark.setObjectName("AcceptRemark")
        self.remark.setMaxLength(96)
        row.addWidget(self.remark, 1)
        self.group = QComboBox(self)  # the friend group they join on my side ("" for none)
        self.group.setObjectName("AcceptGroup")
        self.group.setEditable(True)
        self.group.setMinimumContentsLength(16)
        row.addWidget(self.group)
        self.both = QCheckBox(self)  # unchecked: only they get me as a friend (one way)
        self.both.setObjectName("AcceptBothWays")
        self.both.setChecked(True)
        self.both.toggled.connect(self._both_toggled)
        self.accept_button = QPushButton(self)
        self.accept_button.setObjectName("AcceptRequest")
        self.refuse_button = QPushButton(self)
        row.addWidget(self.accept_button)
        row.addWidget(self.refuse_button)
        self.outgoing_label = QLabel(self)
        self.outgoing = QListWidget(self)
        self.outgoing.setObjectName("OutgoingRequests")
        self.withdraw_button = QPushButton(self)
        layout.addWidget(self.incoming_label)
        layout.addWidget(self.incoming)
        layout.addLayout(row)
        layout.addWidget(self.both)
        layout.addWidget(self.outgoing_label)
        layout.addWidget(self.outgoing)
        layout.addWidget(self.withdraw_button)
        self.accept_button.clicked.connect(self.accept_selected)
        self.refuse_button.clicked.connect(self.refuse_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.incoming_label.setText(self.tr("Requests to you"))
        self.outgoing_label.setText(self.tr("Your requests"))
        self.remark.setPlaceholderText(self.tr("Remark (optional)"))
        group_edit = self.group.lineEdit()
        if group_edit is not None:
            group_edit.setPlaceholderText(self.tr("Friend group (optional)"))
        self.both.setText(self.tr("Also add them to my friends"))
        self.accept_button.setText(self.tr("Accept"))
        self.refuse_button.setText(self.tr("Refuse"))
        self.withdraw_button.setText(self.tr("Withdraw"))

    def _both_toggled(self, both: bool) -> None:
        # A remark and a friend group only mean something when they join my list too.
        self.remark.setEnabled(both)
        self.group.setEnabled(both)

    def refresh(self) -> None:
        me = self.people.me
        name = self.people.card
        typed = self.group.currentText()
        self.group.clear()
        self.group.addItems(["", *self.people.groups])
        self.group.setCurrentText(typed)
        self.incoming.clear()
        self.outgoing.clear()
        for request in self.people.requests:
            if request.receiver == me:
                text = name(request.sender).name
                if request.note:
                    text += f" — {request.note}"
                item = QListWidgetItem(text, self.incoming)
                item.setData(_ID, request.sender)
            else:
                item = QListWidgetItem(
                    self.tr("{name} (waiting)").format(name=name(request.receiver).name),
                    self.outgoing,
                )
                item.setData(_ID, request.receiver)
        if self.incoming.count():
            self.incoming.setCurrentRow(0)
        if self.outgoing.count():
            self.outgoing.setCurrentRow(0)

    def _chosen(self, view: QListWidget) -> str:
        item = view.currentItem()
        return str(item.data(_ID)) if item is not None else ""

    @async_slot()
    async def accept_selected(self) -> None:
        sender = self._chosen(self.incoming)
        if not sender:
            return
        both = self.both.isChecked()
        remark = self.remark.text().strip() if both else ""
        group = self.group.currentText().strip() if both else ""
        if await self.people.accept(sender, remark, group=group, both=both):
            self.remark.clear()
            self.group.setCurrentText("")

    @async_slot()
    async def refuse_selected(self) -> None:
        sender = self._chosen(self.incoming)
        if sender:
            await self.people.refuse(sender)

    @async_slot()
    async def withdraw_selected(self) -> None:
        receiver = self._chosen(self.outgoing)
        if receiver:
            await self.people.withdraw(receiver)


class ContactsPage(QWidget):
    conversation_requested = Signal(str)

    def __init__(self, people: PeopleViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ContactsPage")
        self.people = people
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.filter = QLineEdit(self)
        self.filter.setObjectName("FriendFilter")
        self.filter.setClearButtonEnabled(True)
        self.saved_button = QPushButton(self)
        self.requests_button = QPushButton(self)
        self.requests_button.setObjectName("RequestsButton")
        self.groups_button = QPushButton(self)
        self.blocked_button = QPushButton(self)
        self.friends = QListView(self)
        self.friends.setObjectName("FriendList")
        self.friends.setModel(people.friends)
        # Thousands of friends: the view lays rows out a batch at a time after each filter
        # instead of all at once before the first paint. Rows are not uniform (a friend group's
        # header is one line); measured, 5,020 rows lay out and paint as fast either way.
        self.friends.setLayoutMode(QListView.LayoutMode.Batched)
        self.friends.setBatchSize(200)
        self.friends.setItemDelegate(FriendDelegate(people, self.friends))
        self.friends.setMouseTracking(True)  # the row under the mouse is shaded
        for widget in (
            self.filter,
            self.saved_button,
            self.requests_button,
            self.groups_button,
            self.blocked_button,
        ):
            left.addWidget(widget)
        left.addWidget(self.friends, 1)
        side = QWidget(self)
        side.setLayout(left)
        side.setFixedWidth(280)
        layout.addWidget(side)

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel(self.stack)  # until something on the left is chosen
        self.placeholder.setObjectName("ContactsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)  # drawn in the palette's muted text colour
        self.stack.addWidget(self.placeholder)
        self.card = ProfileCard(people, self.stack)
        self.requests = RequestsPanel(people, self.stack)
        self.groups = QListWidget(self.stack)
        self.groups.setObjectName("MyGroups")
        blocked = QWidget(self.stack)
        blocked_layout = QVBoxLayout(blocked)
        self.blocked = QListWidget(blocked)
        self.blocked.setObjectName("BlockedUsers")
        self.unblock_button = QPushButton(blocked)
        blocked_layout.addWidget(self.blocked)
        blocked_layout.addWidget(self.unblock_button)
        for page in (self.card, self.requests, self.groups, blocked):
            self.stack.addWidget(page)
        self._blocked_page = blocked
        layout.addWidget(self.stack, 1)

        self.filter.textChanged.connect(people.set_filter)
        self.friends.clicked.connect(self._friend_clicked)
        self.friends.activated.connect(self._friend_activated)
        self.friends.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.friends.customContextMenuRequested.connect(self._friend_menu)
        self.saved_button.clicked.connect(
            lambda: self.conversation_requested.emit("C2C" + people.me)
        )
        self.requests_button.clicked.connect(self.show_requests)
        self.groups_button.clicked.connect(self.show_groups)
        self.blocked_button.clicked.connect(lambda: self.stack.setCurrentWidget(blocked))
        self.groups.itemActivated.connect(
            lambda item: self.conversation_requested.emit("GROUP" + str(item.data(_ID)))
        )
        self.unblock_button.clicked.connect(self._unblock)
        self.card.message_requested.connect(self.conversation_requested)
        people.contacts_changed.connect(self.refresh)
        people.presence_changed.connect(self._presence_changed)
        people.requests_unread_changed.connect(self._requests_unread_changed)
        self.retranslate()
        self.refresh()

    # Bound methods, not lambdas: the view model outlives the page, and Qt drops a bound
    # method's connection when the page is deleted.
    def _presence_changed(self, _user_id: str) -> None:
        self.friends.viewport().update()

    def _requests_unread_changed(self, _count: int) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.placeholder.setText(self.tr("Choose a friend to see their profile"))
        self.filter.setPlaceholderText(self.tr("Search friends"))
        self.filter.setAccessibleName(self.tr("Search friends"))
        self.saved_button.setText(self.tr("Saved messages"))
        unread = self.people.unread_requests
        if unread:
            self.requests_button.setText(self.tr("New friends ({n})").format(n=unread))
        else:
            self.requests_button.setText(self.tr("New friends"))
        self.groups_button.setText(self.tr("My groups"))
        self.blocked_button.setText(self.tr("Blocked users"))
        self.unblock_button.setText(self.tr("Unblock"))
        self.requests.retranslate()

    def refresh(self) -> None:
        self.retranslate()
        self.requests.refresh()
        self.groups.clear()
        for group in self.people.my_groups:
            item = QListWidgetItem(group.name or group.group_id, self.groups)
            item.setData(_ID, group.group_id)
        self.blocked.clear()
        for user_id in self.people.blocked:
            item = QListWidgetItem(self.people.card(user_id).name, self.blocked)
            item.setData(_ID, user_id)

    def _friend_clicked(self, index: QModelIndex) -> None:
        if index.data(IS_HEADER_ROLE):
            return
        self.card.show_user(str(index.data(USER_ID_ROLE)))
        self.stack.setCurrentWidget(self.card)

    def _friend_activated(self, index: QModelIndex) -> None:
        if not index.data(IS_HEADER_ROLE):
            self.conversation_requested.emit("C2C" + str(index.data(USER_ID_ROLE)))

    def group_menu(self, group: str) -> QMenu:
        """Rename or delete a friend group (its header's menu)."""
        menu = QMenu(self)
        menu.addAction(self.tr("Rename group…"), lambda: self._rename_group(group))
        menu.addAction(self.tr("Delete group"), lambda: self._delete_group(group))
        return menu

    def _friend_menu(self, where: QPoint) -> None:
        index = self.friends.indexAt(where)
        group = self.people.group_of_header(index.row()) if index.isValid() else ""
        if group:
            self.group_menu(group).popup(self.friends.viewport().mapToGlobal(where))

    def _rename_group(self, group: str) -> None:
        ask_text(
            self,
            self.tr("Rename group"),
            self.tr("New name"),
            group,
            lambda name: self.people.spawn(self._renamed(group, name)),
        )

    async def _renamed(self, group: str, name: str) -> None:
        await self.people.rename_group(group, name)

    @async_slot()
    async def _delete_group(self, group: str) -> None:
        await self.people.delete_group(group)

    @async_slot()
    async def show_requests(self) -> None:
        self.stack.setCurrentWidget(self.requests)
        await self.people.mark_requests_read()

    @async_slot()
    async def show_groups(self) -> None:
        self.stack.setCurrentWidget(self.groups)
        await self.people.load_my_groups()

    @async_slot()
    async def _unblock(self) -> None:
        item = self.blocked.currentItem()
        if item is not None:
            await self.people.set_blocked(str(item.data(_ID)), False)
