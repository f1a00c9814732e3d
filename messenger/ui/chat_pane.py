"""``ChatPane``: the centre of the window: the chat's header (name, typing line or member
count, group panel toggle), the message list, the floating jump buttons and the composer.

Message actions (context menu and clickable parts of a row): copy, reply, recall, re-edit,
retry, who read it. Keys: Esc cancels the reply, else clears the selected message; Ctrl+C
copies the selected message.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCursor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.core import LocalMessage
from messenger.protocol.bodies import MergedBody
from messenger.ui.async_slots import async_slot
from messenger.ui.chat_search_bar import ChatSearchBar
from messenger.ui.chat_view import ChatView
from messenger.ui.composer import ComposerWidget
from messenger.ui.confirm import confirm
from messenger.ui.date_jump import DateJumpButton
from messenger.ui.emoji_picker import EmojiPicker
from messenger.ui.forward_dialog import ForwardDialog
from messenger.ui.icons import panel_icon
from messenger.ui.jump_buttons import JumpButton
from messenger.ui.media_actions import MediaActions
from messenger.ui.merged_viewer import MergedViewer
from messenger.ui.pinned_bar import PinnedBar
from messenger.ui.placement import show_over
from messenger.ui.reaction_popups import ReactionBar, WhoReactedPopup
from messenger.ui.readers_dialog import ReadersDialog
from messenger.ui.selection_bar import SelectionBar
from messenger.viewmodels.chat import ChatViewModel
from messenger.viewmodels.friend_notices import requester_of
from messenger.viewmodels.group_notices import application_of, handle_application
from messenger.viewmodels.people import PeopleViewModel
from messenger.viewmodels.search import ChatSearchViewModel

MENU_ORDER = (
    "reply",
    "forward",
    "copy",
    "copy_link",
    "edit",
    "pin",
    "unpin",
    "react",
    "reactions",
    "select",
    "delete_for_me",
    "recall",
    "reedit",
    "retry",
)


class ChatHeader(QFrame):
    title_clicked = Signal()  # the name: a C2C peer's profile card

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChatHeader")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        self.title.installEventFilter(self)
        layout.addLayout(texts, 1)
        self.date_button = DateJumpButton(self)
        layout.addWidget(self.date_button)
        self.panel_button = QToolButton(self)
        self.panel_button.setCheckable(True)
        self.panel_button.setChecked(True)
        self.panel_button.setAutoRaise(True)
        layout.addWidget(self.panel_button)
        self._icons()

    def _icons(self) -> None:
        color = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self.panel_button.setIcon(panel_icon(color))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.title and event.type() == QEvent.Type.MouseButtonRelease:
            self.title_clicked.emit()
            return True
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "panel_button"):
            self._icons()
        super().changeEvent(event)


class ChatPane(QWidget):
    group_panel_toggled = Signal(bool)
    user_clicked = Signal(str)  # a sender's avatar or name: show their profile card

    def __init__(
        self,
        vm: ChatViewModel,
        parent: QWidget | None = None,
        search: ChatSearchViewModel | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.people: PeopleViewModel | None = None  # answers friend requests from their notices
        self.setObjectName("ChatPane")
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.stack.addWidget(self.empty)

        self.page = QWidget(self)
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = ChatHeader(self.page)
        self.header.panel_button.toggled.connect(self.group_panel_toggled)
        self.header.title_clicked.connect(self._title_clicked)
        layout.addWidget(self.header)
        self.search_bar: ChatSearchBar | None = None
        if search is not None:
            self.search_bar = ChatSearchBar(search, self.page)
            self.search_bar.hide()
            layout.addWidget(self.search_bar)
        self.pinned_bar = PinnedBar(self.page)
        self.pinned_bar.clicked.connect(self._jump_pin)
        layout.addWidget(self.pinned_bar)
        self.view = ChatView(vm, self.page)
        layout.addWidget(self.view, 1)
        if self.search_bar is not None:
            self.search_bar.terms_changed.connect(self._mark_terms)
            self.search_bar.closed.connect(lambda: self._mark_terms([]))
        self.header.date_button.day_chosen.connect(self._jump_to_day)
        self.mute_notice = QLabel(self.page)
        self.mute_notice.setObjectName("MuteNotice")
        self.mute_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.mute_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mute_notice.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.mute_notice.setContentsMargins(8, 6, 8, 6)
        self.mute_notice.hide()
        layout.addWidget(self.mute_notice)
        self.composer = ComposerWidget(vm.composer, self.page)
        layout.addWidget(self.composer)
        self.selection_bar = SelectionBar(self.page)
        self.selection_bar.hide()
        self.selection_bar.forward_clicked.connect(lambda: self.forward(vm.ops.selected, False))
        self.selection_bar.merged_clicked.connect(lambda: self.forward(vm.ops.selected, True))
        self.selection_bar.copy_clicked.connect(self._copy_selection)
        self.selection_bar.delete_clicked.connect(lambda: self._delete(vm.ops.selected))
        self.selection_bar.cancel_clicked.connect(vm.ops.stop_selecting)
        layout.addWidget(self.selection_bar)
        self._mute_timer = QTimer(self)
        self._mute_timer.setInterval(5000)  # a mute ends by itself: look again now and then
        self._mute_timer.timeout.connect(self._muted)
        vm.group.info_changed.connect(self._muted)
        vm.group.members_loaded.connect(self._muted)
        self.stack.addWidget(self.page)

        self.to_bottom = JumpButton("down", self.view)
        self.to_bottom.setObjectName("ScrollToBottom")
        self.to_bottom.clicked.connect(self._jump_latest)
        self.to_unread = JumpButton("up", self.view)
        self.to_unread.setObjectName("JumpToUnread")
        self.to_unread.clicked.connect(self._jump_unread)
        self.to_mention = JumpButton("@", self.view)
        self.to_mention.setObjectName("JumpToMention")
        self.to_mention.clicked.connect(self._jump_mention)

        self.menu: QMenu | None = None
        self.readers: ReadersDialog | None = None
        self.forward_dialog: ForwardDialog | None = None
        self.merged_viewer: MergedViewer | None = None
        self.reaction_picker: EmojiPicker | None = None
        self.reaction_bar: ReactionBar | None = None
        self.who_reacted: WhoReactedPopup | None = None
        self.delete_box: QMessageBox | None = None
        vm.ops.pins_changed.connect(self._pins)
        vm.ops.selection_changed.connect(self._selection)
        self.media = MediaActions(vm, self)
        vm.downloads.error_occurred.connect(self._error)
        self.view.delegate.voice = self.media.voice
        self.media.voice.changed.connect(self.view.viewport().update)
        self.media.voice.error_occurred.connect(self._error)
        self.view.action_clicked.connect(self._action)
        self.view.context_menu_requested.connect(self._show_menu)
        self.view.react_clicked.connect(self.show_reaction_bar)
        self.view.reactions_requested.connect(self.show_who_reacted)
        self.composer.escape_pressed.connect(self.view.clear_selection)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.view)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selected)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.view)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.escape)

        vm.current_conversation_changed.connect(self._conversation_changed)
        vm.header_changed.connect(self._header)
        vm.typing.text_changed.connect(self._header)
        vm.jumps_changed.connect(self._jumps)
        vm.error_occurred.connect(self._error)
        vm.composer.error_occurred.connect(self._error)
        self.retranslate()
        self._conversation_changed(vm.current_conversation_id)

    # -- search and dates ------------------------------------------------------------------------
    def open_search(self) -> bool:
        """Ctrl+F: the search bar of the open chat (False when no chat is open)."""
        if self.search_bar is None or not self.vm.current_conversation_id:
            return False
        self.search_bar.open_bar()
        return True

    def _mark_terms(self, terms: list[str]) -> None:
        self.view.delegate.search_terms = terms
        self.view.viewport().update()

    @async_slot(object)
    async def _jump_to_day(self, time_ms: int) -> None:
        if not await self.vm.jump_to_time(time_ms):
            self._error(self.tr("No messages on or after that day."))

    # -- state -----------------------------------------------------------------------------------
    def _conversation_changed(self, conversation_id: str) -> None:
        self.stack.setCurrentWidget(self.page if conversation_id else self.empty)
        self._header()
        self._jumps()

    def _header(self) -> None:
        self.header.title.setText(self.vm.title)
        subtitle = self.vm.typing.text or self.vm.subtitle
        self.header.subtitle.setText(subtitle)
        self.header.subtitle.setVisible(bool(subtitle))
        self.header.panel_button.setVisible(bool(self.vm.group_id))
        self.composer.setVisible(self.vm.can_write and not self.vm.ops.selecting)
        self._muted()

    def _muted(self) -> None:
        """A muted member (or everyone, under mute-all) sees why the composer is closed."""
        notice = self.vm.group.mute_notice() if self.vm.group_id else ""
        self.mute_notice.setText(notice)
        self.mute_notice.setVisible(bool(notice))
        self.composer.setVisible(self.vm.can_write and not notice and not self.vm.ops.selecting)
        if notice:
            self._mute_timer.start()
        else:
            self._mute_timer.stop()

    def _jumps(self) -> None:
        vm = self.vm
        below = not self.view.at_bottom() or not vm.messages.at_latest
        self.to_bottom.set_count(vm.new_below)
        self.to_bottom.setVisible(
            bool(vm.current_conversation_id) and below and vm.messages.rowCount() > 0
        )
        self.to_unread.setVisible(vm.can_jump_unread)
        self.to_mention.setVisible(bool(vm.mention_seq))
        self._place_buttons()

    def _place_buttons(self) -> None:
        viewport = self.view.viewport()
        x = viewport.width() - self.to_bottom.width() - 10
        y = viewport.height() - 10
        for button in (self.to_bottom, self.to_mention, self.to_unread):
            if button.isVisible():
                y -= button.height()
                button.move(x, y)
                button.raise_()
                y -= 4

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_buttons()

    # -- jumps -----------------------------------------------------------------------------------
    @async_slot()
    async def _jump_latest(self) -> None:
        await self.vm.jump_to_latest()

    @async_slot()
    async def _jump_unread(self) -> None:
        await self.vm.jump_to_first_unread()

    @async_slot()
    async def _jump_mention(self) -> None:
        await self.vm.jump_to_mention()

    # -- message actions -------------------------------------------------------------------------
    def context_menu(self, key: str) -> QMenu:
        """The message's menu: only what can be done with it now."""
        menu = QMenu(self)
        menu.setObjectName("MessageMenu")
        labels = {
            "copy": self.tr("Copy"),
            "reply": self.tr("Reply"),
            "recall": self.tr("Recall"),
            "reedit": self.tr("Re-edit"),
            "retry": self.tr("Retry sending"),
            "forward": self.tr("Forward"),
            "copy_link": self.tr("Copy link"),
            "edit": self.tr("Edit"),
            "pin": self.tr("Pin"),
            "unpin": self.tr("Unpin"),
            "select": self.tr("Select"),
            "reactions": self.tr("Who reacted"),
            "delete_for_me": self.tr("Delete for me"),
        }
        offered = set(self.vm.actions_for(key)) | set(self.vm.ops.actions_for(key))
        for name in MENU_ORDER:
            if name not in offered:
                continue
            if name == "react":
                menu.addMenu(self._react_menu(menu, key)).setObjectName("react")
                continue
            action = QAction(labels[name], menu)
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, n=name: self.run_action(n, key))
            menu.addAction(action)
        if application_of(self.vm.messages.message(key)) is not None:  # a join request
            for name, label, approve in (
                ("approve", self.tr("Approve"), True),
                ("refuse", self.tr("Refuse"), False),
            ):
                action = QAction(label, menu)
                action.setObjectName(name)
                action.triggered.connect(lambda _=False, a=approve: self._handle(key, a))
                menu.addAction(action)
        self._add_friend_request_actions(menu, requester_of(self.vm.messages.message(key)))
        self.media.add_menu_actions(menu, key)
        return menu

    def _add_friend_request_actions(self, menu: QMenu, requester: str | None) -> None:
        """A friend request's notice: Accept and Refuse while it waits; the asker's card always."""
        if requester is None or self.people is None:
            return
        if self.people.waiting_request_from(requester):
            for name, label, accept in (
                ("accept_friend", self.tr("Accept"), True),
                ("refuse_friend", self.tr("Refuse"), False),
            ):
                action = QAction(label, menu)
                action.setObjectName(name)
                action.triggered.connect(
                    lambda _=False, a=accept: self._answer_friend(requester, a)
                )
                menu.addAction(action)
        profile = QAction(self.tr("View profile"), menu)
        profile.setObjectName("view_profile")
        profile.triggered.connect(lambda: self.user_clicked.emit(requester))
        menu.addAction(profile)

    @async_slot(str, bool)
    async def _answer_friend(self, requester: str, accept: bool) -> None:
        if self.people is not None:  # both ways, as the inbox does by default
            problem = await self.people.answer_request(requester, accept)
            if problem:
                self._error(problem)

    def _react_menu(self, parent: QMenu, key: str) -> QMenu:
        """Recent emoji, then "More…" (the emoji picker)."""
        menu = QMenu(self.tr("React"), parent)
        menu.setObjectName("react")
        for emoji in self.vm.ops.recent:
            action = QAction(emoji, menu)
            action.setObjectName("react:" + emoji)
            action.triggered.connect(lambda _=False, e=emoji: self._react(key, e))
            menu.addAction(action)
        more = QAction(self.tr("More…"), menu)
        more.setObjectName("react_more")
        more.triggered.connect(lambda: self._pick_reaction(key))
        menu.addAction(more)
        return menu

    def show_reaction_bar(self, key: str, where: QPoint) -> None:
        """The hover button's popup: the recent emoji and "…" (the emoji picker)."""
        if self.reaction_bar is not None:
            self.reaction_bar.deleteLater()
        bar = self.reaction_bar = ReactionBar(self.vm.ops.recent, self)
        bar.chosen.connect(lambda emoji: self._react(key, emoji))
        bar.more_clicked.connect(lambda: self._pick_reaction(key))
        bar.show_at(where)

    def show_who_reacted(self, key: str, where: QPoint) -> None:
        """Each emoji on the message with the names of who reacted with it."""
        reactions = self.vm.ops.reactions_of(key)
        if not reactions:
            return
        if self.who_reacted is not None:
            self.who_reacted.deleteLater()
        self.who_reacted = WhoReactedPopup(reactions, self)
        self.who_reacted.show_at(where)

    def _pick_reaction(self, key: str) -> None:
        if self.reaction_picker is not None:
            self.reaction_picker.deleteLater()
        picker = self.reaction_picker = EmojiPicker(self)
        picker.emoji_chosen.connect(lambda emoji: self._react(key, emoji))
        picker.emoji_chosen.connect(lambda _emoji: picker.hide())
        corner = self.view.mapToGlobal(QPoint(self.view.width() // 2 - 150, 40))
        picker.move(corner)
        picker.show()
        picker.search.setFocus()

    @async_slot()
    async def _react(self, key: str, emoji: str) -> None:
        await self.vm.ops.react(key, emoji)

    # -- pins, selection, forwarding -------------------------------------------------------------
    def _pins(self) -> None:
        ops = self.vm.ops
        pin = ops.current_pin
        if pin is None:
            self.pinned_bar.hide()
            return
        self.pinned_bar.show_pin(ops.pin_text(pin), ops.pin_index, len(ops.pinned))

    @async_slot()
    async def _jump_pin(self) -> None:
        await self.vm.ops.jump_to_pin()

    def _selection(self) -> None:
        ops = self.vm.ops
        self.selection_bar.setVisible(ops.selecting)
        self.selection_bar.set_count(len(ops.selected))
        self._header()

    def _copy_selection(self) -> None:
        text = self.vm.ops.copy_text(self.vm.ops.selected)
        if text:
            QGuiApplication.clipboard().setText(text)
        self.vm.ops.stop_selecting()

    def _delete(self, keys: list[str]) -> None:
        """Ask first: the messages leave all my devices (the others keep theirs)."""
        count = len(keys)
        if not count:
            return
        self.delete_box = confirm(
            self,
            self.tr("Delete for me"),
            self.tr(
                "Delete %n message(s) from all your devices? The others in the chat keep them.",
                "",
                count,
            ),
            self.tr("Delete"),
            lambda: self._delete_now(list(keys)),
        )

    @async_slot()
    async def _delete_now(self, keys: list[str]) -> None:
        await self.vm.ops.delete_for_me(keys)

    @async_slot()
    async def forward(self, keys: list[str], merged: bool) -> None:
        """Ask where to (and a comment), then forward one by one or as one chat history."""
        ops = self.vm.ops
        count = len(ops.forwardable(keys))
        if not count:
            return
        targets = await ops.targets()
        if self.forward_dialog is not None:
            self.forward_dialog.deleteLater()
        dialog = self.forward_dialog = ForwardDialog(targets, count, merged=merged, parent=self)
        dialog.accepted.connect(lambda: self._forward_chosen(dialog, list(keys), merged))
        dialog.open()

    @async_slot()
    async def _forward_chosen(self, dialog: ForwardDialog, keys: list[str], merged: bool) -> None:
        await self.vm.ops.forward(
            keys, dialog.chosen(), comment=dialog.comment.text(), merged=merged
        )

    @async_slot()
    async def open_merged(self, key: str) -> None:
        ops = self.vm.ops
        card = self.vm.messages.message(key)
        found = await ops.open_merged(key)
        if card is None or found is None or not isinstance(card.content, MergedBody):
            return
        if self.merged_viewer is not None:
            self.merged_viewer.deleteLater()

        async def nested(inner: LocalMessage) -> list[LocalMessage] | None:
            return await ops.open_nested(card, inner)

        self.merged_viewer = MergedViewer(
            card.content.title,
            found,
            me=self.vm.me,
            name_of=self.vm.display_name,
            open_nested=nested,
            chat=self.vm,
            parent=self,
        )
        show_over(self.merged_viewer, self)

    @async_slot()
    async def _pin(self, key: str, pinned: bool) -> None:
        await self.vm.ops.pin(key, pinned)

    @async_slot()
    async def _handle(self, key: str, approve: bool) -> None:
        message = self.vm.messages.message(key)
        if message is not None:
            problem = await handle_application(self.vm.group.client, message, approve)
            if problem:
                self._error(problem)

    def _show_menu(self, key: str, where: QPoint) -> None:
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = self.context_menu(key)
        if not self.menu.isEmpty():
            self.menu.popup(where)

    def run_action(self, name: str, key: str) -> None:
        if name == "copy":
            self.copy(key)
        elif name == "reply":
            self.vm.reply(key)
        elif name == "recall":
            self._recall(key)
        elif name == "reedit":
            self.vm.reedit(key)
            self.composer.edit.setFocus()
        elif name == "retry":
            self._resend(key)
        elif name == "forward":
            self.forward([key], False)
        elif name == "copy_link":
            link = self.vm.ops.link_of(key)
            if link:
                QGuiApplication.clipboard().setText(link)
        elif name == "edit":
            if self.vm.ops.edit(key):
                self.composer.edit.setFocus()
        elif name in ("pin", "unpin"):
            self._pin(key, name == "pin")
        elif name == "select":
            self.vm.ops.start_selecting(key)
        elif name == "delete_for_me":
            self._delete([key])
        elif name == "reactions":
            self.show_who_reacted(key, QCursor.pos())

    def _title_clicked(self) -> None:
        """The name of a C2C chat opens the peer's profile card (not my saved messages)."""
        cid = self.vm.current_conversation_id
        if cid.startswith("C2C") and cid[3:] != self.vm.me:
            self.user_clicked.emit(cid[3:])

    def _action(self, action: str, key: str) -> None:
        """A click on a row's active part."""
        if action == "receipts":
            self._show_readers(key)
        elif action == "quote":
            message = self.vm.messages.message(key)
            if message is not None and message.reply_to is not None:
                self._jump_to(message.reply_to.seq)
        elif action == "profile":
            message = self.vm.messages.message(key)
            if message is not None:
                self.user_clicked.emit(message.sender)
        elif action == "cancel":
            self._cancel_upload(key)
        elif action.startswith("react:"):
            self._react(key, action[len("react:") :])
        elif action == "merged":
            self.open_merged(key)
        elif self.media.click(action, key):
            pass
        else:
            self.run_action({"retry": "retry", "reedit": "reedit"}[action], key)

    @async_slot()
    async def _cancel_upload(self, key: str) -> None:
        await self.vm.cancel_upload(key)

    @async_slot()
    async def _recall(self, key: str) -> None:
        await self.vm.recall(key)

    @async_slot()
    async def _resend(self, key: str) -> None:
        await self.vm.resend(key)

    @async_slot()
    async def _jump_to(self, seq: int) -> None:
        await self.vm.jump_to_seq(seq, "center")

    @async_slot()
    async def _show_readers(self, key: str) -> None:
        message = self.vm.messages.message(key)
        if message is None or not message.seq:
            return
        readers = await self.vm.readers(message.seq)
        if readers is None:
            return
        name = self.vm.display_name
        if self.readers is not None:
            self.readers.deleteLater()
        self.readers = ReadersDialog(
            [name(u) for u in readers.read], [name(u) for u in readers.unread], self
        )
        self.readers.open()

    def copy(self, key: str) -> None:
        text = self.vm.text_of(key)
        if text:
            QGuiApplication.clipboard().setText(text)

    def copy_selected(self) -> None:
        key = self.view.selected_key()
        if key:
            self.copy(key)

    def escape(self) -> None:
        if self.vm.ops.selecting:
            self.vm.ops.stop_selecting()
        elif self.vm.composer.reply_to is not None:
            self.vm.composer.clear_reply()
        else:
            self.view.clear_selection()

    def _error(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Messenger"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("ChatError")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- language --------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Select a chat to start messaging"))
        self.view.setAccessibleName(self.tr("Messages"))
        self.view.react_button.setToolTip(self.tr("Add a reaction"))
        self.view.react_button.setAccessibleName(self.tr("Add a reaction"))
        self.view.delegate.retranslate()
        self.view.remeasure()  # labels ("Unread messages", …) changed size
        self.header.panel_button.setToolTip(self.tr("Group info"))
        self.header.panel_button.setAccessibleName(self.tr("Show group info"))
        self.to_bottom.setToolTip(self.tr("Scroll to the latest messages"))
        self.to_bottom.setAccessibleName(self.tr("Scroll to the latest messages"))
        self.to_unread.setToolTip(self.tr("Go to the first unread message"))
        self.to_unread.setAccessibleName(self.tr("Go to the first unread message"))
        self.to_mention.setToolTip(self.tr("Go to the message that mentions you"))
        self.to_mention.setAccessibleName(self.tr("Go to the message that mentions you"))
