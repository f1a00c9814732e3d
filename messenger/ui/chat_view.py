"""``ChatView``: the message list of the open conversation.

A ``QListView`` over the chat's sliding window (``MessageListModel``) painted by
``MessageDelegate``. It

- keeps what the user looks at in place when rows come and go above it (older pages
  prepended, far rows released, rows re-measured): before a change it notes the row at the top
  of the viewport and its offset, after the change it scrolls so that row is where it was;
- stays at the bottom when it was there and messages arrive;
- asks for older or newer pages when scrolled near an end of the window;
- tells the view-model which rows are on screen and whether the window is active (focused,
  not minimised), so messages are marked read only when really seen;
- animates the "sending" spinners only while one is painted (off screen: no timer);
- turns clicks on "2 read", "Re-edit", the retry mark and a quote into ``action_clicked``;
- shows a small "react" button beside the bubble under the pointer (``react_clicked``), and
  asks for who reacted on a right click on a reaction chip (``reactions_requested``).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QCursor,
    QDesktopServices,
    QHelpEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QToolTip, QWidget

from messenger.ui.async_slots import async_slot
from messenger.ui.message_delegate import MessageDelegate
from messenger.ui.reaction_popups import GAP, HoverReactButton
from messenger.ui.theme import slim_scroll_bar
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.message_list import KEY_ROLE, ROW_ROLE
from messenger.viewmodels.message_ops import parse_message_link
from messenger.viewmodels.message_rows import MessageRow, RowStyle

NEAR_EDGE = 1.0  # viewport heights from an end of the window that load the next page
SPIN_MS = 80
AT_BOTTOM_PX = 4
HOVER_CHECK_MS = 300


class ChatView(QListView):
    action_clicked = Signal(str, str)  # "receipts" | "reedit" | "retry" | "quote", row key
    context_menu_requested = Signal(str, QPoint)  # row key, global position
    react_clicked = Signal(str, QPoint)  # the hover button: row key, the button's global centre
    reactions_requested = Signal(str, QPoint)  # a right click on a chip: row key, where
    # the window whose activity is watched; a class default, as Qt may call ``eventFilter``
    # before ``__init__`` has set it (a view made without a parent is its own window)
    _watched: QWidget | None = None

    def __init__(self, chat: ChatViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chat = chat
        self.setObjectName("ChatView")
        self.delegate = MessageDelegate(self)
        self.setItemDelegate(self.delegate)
        self.delegate.thumbnails = chat.thumbnails
        chat.thumbnails.ready.connect(self._thumbnail_ready)
        self.delegate.uploads = chat.uploads
        chat.uploads.changed.connect(self.viewport().update)
        self.delegate.downloads = chat.downloads
        chat.downloads.changed.connect(self.viewport().update)
        # "About to change" handlers are connected before the view's own (setModel): QListView
        # forgets the rows being removed at once, after which the row on screen is unknown.
        model = chat.messages
        model.rowsAboutToBeInserted.connect(self._before_change)
        model.rowsAboutToBeRemoved.connect(self._before_change)
        model.rowsAboutToBeMoved.connect(self._before_change)
        self.setModel(model)
        self.delegate.set_model(model)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # steady width
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.viewport().setAutoFillBackground(True)

        self._anchor: tuple[str, int] | None = None  # key of the top row, its top in pixels
        self._stick = True  # at the bottom: stay there as rows come
        self._restoring = False
        self._last_value = 0
        self._direction = 0  # the user's last scroll: -1 up, 1 down, 0 not since a jump

        self._batching = 0
        self._pending = False  # changes arrived during a batch: lay out at its end
        model.batch_started.connect(self._batch_started)
        model.batch_finished.connect(self._batch_finished)
        model.rowsInserted.connect(self._after_change)
        model.rowsRemoved.connect(self._after_change)
        model.rowsMoved.connect(self._after_change)
        model.dataChanged.connect(self._data_changed)
        model.modelReset.connect(self._after_reset)
        model.rows_prepared.connect(self._measure_ahead)
        chat.scroll_requested.connect(self.scroll_to)
        chat.message_found.connect(self.mark_found)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

        self._spinner = QTimer(self, interval=SPIN_MS)
        self._spinner.timeout.connect(self._spin)
        self._report_timer = QTimer(self, singleShot=True, interval=30)
        self._report_timer.timeout.connect(self.report)
        self.react_button = HoverReactButton(self.viewport())
        self.react_button.clicked.connect(self._react_clicked)
        # While the button shows, the pointer is looked for now and then: after a popup
        # (menu, reaction bar) Qt may not tell the view that the pointer left it.
        self._pointer_check = QTimer(self, interval=HOVER_CHECK_MS)
        self._pointer_check.timeout.connect(self._check_pointer)
        slim_scroll_bar(self.verticalScrollBar())  # after the fields its event filter reads

    # -- where the user is -----------------------------------------------------------------------
    def _thumbnail_ready(self, _media_id: str) -> None:
        self.viewport().update()

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - AT_BOTTOM_PX

    def visible_rows(self) -> tuple[int, int]:
        """First and last row (partly) on screen, or (-1, -1)."""
        rows = self.model().rowCount()
        if rows == 0:
            return -1, -1
        height = self.viewport().height()
        top = self.indexAt(QPoint(4, 0))
        bottom = self.indexAt(QPoint(4, max(0, height - 1)))
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else rows - 1
        return first, last

    def window_active(self) -> bool:
        window = self.window()
        return (
            self.isVisible()
            and window.isActiveWindow()
            and not window.isMinimized()
            and not window.windowState() & Qt.WindowState.WindowMinimized
        )

    def report(self) -> None:
        """Tell the view-model what is on screen (it marks read, hides or shows jump buttons)."""
        first, last = self.visible_rows()
        self.chat.note_viewport(
            first, last, at_bottom=self.at_bottom(), active=self.window_active()
        )

    def _report_soon(self) -> None:
        self._report_timer.start()

    # -- keeping the place ---------------------------------------------------------------------
    def _before_change(self, *args: object) -> None:
        if self._anchor is None:
            self._anchor = self._top_row()

    def _stick_wanted(self) -> bool:
        return self.at_bottom() and self.chat.messages.at_latest

    def _top_row(self) -> tuple[str, int] | None:
        index = self.indexAt(QPoint(4, 0))
        if not index.isValid():
            return None
        return str(index.data(KEY_ROLE)), self.visualRect(index).top()

    def _batch_started(self) -> None:
        if self._batching == 0:
            self._before_change()
        self._batching += 1

    def _batch_finished(self) -> None:
        self._batching -= 1
        if self._batching == 0 and self._pending:
            self._pending = False
            self._after_change()

    def _after_change(self, *args: object) -> None:
        self.react_button.hide()
        if self._batching:
            self._pending = True
            return
        self._relayout()
        self._restore()
        self._check_edges()
        self._report_soon()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, *args: object) -> None:
        """A row may have changed size (a name, a receipt, a recall): if one did, lay out
        again and keep the place; otherwise a repaint is all it takes."""
        if self._batching:
            self._pending = True
            return
        if not self._sizes_changed(top.row(), bottom.row()):
            return
        self._anchor = self._top_row()
        self.scheduleDelayedItemsLayout()
        self._after_change()

    def _sizes_changed(self, first: int, last: int) -> bool:
        """Whether one of these rows is now of another height than laid out. (Asking Qt for
        a row's place may run a pending layout and move the scroll bar: not the user's move.)"""
        model = self.model()
        self._restoring = True
        try:
            for row in range(max(first, 0), last + 1):
                index = model.index(row, 0)
                geometry = self.delegate.geometry(index)
                if geometry is not None and geometry.height != self.visualRect(index).height():
                    return True
            return False
        finally:
            self._restoring = False

    def _measure_ahead(self, rows: list[MessageRow]) -> None:
        """Rows to be added soon (a slice per turn): measured now, added without measuring."""
        width = self.delegate.width()
        for row in rows:
            self.delegate.layouts.layout(row, width)

    def _relayout(self) -> None:
        """Lay the rows out now (not later), without taking the moves for the user's own."""
        self._restoring = True
        try:
            self.executeDelayedItemsLayout()
        finally:
            self._restoring = False

    def _restore(self) -> None:
        anchor, self._anchor = self._anchor, None
        self._restoring = True
        try:
            if self._stick:
                self.scrollToBottom()
            elif anchor is not None:
                row = self.chat.messages.position(anchor[0])
                if row >= 0:
                    top = self.visualRect(self.model().index(row, 0)).top()
                    bar = self.verticalScrollBar()
                    bar.setValue(bar.value() + top - anchor[1])
        finally:
            self._restoring = False

    def _after_reset(self) -> None:
        self._anchor = None
        self._stick = True
        self._direction = 0
        self._relayout()
        self._restore()

    def scroll_to(self, key: str, where: str) -> None:
        """Scroll to a row ("top" / "center") or to the bottom (the view-model's request)."""
        self._direction = 0
        self._relayout()
        row = self.chat.messages.position(key) if key else -1
        if where == "bottom" or row < 0:
            self._stick = True
            self.scrollToBottom()
        else:
            hint = (
                QAbstractItemView.ScrollHint.PositionAtTop
                if where == "top"
                else QAbstractItemView.ScrollHint.PositionAtCenter
            )
            self._restoring = True
            try:
                self.scrollTo(self.model().index(row, 0), hint)
            finally:
                self._restoring = False
            self._stick = self.at_bottom() and self.chat.messages.at_latest
        self._check_edges()
        self._report_soon()

    def mark_found(self, key: str) -> None:
        """Select the row of a message opened from a search or a date (the selection marks it)."""
        row = self.chat.messages.position(key)
        if row >= 0:
            self.selectionModel().select(
                self.model().index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _scrolled(self, value: int) -> None:
        self.react_button.hide()
        if not self._restoring:
            if value != self._last_value:
                self._direction = -1 if value < self._last_value else 1
            self._stick = self._stick_wanted()
            self._check_edges()
        self._last_value = value
        self._report_soon()

    def _check_edges(self) -> None:
        """Scrolling up near the top of the window: older messages; scrolling down near a
        bottom that is not the latest: newer ones (by direction, so the two never take turns).
        A window shorter than the screen grows older at once."""
        model = self.chat.messages
        if model.rowCount() == 0:
            return
        bar = self.verticalScrollBar()
        margin = int(self.viewport().height() * NEAR_EDGE)
        if self._direction <= 0 and model.has_older and bar.value() <= margin:
            self._load_older()
        if self._direction >= 0 and not model.at_latest and bar.maximum() - bar.value() <= margin:
            self._load_newer()

    @async_slot()
    async def _load_older(self) -> None:
        await self.chat.load_older()

    @async_slot()
    async def _load_newer(self) -> None:
        await self.chat.load_newer()

    # -- window activity -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        self._report_soon()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() in (
            QEvent.Type.ActivationChange,
            QEvent.Type.WindowStateChange,
            QEvent.Type.Show,
        ):
            self._report_soon()
        return super().eventFilter(watched, event)

    # -- what the rows' sizes depend on: width, font, language --------------------------------
    def remeasure(self) -> None:
        """Measure every row again and lay them out now, keeping the row the user looks at in
        place (or the bottom): for whatever changes the rows' sizes but not the model."""
        anchor = self._anchor or self._top_row()
        self.delegate.viewport_width = self.viewport().width()
        self.delegate.layouts.clear()
        self.scheduleDelayedItemsLayout()
        self._relayout()
        self._anchor = anchor
        self._restore()
        self._report_soon()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.delegate.layouts.set_font(self.font())
            self.remeasure()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # QListView lays the rows out again only when the height changes (the flow's
        # direction): a new width (window resized, group panel shown or hidden) would leave
        # every row at the height of the old one.
        anchor = self._top_row()
        self._restoring = True
        try:
            super().resizeEvent(event)
        finally:
            self._restoring = False
        self._anchor = anchor
        if self.viewport().width() != self.delegate.viewport_width:
            self.remeasure()
        else:
            self._relayout()
            self._restore()
            self._report_soon()

    # -- spinners --------------------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:
        self.delegate.painted_spinner = False
        super().paintEvent(event)  # type: ignore[arg-type]
        if self.delegate.painted_spinner and not self._spinner.isActive():
            self._spinner.start()

    def _spin(self) -> None:
        if not self.delegate.painted_spinner or not self.isVisible():
            self._spinner.stop()  # nothing sending on screen any more
            return
        self.delegate.painted_spinner = False
        self.delegate.spinner_angle = (self.delegate.spinner_angle + 30) % 360
        first, last = self.visible_rows()
        for row in range(max(first, 0), last + 1):
            index = self.model().index(row, 0)
            data = index.data(ROW_ROLE)
            if isinstance(data, MessageRow) and data.state.value == "sending":
                self.viewport().update(self.visualRect(index))

    # -- input -----------------------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        index = self.indexAt(point)
        ops = self.chat.ops
        if ops.selecting and event.button() == Qt.MouseButton.LeftButton:
            if index.isValid():
                ops.toggle(str(index.data(KEY_ROLE)))
            event.accept()
            return
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            rect = self.visualRect(index)
            x, y = point.x() - rect.left(), point.y() - rect.top()
            action = self.delegate.hit(index, x, y)
            if action == "link":
                url = self.delegate.link_at(index, x, y)
                if parse_message_link(url) is not None:  # one of ours: opened here
                    self.chat.ops.follow_link(url)
                else:
                    QDesktopServices.openUrl(QUrl(url))
                event.accept()
                return
            key = str(index.data(KEY_ROLE))
            if not action and self._merged_card(key, y, rect.height()):
                action = "merged"
            if action:
                self.action_clicked.emit(action, key)
                event.accept()
                return
        super().mouseReleaseEvent(event)

    def click_action(self, key: str, action: str) -> bool:
        """Click where ``action`` is drawn on the row ``key`` (for keyboard users and tests)."""
        row = self.chat.messages.position(key)
        if row < 0:
            return False
        index = self.model().index(row, 0)
        geometry = self.delegate.geometry(index)
        target = {
            "receipts": geometry.receipt if geometry else None,
            "reedit": geometry.link if geometry else None,
            "retry": geometry.failed if geometry else None,
            "quote": geometry.reply if geometry else None,
            "profile": geometry.avatar if geometry else None,
            "cancel": geometry.cancel if geometry else None,
            "file": geometry.card if geometry else None,
            "merged": geometry.card if geometry else None,
            "picture": geometry.picture if geometry else None,
        }.get(action)
        if (
            target is None
            or self.delegate.hit(index, target.center().x(), target.center().y()) != action
        ):
            return False
        self.action_clicked.emit(action, key)
        return True

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        index = self.indexAt(point)
        action = ""
        if index.isValid():
            rect = self.visualRect(index)
            action = self.delegate.hit(index, point.x() - rect.left(), point.y() - rect.top())
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if action else Qt.CursorShape.ArrowCursor
        )
        self.hover(index)
        super().mouseMoveEvent(event)

    # -- the hover "react" button ----------------------------------------------------------------
    def hover(self, index: QModelIndex) -> None:
        """Put the react button beside the bubble of the row under the pointer (anywhere on the
        row, so that it can be reached), or hide it where reacting is not offered."""
        button = self.react_button
        key = str(index.data(KEY_ROLE)) if index.isValid() else ""
        row = index.data(ROW_ROLE) if index.isValid() else None
        geometry = self.delegate.geometry(index) if index.isValid() else None
        if (
            not key
            or self.chat.ops.selecting
            or not isinstance(row, MessageRow)
            or row.style is not RowStyle.BUBBLE
            or geometry is None
            or "react" not in self.chat.ops.actions_for(key)
        ):
            button.hide()
            return
        rect = self.visualRect(index)
        bubble = geometry.bubble.translated(rect.left(), rect.top())
        x = bubble.left() - GAP - button.width() if row.mine else bubble.right() + GAP
        x = max(0.0, min(x, self.viewport().width() - button.width()))
        y = bubble.top() + min(8.0, max(0.0, (bubble.height() - button.height()) / 2))
        y = max(0.0, min(y, self.viewport().height() - button.height()))
        button.key = key
        button.move(int(x), int(y))
        button.show()
        button.raise_()
        self._pointer_check.start()

    def _check_pointer(self) -> None:
        viewport = self.viewport()
        inside = viewport.rect().contains(viewport.mapFromGlobal(QCursor.pos()))
        if not self.react_button.isVisible() or not inside or not self.isVisible():
            self.react_button.hide()
            self._pointer_check.stop()

    def _react_clicked(self) -> None:
        button = self.react_button
        if button.key:
            centre = button.mapToGlobal(button.rect().center())
            self.react_clicked.emit(button.key, centre)

    def _merged_card(self, key: str, y: float, height: int) -> bool:
        """A click on the bubble of a merged forward opens it."""
        message = self.chat.messages.message(key)
        if message is None or message.kind != "merged" or message.recalled:
            return False
        geometry = self.delegate.geometry(self.model().index(self.chat.messages.position(key), 0))
        return geometry is not None and geometry.bubble.top() <= y <= geometry.bubble.bottom()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.chat.ops.selecting:  # clicks toggle rows (on release), never select one alone
            event.accept()
            return
        super().mousePressEvent(event)

    def show_selection(self) -> None:
        """Select exactly the rows the view-model has selected (multi-select mode)."""
        ops = self.chat.ops
        self.setSelectionMode(
            QAbstractItemView.SelectionMode.MultiSelection
            if ops.selecting
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        selection = QItemSelection()
        for key in ops.selected:
            row = self.chat.messages.position(key)
            if row >= 0:
                index = self.model().index(row, 0)
                selection.select(index, index)
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:  # (not when it is onto the button itself)
            button = self.react_button
            if not button.geometry().contains(self.viewport().mapFromGlobal(QCursor.pos())):
                button.hide()
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            action = ""
            if index.isValid():
                rect = self.visualRect(index)
                action = self.delegate.hit(
                    index, event.pos().x() - rect.left(), event.pos().y() - rect.top()
                )
            if action.startswith("react:"):
                names = self.chat.ops.reacted_by(str(index.data(KEY_ROLE)), action[6:])
                QToolTip.showText(event.globalPos(), action[6:] + " " + ", ".join(names), self)
                return True
            if action == "retry":  # the failed mark: why it was not sent
                why = self.chat.why_not_sent(str(index.data(KEY_ROLE)))
                QToolTip.showText(event.globalPos(), why, self)
                return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if index.isValid():
            rect = self.visualRect(index)
            action = self.delegate.hit(
                index, event.pos().x() - rect.left(), event.pos().y() - rect.top()
            )
            if action.startswith("react:"):  # a chip: who reacted
                self.reactions_requested.emit(str(index.data(KEY_ROLE)), event.globalPos())
                return
            self.setCurrentIndex(index)
            self.context_menu_requested.emit(str(index.data(KEY_ROLE)), event.globalPos())

    def selected_key(self) -> str:
        index = self.currentIndex()
        return (
            str(index.data(KEY_ROLE))
            if index.isValid() and self.selectionModel().isSelected(index)
            else ""
        )

    def clear_selection(self) -> bool:
        if self.selectionModel().hasSelection():
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
            return True
        return False
