"""``ConversationListWidget``: the left pane, a filter box over the conversation list.

The list (``ConversationListView``) paints rows with ``ConversationDelegate``; its context menu
offers pin, mute (notify / receive silently / block), mark read or unread, hide and clear
history (after a confirmation).

Only the user's choice opens a chat (``conversation_activated``; ``composer_wanted`` after a
click or Enter, so the first keys typed land in the composer): a left click, the arrow keys in
the list, Down or Enter in the filter box. The current row moving for any other reason (the
filter hiding rows, a right click, the list reordering) opens nothing and marks nothing read.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QContextMenuEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.models import RemindType
from messenger.ui.async_slots import async_slot
from messenger.ui.confirm import confirm
from messenger.ui.conversation_delegate import ConversationDelegate, fold_zone
from messenger.ui.row_repaint import repaint_rows
from messenger.ui.theme import slim_scroll_bar
from messenger.viewmodels.conversation_list import COMMUNITY, ID_ROLE, TOPIC_ROLE
from messenger.viewmodels.conversations import ConversationListViewModel

_UNLIMITED = 16_777_215  # Qt's QWIDGETSIZE_MAX
_MOST_ROWS_MEASURED = 20  # more matches than this: the list keeps its share of the height

NAVIGATION_KEYS = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ConversationListView(QListView):
    context_menu_requested = Signal(str, QPoint)  # conversation ID, global position
    chosen = Signal(QModelIndex, bool)  # the user chose this row; True: then type into it
    fold_requested = Signal(str)  # a community's fold mark was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConversationList")
        self.setItemDelegate(ConversationDelegate(self))
        self.setUniformItemSizes(True)  # every row is as tall: layout is O(1) per row
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        slim_scroll_bar(self.verticalScrollBar())
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)

    def dataChanged(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        if not repaint_rows(self, top_left, bottom_right):  # (not the whole list for a row)
            super().dataChanged(top_left, bottom_right, list(roles))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.accept()  # a right click opens the row's menu, not the row
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        index = self.indexAt(point)
        if (
            event.button() == Qt.MouseButton.LeftButton
            and index.isValid()
            and index.data(TOPIC_ROLE) == COMMUNITY
            and fold_zone(self.visualRect(index)).contains(point)
        ):
            self.fold_requested.emit(str(index.data(ID_ROLE)))  # folds; opens nothing
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and index.isValid():
            self.chosen.emit(index, True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.currentIndex()
        if event.key() in ENTER_KEYS and before.isValid():
            self.chosen.emit(before, True)
            event.accept()
            return
        super().keyPressEvent(event)
        current = self.currentIndex()
        if event.key() in NAVIGATION_KEYS and current.isValid() and current != before:
            self.chosen.emit(current, False)

    def keyboardSearch(self, search: str) -> None:
        pass  # typed letters do not move the current row (and open nothing)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if index.isValid():
            self.context_menu_requested.emit(str(index.data(ID_ROLE)), event.globalPos())


class ConversationListWidget(QWidget):
    conversation_activated = Signal(str)
    new_chat_requested = Signal()
    composer_wanted = Signal(str)  # before its conversation_activated

    def __init__(self, vm: ConversationListViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("ConversationPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(vm.set_filter)
        self.filter.installEventFilter(self)
        self.new_chat = QToolButton(self)
        self.new_chat.setObjectName("NewChatButton")
        self.new_chat.setText("+")
        self.new_chat.clicked.connect(self.new_chat_requested)
        # the window adds a menu beside it (New group, Join a group)
        self.new_chat.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(10, 0, 10, 0)
        filter_row.addWidget(self.filter, 1)
        filter_row.addWidget(self.new_chat)
        layout.addLayout(filter_row)
        self.list = ConversationListView(self)
        self.list.setModel(vm.filtered)
        self.list.chosen.connect(self._chosen)
        self.list.context_menu_requested.connect(self._show_menu)
        self.list.fold_requested.connect(vm.toggle_topics)
        layout.addWidget(self.list, 1)
        self._layout = layout
        self.search_panel: QWidget | None = None
        self.menu: QMenu | None = None
        self.retranslate()

    def add_search_panel(self, panel: QWidget) -> None:
        """Everything else the box finds (people, messages: ``ui.global_search``), below the
        chats it filters, shown while the box has text."""
        self.search_panel = panel
        panel.hide()
        self._layout.addWidget(panel, 2)
        self.filter.textChanged.connect(panel.set_query)  # type: ignore[attr-defined]
        self.filter.textChanged.connect(self._fit_to_matches)
        filtered = self.vm.filtered
        for signal in (filtered.rowsInserted, filtered.rowsRemoved):
            signal.connect(self._fit_to_matches)
        filtered.modelReset.connect(self._fit_to_matches)
        filtered.layoutChanged.connect(self._fit_to_matches)
        if self.filter.text():  # (added while the box already had text)
            panel.set_query(self.filter.text())  # type: ignore[attr-defined]
            self._fit_to_matches()

    def _fit_to_matches(self, *_args: object) -> None:
        """While searching, the chats found take only the rows they need (none: no room at all),
        so people and messages below get the rest instead of sitting under an empty list."""
        searching = self.search_panel is not None and bool(self.filter.text().strip())
        rows = self.vm.filtered.rowCount()
        wanted = rows > 0 or not searching
        if self.list.isVisibleTo(self) != wanted:  # (showing it again repaints the whole list)
            self.list.setVisible(wanted)
        if not searching or not rows:
            self.list.setMaximumHeight(_UNLIMITED)
            return
        shown = min(rows, _MOST_ROWS_MEASURED)
        height = sum(self.list.sizeHintForRow(row) for row in range(shown))
        self.list.setMaximumHeight(
            height + 2 * self.list.frameWidth() if rows == shown else _UNLIMITED
        )

    # -- selection -------------------------------------------------------------------------------
    def select(self, conversation_id: str) -> None:
        """Show ``conversation_id`` as the current row (without activating it again)."""
        source = self.vm.model.position(conversation_id)
        index = (
            self.vm.filtered.mapFromSource(self.vm.model.index(source, 0))
            if source >= 0
            else QModelIndex()
        )
        if index.isValid():
            self.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.list.scrollTo(index)
        else:
            self.list.selectionModel().clearSelection()

    def _chosen(self, index: QModelIndex, then_type: bool) -> None:
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        conversation_id = str(index.data(ID_ROLE))
        if then_type:
            self.composer_wanted.emit(conversation_id)
        self.conversation_activated.emit(conversation_id)

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        """Down in the filter box goes to the first match (the arrows go on from there), Enter
        opens it to type into."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, *ENTER_KEYS) and self.vm.filtered.rowCount():
                first = self.vm.filtered.index(0, 0)
                if key == Qt.Key.Key_Down:
                    self.list.setFocus()
                self._chosen(first, key != Qt.Key.Key_Down)
                return True
            if key == Qt.Key.Key_Escape:
                self.filter.clear()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # -- context menu ----------------------------------------------------------------------------
    def context_menu(self, conversation_id: str) -> QMenu:
        """The row's menu (built fresh: the conversation's state decides the entries)."""
        conversation = self.vm.model.conversation(conversation_id)
        menu = QMenu(self)
        menu.setObjectName("ConversationMenu")
        if conversation is None:
            return menu
        pin = menu.addAction(self.tr("Unpin") if conversation.pinned else self.tr("Pin"))
        pin.setObjectName("pin")
        pin.triggered.connect(lambda: self._pin(conversation_id, not conversation.pinned))
        mute = menu.addMenu(self.tr("Notifications"))
        mute.setObjectName("remind")
        group = QActionGroup(mute)
        for remind, text in (
            (RemindType.NOTIFY, self.tr("Notify")),
            (RemindType.SILENT, self.tr("Receive silently")),
            (RemindType.BLOCK, self.tr("Block")),
        ):
            action = QAction(text, group)
            action.setObjectName(f"remind-{remind.value}")
            action.setCheckable(True)
            action.setChecked(conversation.remind is remind)
            action.triggered.connect(lambda _=False, r=remind: self._remind(conversation_id, r))
            mute.addAction(action)
        if conversation.badge:
            read = menu.addAction(self.tr("Mark as read"))
            read.setObjectName("mark-read")
            read.triggered.connect(lambda: self._mark_read(conversation_id))
        else:
            unread = menu.addAction(self.tr("Mark as unread"))
            unread.setObjectName("mark-unread")
            unread.triggered.connect(lambda: self._mark_unread(conversation_id))
        menu.addSeparator()
        hide = menu.addAction(self.tr("Hide"))
        hide.setObjectName("hide")
        hide.triggered.connect(lambda: self._hide(conversation_id))
        clear = menu.addAction(self.tr("Clear history…"))
        clear.setObjectName("clear")
        clear.triggered.connect(lambda: self.ask_clear(conversation_id))
        if self.vm.filtered.has_topics(conversation_id):
            folded = conversation_id in self.vm.filtered.collapsed
            fold = menu.addAction(self.tr("Show topics") if folded else self.tr("Fold topics"))
            fold.setObjectName("fold_topics")
            fold.triggered.connect(lambda: self.vm.toggle_topics(conversation_id))
        return menu

    def _show_menu(self, conversation_id: str, where: QPoint) -> None:
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = self.context_menu(conversation_id)
        self.menu.popup(where)

    def ask_clear(self, conversation_id: str) -> None:
        row = self.vm.model.position(conversation_id)
        name = self.vm.model.row(row).name if row >= 0 else conversation_id
        confirm(
            self,
            self.tr("Clear history"),
            self.tr(
                "Delete every message of “{name}” on all your devices? The others keep theirs."
            ).format(name=name),
            self.tr("Clear history"),
            lambda: self._clear(conversation_id),
        )

    @async_slot()
    async def _pin(self, conversation_id: str, pinned: bool) -> None:
        await self.vm.pin(conversation_id, pinned)

    @async_slot()
    async def _remind(self, conversation_id: str, remind: RemindType) -> None:
        await self.vm.set_remind(conversation_id, remind)

    @async_slot()
    async def _mark_read(self, conversation_id: str) -> None:
        await self.vm.mark_read(conversation_id)

    @async_slot()
    async def _mark_unread(self, conversation_id: str) -> None:
        await self.vm.mark_unread(conversation_id)

    @async_slot()
    async def _hide(self, conversation_id: str) -> None:
        await self.vm.hide(conversation_id)

    @async_slot()
    async def _clear(self, conversation_id: str) -> None:
        await self.vm.clear_history(conversation_id)

    # -- language --------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Search chats, people, messages"))
        self.filter.setAccessibleName(self.tr("Filter conversations"))
        self.list.setAccessibleName(self.tr("Conversations"))
        self.new_chat.setToolTip(self.tr("New chat (Ctrl+N)"))
        self.new_chat.setAccessibleName(self.tr("New chat"))
