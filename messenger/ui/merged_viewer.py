"""``MergedViewer``: the messages of a merged forward ("chat history") in a window of their own,
painted with the chat's own bubbles. A card inside opens the forward nested in it; pictures,
files, voice and video act as in the chat (the image viewer, a download, playing), their files
fetched through the card; the right button offers Open, Save as… and Show in folder."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QDateTime, QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QListView,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from messenger.core import LocalMessage
from messenger.protocol.bodies import MergedBody
from messenger.protocol.ids import ConversationType
from messenger.ui.async_slots import async_slot
from messenger.ui.bubbles import voice_bubble
from messenger.ui.media_actions import MediaActions
from messenger.ui.message_delegate import MessageDelegate
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.message_list import KEY_ROLE, MessageListModel
from messenger.viewmodels.message_rows import RowContext

OpenNested = Callable[[LocalMessage], Awaitable[list[LocalMessage] | None]]


class MergedViewer(QDialog):
    def __init__(
        self,
        title: str,
        messages: list[LocalMessage],
        *,
        me: str,
        name_of: Callable[[str], str],
        open_nested: OpenNested,
        chat: ChatViewModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MergedViewer")
        self.setWindowTitle(title)
        self._open_nested = open_nested
        self._name_of = name_of
        self._me = me
        self._chat = chat
        self.nested: MergedViewer | None = None
        self.menu: QMenu | None = None
        now = QDateTime.currentMSecsSinceEpoch()  # separators say "Yesterday", a weekday, or a date
        context = RowContext("", type=ConversationType.GROUP, name_of=name_of, now_ms=now)
        self.model = MessageListModel(context, self)
        self.view = QListView(self)
        self.view.setObjectName("MergedMessages")

        self.delegate = MessageDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        self.delegate.set_model(self.model)
        self.media: MediaActions | None = None
        if chat is not None:  # the chat's caches and players, for the files in the forward
            self.media = MediaActions(chat, self, self.model)
            self.delegate.thumbnails = chat.thumbnails
            self.delegate.downloads = chat.downloads
            self.delegate.voice = self.media.voice
            chat.thumbnails.ready.connect(self._repaint)
            chat.downloads.changed.connect(self._repaint)
            self.media.voice.changed.connect(self._repaint)
            self.media.voice.error_occurred.connect(self._error)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.viewport().setBackgroundRole(QPalette.ColorRole.Window)  # as the chat's
        self.view.viewport().setAutoFillBackground(True)
        self.view.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(520, 600)
        self.retranslate()
        self.model.reset(messages, has_older=False, at_latest=True)

    def retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Forwarded messages"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "view"):
            self.retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._remeasure()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._remeasure()

    def _remeasure(self) -> None:
        """The rows' sizes follow the viewport's width."""
        width = self.view.viewport().width()
        if width != self.delegate.viewport_width:
            self.delegate.viewport_width = width
            self.delegate.layouts.clear()
            self.view.scheduleDelayedItemsLayout()
            self.view.executeDelayedItemsLayout()

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.view.viewport()
            and isinstance(event, QMouseEvent)
            and event.type() == QMouseEvent.Type.MouseButtonRelease
        ):
            self.open_at(event.position().toPoint())
        return False

    def _error(self, text: str) -> None:
        """Why a voice message does not play, over this window."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.windowTitle(),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("ViewerError")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _repaint(self, *_args: object) -> None:
        self.view.viewport().update()

    def open_at(self, point: QPoint) -> None:
        """A click: a nested card opens its forward, a picture or file does what it does in the
        chat."""
        index = self.view.indexAt(point)
        if not index.isValid():
            return
        message = self.model.messages()[index.row()]
        if isinstance(message.content, MergedBody):
            self._open(message)
            return
        rect = self.view.visualRect(index)
        action = self.delegate.hit(index, point.x() - rect.left(), point.y() - rect.top())
        if action and self.media is not None:
            self.media.click(action, str(index.data(KEY_ROLE)))

    def click_action(self, position: int, action: str) -> bool:
        """Click where ``action`` is drawn on row ``position`` (for keyboard users and tests)."""
        index = self.model.index(position, 0)
        geometry = self.delegate.geometry(index)
        if geometry is None:
            return False
        target = geometry.picture if action == "picture" else geometry.card
        if action == "voice_play" and target is not None:
            target = voice_bubble.button_rect(target)
        if target is None:
            return False
        if self.delegate.hit(index, target.center().x(), target.center().y()) != action:
            return False
        rect = self.view.visualRect(index)
        self.open_at(target.center().toPoint() + rect.topLeft())
        return True

    def context_menu(self, position: int) -> QMenu:
        """A file's Open, Save as… and Show in folder (empty for other messages)."""
        menu = QMenu(self)
        menu.setObjectName("MergedMenu")
        if self.media is not None:
            self.media.add_menu_actions(menu, str(self.model.index(position, 0).data(KEY_ROLE)))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.view.indexAt(self.view.viewport().mapFrom(self, event.pos()))
        if not index.isValid():
            return
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = self.context_menu(index.row())
        if not self.menu.isEmpty():
            self.menu.popup(event.globalPos())

    @async_slot()
    async def _open(self, inner: LocalMessage) -> None:
        found = await self._open_nested(inner)
        body = inner.content
        if found is None or not isinstance(body, MergedBody):
            return
        if self.nested is not None:
            self.nested.deleteLater()
        self.nested = MergedViewer(
            body.title,
            found,
            me=self._me,
            name_of=self._name_of,
            open_nested=self._open_nested,
            chat=self._chat,
            parent=self,
        )
        self.nested.show()
