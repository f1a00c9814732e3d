"""The main window: a navigation rail (Chats / Contacts), the pages, a banner slot on top.

Layout of the Chats page (filled by ``bind``): conversation list | chat pane | group panel
(shown for groups). Shell features plug in through ``set_banner`` and the ``*_requested``
signals of the menu; ``bind`` / ``unbind`` attach and detach one signed-in account's
``SessionViewModel``.

The Contacts page is the friend sidebar (``ContactsPage``) of the bound account; "+" above the
conversation list and Ctrl+N open the new-chat dialog; the account menu has "Edit my profile";
clicking an avatar or a name in the chat opens a profile card.

Keys: Ctrl+K quick switcher, Ctrl+N new chat, Ctrl+F search in the open chat (the top box when
none is open), Ctrl+Shift+F the top box (chats, people, messages), Alt+Up / Alt+Down
previous / next conversation, Esc cancels a reply or clears the selected message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.ui.async_slots import async_slot
from messenger.ui.avatars import forget_avatar_images, mark_online, set_avatar_image
from messenger.ui.conversation_list_view import ConversationListWidget
from messenger.ui.icons import chats_icon, contacts_icon, with_badge
from messenger.viewmodels.conversation_rows import conversation_name
from messenger.viewmodels.group_create import JoinGroupViewModel, NewGroupViewModel
from messenger.viewmodels.quick_switcher import QuickSwitcherModel
from messenger.viewmodels.session import SessionViewModel

if TYPE_CHECKING:  # made when first wanted (see bind), and imported then
    from messenger.ui.chat_pane import ChatPane
    from messenger.ui.contacts_page import ContactsPage
    from messenger.ui.edit_profile_dialog import EditProfileDialog
    from messenger.ui.global_search import GlobalSearchPanel
    from messenger.ui.group_panel import GroupPanel
    from messenger.ui.new_chat_dialog import NewChatDialog
    from messenger.ui.profile_card import ProfileCardDialog
    from messenger.ui.quick_switcher import QuickSwitcherDialog

PANEL_WIDTH = 240
CHAT_MIN = 460  # the chat keeps this much beside the group panel, else the panel folds away


class MainWindow(QMainWindow):
    settings_requested = Signal()
    switch_account_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.resize(1180, 760)
        self.session: SessionViewModel | None = None

        root = QWidget(self)
        outer = QVBoxLayout(root)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self._banner_slot = QVBoxLayout()
        self._banner_slot.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._banner_slot)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        outer.addLayout(body, 1)

        rail = QWidget(root)
        rail.setObjectName("NavigationRail")
        rail_layout = QVBoxLayout(rail)
        rail_layout.setContentsMargins(6, 8, 6, 8)
        self.chats_button = QToolButton(rail)
        self.contacts_button = QToolButton(rail)
        self._nav = QButtonGroup(self)
        for index, button in enumerate((self.chats_button, self.contacts_button)):
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFixedWidth(64)
            button.setIconSize(QSize(24, 24))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            self._nav.addButton(button, index)
            rail_layout.addWidget(button)
        rail_layout.addStretch(1)
        self.chats_button.setChecked(True)
        body.addWidget(rail)

        self.pages = QStackedWidget(root)
        self.chats_page = QWidget(self.pages)
        chats_layout = QVBoxLayout(self.chats_page)
        chats_layout.setContentsMargins(0, 0, 0, 0)
        self.conversation_list: ConversationListWidget | None = None
        self.global_search: GlobalSearchPanel | None = None
        self.chat_pane: ChatPane | None = None
        self.group_panel: GroupPanel | None = None
        self.switcher: QuickSwitcherDialog | None = None
        self._splitter: QSplitter | None = None
        self._chat_stand_in: QWidget | None = None
        self._show_group_panel = True  # the user's choice while the window is wide
        self._panel_asked = False  # asked for while narrow (forgotten when it widens again)
        self._narrow = False
        self._composer_wanted = ""  # a conversation whose composer takes the keys once open
        self.contacts_page = QLabel(self.pages)
        self.contacts_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.contacts: ContactsPage | None = None
        self.new_chat_dialog: NewChatDialog | None = None
        self._avatar_ids: dict[str, str] = {}
        self.chats_page.installEventFilter(self)
        self.pages.addWidget(self.chats_page)
        self.pages.addWidget(self.contacts_page)
        self._nav.idClicked.connect(self._show_page)
        body.addWidget(self.pages, 1)
        self.setCentralWidget(root)

        self._settings_action = QAction(self)
        self._settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self._settings_action.triggered.connect(self.settings_requested)
        self._switch_action = QAction(self)
        self._switch_action.triggered.connect(self.switch_account_requested)
        self._sign_out_action = QAction(self)
        self._sign_out_action.triggered.connect(self.sign_out_requested)
        self._quit_action = QAction(self)
        self._quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self._quit_action.triggered.connect(self.quit_requested)
        self._profile_action = QAction(self)
        self._profile_action.triggered.connect(self.edit_profile)
        self._new_group_action = QAction(self)
        self._new_group_action.setObjectName("NewGroup")
        self._new_group_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self._new_group_action.triggered.connect(self.new_group)
        self._join_group_action = QAction(self)
        self._join_group_action.setObjectName("JoinGroup")
        self._join_group_action.triggered.connect(self.join_group)
        self.group_dialog: QWidget | None = None
        self._app_menu = self.menuBar().addMenu("")
        self._app_menu.addAction(self._profile_action)
        for action in (self._new_group_action, self._join_group_action):
            self._app_menu.addAction(action)
        self._app_menu.addSeparator()
        for action in (self._settings_action, self._switch_action, self._sign_out_action):
            self._app_menu.addAction(action)
        self._app_menu.addSeparator()
        self._app_menu.addAction(self._quit_action)

        self._switcher_action = QAction(self)
        self._switcher_action.setShortcut(QKeySequence("Ctrl+K"))
        self._switcher_action.triggered.connect(self.open_switcher)
        self._find_action = QAction(self)
        self._find_action.setShortcut(QKeySequence.StandardKey.Find)
        self._find_action.triggered.connect(self.find_in_chat)
        self._find_all_action = QAction(self)
        self._find_all_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self._find_all_action.triggered.connect(self.focus_filter)
        self._previous_action = QAction(self)
        self._previous_action.setShortcut(QKeySequence("Alt+Up"))
        self._previous_action.triggered.connect(lambda: self.step_conversation(-1))
        self._next_action = QAction(self)
        self._next_action.setShortcut(QKeySequence("Alt+Down"))
        self._next_action.triggered.connect(lambda: self.step_conversation(1))
        self._new_chat_action = QAction(self)
        self._new_chat_action.setShortcut(QKeySequence("Ctrl+N"))
        self._new_chat_action.triggered.connect(self.open_new_chat)
        for action in (
            self._new_chat_action,
            self._new_group_action,
            self._switcher_action,
            self._find_action,
            self._find_all_action,
            self._previous_action,
            self._next_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self._rail_icons()
        self.retranslate()

    def _show_page(self, index: int) -> None:
        self.complete()  # (Contacts)
        self.pages.setCurrentIndex(index)

    def _rail_icons(self) -> None:
        color = self.palette().color(QPalette.ColorRole.WindowText)
        self.chats_button.setIcon(chats_icon(color))
        unread = self.session.people.unread_requests if self.session is not None else 0
        self.contacts_button.setIcon(with_badge(contacts_icon(color), unread))

    # -- shell slots -----------------------------------------------------------------------------------
    def set_banner(self, widget: QWidget) -> None:
        """Put a bar above the pages (the connection banner); the widget hides itself when idle."""
        self._banner_slot.addWidget(widget)

    # -- account ---------------------------------------------------------------------------------------
    def bind(self, session: SessionViewModel, *, rest_later: bool = False) -> None:
        """Show this account: the conversation list, and the panes around it (chat, group
        panel, the top search, Contacts, the quick switcher) — with ``rest_later`` those come
        with ``complete()`` instead, or as soon as one is wanted: a launch paints the list
        first (they took about a fifth of it)."""
        if self.session is not None:
            self.unbind()
        self.session = session
        self.setWindowTitle(self.tr("Messenger — {user}").format(user=session.user_id))
        splitter = QSplitter(Qt.Orientation.Horizontal, self.chats_page)
        splitter.setChildrenCollapsible(False)
        self.conversation_list = ConversationListWidget(session.conversations, splitter)
        self._chat_stand_in = QWidget(splitter)  # where the chat pane goes (blank until then)
        for pane in (self.conversation_list, self._chat_stand_in):
            splitter.addWidget(pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 640 + PANEL_WIDTH])
        layout = self.chats_page.layout()
        assert layout is not None
        layout.addWidget(splitter)
        self._splitter = splitter
        self.conversation_list.conversation_activated.connect(self.open_conversation)
        self.conversation_list.new_chat_requested.connect(self.open_new_chat)
        self.conversation_list.composer_wanted.connect(self.focus_composer)
        plus = QMenu(self.conversation_list.new_chat)
        plus.setObjectName("PlusMenu")
        for action in (self._new_chat_action, self._new_group_action, self._join_group_action):
            plus.addAction(action)
        self.conversation_list.new_chat.setMenu(plus)
        session.chat.current_conversation_changed.connect(self._conversation_changed)
        session.people.requests_unread_changed.connect(self._requests_badge)
        session.people.presence_changed.connect(self._presence_changed)
        session.names.names_changed.connect(self._load_avatars)
        session.group_avatars_changed.connect(self._load_avatars)
        self._requests_badge(session.people.unread_requests)
        if not rest_later:
            self.complete()

    def complete(self) -> None:
        """Make the panes ``bind(rest_later=True)`` left for later (nothing if they exist)."""
        session, splitter = self.session, self._splitter
        if session is None or splitter is None or self.chat_pane is not None:
            return
        assert self.conversation_list is not None
        from messenger.ui.chat_pane import ChatPane
        from messenger.ui.contacts_page import ContactsPage
        from messenger.ui.global_search import GlobalSearchPanel
        from messenger.ui.group_panel import GroupPanel
        from messenger.ui.quick_switcher import QuickSwitcherDialog

        sizes = splitter.sizes()
        self.chat_pane = ChatPane(session.chat, splitter, session.chat_search)
        self.group_panel = GroupPanel(session.chat.group, splitter)
        if self._chat_stand_in is not None:
            self._chat_stand_in.hide()
            self._chat_stand_in.setParent(None)
            self._chat_stand_in.deleteLater()
            self._chat_stand_in = None
        splitter.insertWidget(1, self.chat_pane)
        splitter.insertWidget(2, self.group_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        if splitter.isVisible():  # laid out: the group panel takes its width from the chat's
            splitter.setSizes([sizes[0], max(0, sizes[1] - PANEL_WIDTH), PANEL_WIDTH])
        else:  # (shares, scaled to the window's width when it is shown)
            splitter.setSizes([300, 640, PANEL_WIDTH])
        self.global_search = GlobalSearchPanel(
            session.search,
            self._chat_name,
            session.names.display,
            self.conversation_list,
            chats=session.conversations.model.conversation_ids,
        )
        self.conversation_list.add_search_panel(self.global_search)
        self.global_search.chat_chosen.connect(self.write_to)
        self.global_search.person_chosen.connect(self.show_profile)
        self.global_search.message_chosen.connect(self.open_message)
        self.group_panel.bind_notifications(session.conversations)
        self.switcher = QuickSwitcherDialog(QuickSwitcherModel(session.conversations.model), self)
        self.switcher.conversation_chosen.connect(self.write_to)
        self.chat_pane.group_panel_toggled.connect(self._toggle_group_panel)
        self.chat_pane.user_clicked.connect(self.show_profile)
        self.chat_pane.people = session.people
        self.group_panel.user_clicked.connect(self.show_profile)
        self.group_panel.mention_requested.connect(self.chat_pane.composer.mention)
        self._width_changed()
        self._conversation_changed(session.chat.current_conversation_id)
        self.contacts = ContactsPage(session.people, self.pages)
        self.contacts.conversation_requested.connect(self.write_to)
        self.pages.insertWidget(1, self.contacts)
        self.contacts_page.hide()
        if self.pages.currentIndex() != 0:
            self.pages.setCurrentWidget(self.contacts)

    def unbind(self) -> None:
        """Forget the account (sign-out, switch): the panes go empty."""
        session, self.session = self.session, None
        if session is not None:
            session.chat.current_conversation_changed.disconnect(self._conversation_changed)
            session.people.requests_unread_changed.disconnect(self._requests_badge)
            session.people.presence_changed.disconnect(self._presence_changed)
            session.names.names_changed.disconnect(self._load_avatars)
            session.group_avatars_changed.disconnect(self._load_avatars)
        if self.contacts is not None:
            self.pages.removeWidget(self.contacts)
            self.contacts.deleteLater()
            self.contacts = None
        self._avatar_ids.clear()
        forget_avatar_images()
        self._requests_badge(0)
        if self._splitter is not None:
            self._splitter.hide()
            self._splitter.setParent(None)
            self._splitter.deleteLater()
        if self.switcher is not None:
            self.switcher.deleteLater()
        self._splitter = self.switcher = self._chat_stand_in = None
        self.conversation_list = self.chat_pane = self.group_panel = None
        self.global_search = None
        self.setWindowTitle(self.tr("Messenger"))

    # -- groups ------------------------------------------------------------------------------------------
    def new_group(self) -> None:
        """The New group dialog; the new group's chat opens at once."""
        if self.session is None:
            return
        from messenger.ui.group_dialogs import NewGroupDialog

        vm = NewGroupViewModel(self.session.client, self)
        vm.created.connect(self.write_to)
        dialog = NewGroupDialog(vm, self)
        dialog.finished.connect(dialog.deleteLater)
        self.group_dialog = dialog
        dialog.open()

    def join_group(self) -> None:
        if self.session is None:
            return
        from messenger.ui.group_dialogs import JoinGroupDialog

        vm = JoinGroupViewModel(self.session.client, self)
        vm.joined.connect(self.write_to)
        dialog = JoinGroupDialog(vm, self)
        dialog.finished.connect(dialog.deleteLater)
        self.group_dialog = dialog
        dialog.open()

    # -- chats -------------------------------------------------------------------------------------------
    @async_slot()
    async def open_conversation(self, conversation_id: str) -> None:
        if self.session is not None:
            self.complete()
            self.pages.setCurrentWidget(self.chats_page)
            self.chats_button.setChecked(True)
            await self.session.chat.open(conversation_id)
            self._focus_composer()

    @async_slot(str, int)
    async def open_message(self, conversation_id: str, seq: int) -> None:
        """A search result: its chat, opened at that message with the ones around it."""
        if self.session is not None:
            self.complete()
            self.pages.setCurrentWidget(self.chats_page)
            self.chats_button.setChecked(True)
            await self.session.chat.open(conversation_id, at_seq=seq)

    def _chat_name(self, conversation_id: str) -> str:
        if self.session is None:
            return conversation_id
        conversation = self.session.conversations.model.conversation(conversation_id)
        if conversation is None:
            return conversation_id
        return conversation_name(conversation, self.session.names)

    def write_to(self, conversation_id: str) -> None:
        """A chat chosen anywhere but by stepping through the conversation list (a card's "Send
        message", Contacts, the quick switcher, search, a new or joined group): it opens with its
        composer taking the keys, so what the user types next is not lost elsewhere."""
        self.focus_composer(conversation_id)
        self.open_conversation(conversation_id)

    def focus_composer(self, conversation_id: str) -> None:
        """A click on a chat: its composer takes the keys once the chat is open (its draft
        restored), so nothing typed is lost or lands in the chat before."""
        self._composer_wanted = conversation_id

    def _focus_composer(self) -> None:
        wanted, self._composer_wanted = self._composer_wanted, ""
        pane = self.chat_pane
        open_now = pane is not None and wanted and pane.vm.current_conversation_id == wanted
        if pane is not None and open_now and pane.composer.isVisible():
            pane.composer.edit.setFocus(Qt.FocusReason.MouseFocusReason)

    # -- people --------------------------------------------------------------------------------------------
    def open_new_chat(self) -> None:
        if self.session is None:
            return
        from messenger.ui.new_chat_dialog import NewChatDialog

        dialog = NewChatDialog(self.session.people, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.conversation_requested.connect(self.write_to)
        dialog.finished.connect(lambda _: setattr(self, "new_chat_dialog", None))
        self.new_chat_dialog = dialog
        dialog.open()

    def show_profile(self, user_id: str) -> ProfileCardDialog | None:
        if self.session is None or not user_id:
            return None
        from messenger.ui.profile_card import ProfileCardDialog

        people = self.session.people
        dialog = ProfileCardDialog(people, user_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.message_requested.connect(self.write_to)
        dialog.open()
        people.spawn(people.fetch_profile(user_id))
        return dialog

    def edit_profile(self) -> EditProfileDialog | None:
        if self.session is None:
            return None
        from messenger.ui.edit_profile_dialog import EditProfileDialog

        dialog = EditProfileDialog(self.session.people, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _requests_badge(self, unread: int) -> None:
        """The count of unread friend requests: a badge on the icon (the label stays short
        enough for the rail in every language) and in the button's accessible name."""
        self.contacts_button.setProperty("badge", unread)
        self._rail_icons()
        name = self.tr("Contacts")
        if unread:
            name = self.tr("%n new friend request(s)", "", unread) + " · " + name
        self.contacts_button.setAccessibleName(name)
        self.contacts_button.setToolTip(name)

    def _presence_changed(self, user_id: str) -> None:
        if self.session is not None:
            mark_online(user_id, self.session.people.is_online(user_id))
            if self.conversation_list is not None:
                self.conversation_list.list.viewport().update()
            if self.group_panel is not None:
                self.group_panel.members.viewport().update()

    def _load_avatars(self) -> None:
        if self.session is None:
            return
        session = self.session
        known = {**session.names.avatars(), **session.group_avatars}  # users', groups'
        for key, avatar in known.items():
            if avatar and self._avatar_ids.get(key) != avatar:
                self._avatar_ids[key] = avatar
                self._fetch_avatar(key, avatar)

    @async_slot()
    async def _fetch_avatar(self, key: str, avatar: str) -> None:
        if self.session is None:
            return
        data = await self.session.people.avatar(avatar)
        if not (data and set_avatar_image(key, data)) or not shiboken6.isValid(self):
            return  # (the window may have closed, or signed out, while the picture came)
        for view in (self.conversation_list, self.chat_pane, self.group_panel):
            if view is not None and shiboken6.isValid(view):
                view.update()
        if self.conversation_list is not None and shiboken6.isValid(self.conversation_list):
            self.conversation_list.list.viewport().update()
        if self.contacts is not None and shiboken6.isValid(self.contacts):
            self.contacts.friends.viewport().update()

    def _conversation_changed(self, conversation_id: str) -> None:
        if self.conversation_list is not None:
            self.conversation_list.select(conversation_id)
        self._update_group_panel()

    def _toggle_group_panel(self, shown: bool) -> None:
        if self._narrow:
            self._panel_asked = shown
        else:
            self._show_group_panel = shown
        self._update_group_panel()

    def _update_group_panel(self) -> None:
        """The group panel is shown for groups the user wants it for; below a width (where it
        would squeeze the chat) it folds away unless asked for, as in Telegram."""
        if self.group_panel is None or self.session is None or self.chat_pane is None:
            return
        wanted = self._panel_asked if self._narrow else self._show_group_panel
        shown = bool(self.session.chat.group_id) and wanted
        self.group_panel.setVisible(shown)
        button = self.chat_pane.header.panel_button
        blocked = button.blockSignals(True)
        button.setChecked(shown)
        button.blockSignals(blocked)

    def _width_changed(self) -> None:
        if self.conversation_list is None:
            return
        shown = self.conversation_list.isVisible()
        list_width = self.conversation_list.width() if shown else 300  # before the first layout
        beside = self.chats_page.width() - list_width - PANEL_WIDTH
        narrow = beside < CHAT_MIN
        if narrow != self._narrow:
            self._narrow, self._panel_asked = narrow, False
            self._update_group_panel()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.chats_page and event.type() == QEvent.Type.Resize:
            self._width_changed()
        return super().eventFilter(watched, event)

    def open_switcher(self) -> None:
        self.complete()
        if self.switcher is not None:
            self.switcher.open_switcher()

    def find_in_chat(self) -> None:
        """Ctrl+F: search in the open chat; with none open, the top search box."""
        self.complete()
        if (
            self.chat_pane is None
            or self.pages.currentWidget() is not self.chats_page
            or not self.chat_pane.open_search()
        ):
            self.focus_filter()

    def focus_filter(self) -> None:
        self.complete()  # (the box searches people and messages too)
        if self.conversation_list is not None:
            self.pages.setCurrentWidget(self.chats_page)
            self.chats_button.setChecked(True)
            self.conversation_list.filter.setFocus()
            self.conversation_list.filter.selectAll()

    def step_conversation(self, step: int) -> None:
        """Alt+Up / Alt+Down: the previous or next conversation of the list."""
        if self.session is None:
            return
        target = self.session.conversations.neighbour(
            self.session.chat.current_conversation_id, step
        )
        if target:
            self.open_conversation(target)

    # -- language ----------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange and hasattr(self, "contacts_button"):
            self._rail_icons()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if self.session is not None:
            self.session.retranslate()  # (the rows' texts)
        self.chats_button.setText(self.tr("Chats"))
        self.chats_button.setAccessibleName(self.tr("Chats"))
        unread = self.session.people.unread_requests if self.session is not None else 0
        self.contacts_button.setText(self.tr("Contacts"))
        self._requests_badge(unread)
        self.contacts_page.setText(self.tr("Contacts come with friends and groups."))
        self._app_menu.setTitle(self.tr("&Messenger"))
        self._settings_action.setText(self.tr("&Settings…"))
        self._switch_action.setText(self.tr("S&witch account…"))
        self._sign_out_action.setText(self.tr("Sign &out"))
        self._quit_action.setText(self.tr("&Quit"))
        self._profile_action.setText(self.tr("Edit my &profile…"))
        self._new_chat_action.setText(self.tr("New chat…"))
        self._new_group_action.setText(self.tr("&New group…"))
        self._join_group_action.setText(self.tr("&Join a group…"))
        self._switcher_action.setText(self.tr("Go to chat…"))
        self._find_action.setText(self.tr("Search in this chat"))
        self._find_all_action.setText(self.tr("Search everything"))
        self._previous_action.setText(self.tr("Previous chat"))
        self._next_action.setText(self.tr("Next chat"))
        if self.session is None:
            self.setWindowTitle(self.tr("Messenger"))
        else:
            self.setWindowTitle(self.tr("Messenger — {user}").format(user=self.session.user_id))
