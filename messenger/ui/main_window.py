"""The main window: a navigation rail (Chats / Contacts), the pages, a banner slot on top.

Layout of the Chats page (filled by ``bind``): conversation list | chat pane | group panel.
Shell features plug in through ``set_banner`` and the ``*_requested`` signals of the menu;
``bind`` / ``unbind`` attach and detach one signed-in account's ``SessionViewModel``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.viewmodels.session import SessionViewModel


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
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            self._nav.addButton(button, index)
            rail_layout.addWidget(button)
        rail_layout.addStretch(1)
        self.chats_button.setChecked(True)
        body.addWidget(rail)

        self.pages = QStackedWidget(root)
        self.chats_page = QWidget(self.pages)
        self.contacts_page = QLabel(self.pages)
        self.contacts_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.chats_page)
        self.pages.addWidget(self.contacts_page)
        self._nav.idClicked.connect(self.pages.setCurrentIndex)
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
        self._app_menu = self.menuBar().addMenu("")
        for action in (self._settings_action, self._switch_action, self._sign_out_action):
            self._app_menu.addAction(action)
        self._app_menu.addSeparator()
        self._app_menu.addAction(self._quit_action)
        self.retranslate()

    # -- shell slots -----------------------------------------------------------------------------------
    def set_banner(self, widget: QWidget) -> None:
        """Put a bar above the pages (the connection banner); the widget hides itself when idle."""
        self._banner_slot.addWidget(widget)

    # -- account ---------------------------------------------------------------------------------------
    def bind(self, session: SessionViewModel) -> None:
        """Show this account: bind the panes of the Chats page to its view-models."""
        self.session = session
        self.setWindowTitle(self.tr("Messenger — {user}").format(user=session.user_id))

    def unbind(self) -> None:
        """Forget the account (sign-out, switch): the panes go empty."""
        self.session = None
        self.setWindowTitle(self.tr("Messenger"))

    # -- language ----------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.chats_button.setText(self.tr("Chats"))
        self.chats_button.setAccessibleName(self.tr("Chats"))
        self.contacts_button.setText(self.tr("Contacts"))
        self.contacts_button.setAccessibleName(self.tr("Contacts"))
        self.contacts_page.setText(self.tr("Contacts come with friends and groups."))
        self._app_menu.setTitle(self.tr("&Messenger"))
        self._settings_action.setText(self.tr("&Settings…"))
        self._switch_action.setText(self.tr("S&witch account…"))
        self._sign_out_action.setText(self.tr("Sign &out"))
        self._quit_action.setText(self.tr("&Quit"))
        if self.session is None:
            self.setWindowTitle(self.tr("Messenger"))
        else:
            self.setWindowTitle(self.tr("Messenger — {user}").format(user=self.session.user_id))
