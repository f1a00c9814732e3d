"""The sign-in window (A1, A2): saved accounts, server, user ID and password or UserSig.

A window of its own (not modal): the app shows it when nobody is signed in. It is a view of
``SignInViewModel``; the only work done here is reading the form and showing the state.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from messenger.ui.keep_whole import keep_whole
from messenger.ui.theme import error_color
from messenger.ui.tray import app_icon
from messenger.viewmodels.accounts import LOCAL, SavedAccount, SignInForm, SignInViewModel

_NEW = ""  # the account picker's "new account" entry


class SignInDialog(QDialog):
    def __init__(self, vm: SignInViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self.vm = vm
        self._saved_secret = False  # the chosen account has a stored secret
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)

        self.logo = QLabel(self)
        self.logo.setFixedSize(56, 56)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(self.logo)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)

        self.account_combo = QComboBox(self)
        self.forget_button = QPushButton(self)
        accounts_row = QHBoxLayout()
        accounts_row.addWidget(self.account_combo, 1)
        accounts_row.addWidget(self.forget_button)

        self.local_radio = QRadioButton(self)
        self.remote_radio = QRadioButton(self)
        self._server_group = QButtonGroup(self)
        self._server_group.addButton(self.local_radio)
        self._server_group.addButton(self.remote_radio)
        self.server_edit = QLineEdit(self)
        self.server_edit.setPlaceholderText("https://im.example.com")
        self.server_edit.setInputMethodHints(Qt.InputMethodHint.ImhUrlCharactersOnly)
        remote_row = QHBoxLayout()
        remote_row.addWidget(self.remote_radio)
        remote_row.addWidget(self.server_edit, 1)
        server_box = QVBoxLayout()
        server_box.addWidget(self.local_radio)
        server_box.addLayout(remote_row)

        self.user_edit = QLineEdit(self)
        self.user_edit.setMaxLength(32)
        self.auth_combo = QComboBox(self)
        self.auth_combo.addItem("", "password")
        self.auth_combo.addItem("", "usersig")
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(self)
        self.remember_check.setChecked(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.accounts_label = QLabel(self)
        self.server_label = QLabel(self)
        self.user_label = QLabel(self)
        self.auth_label = QLabel(self)
        self.secret_label = QLabel(self)
        for label, field in (
            (self.accounts_label, accounts_row),
            (self.server_label, server_box),
            (self.user_label, self.user_edit),
            (self.auth_label, self.auth_combo),
            (self.secret_label, self.secret_edit),
        ):
            self.form.addRow(label, field)
        self.accounts_label.setBuddy(self.account_combo)
        self.user_label.setBuddy(self.user_edit)
        self.auth_label.setBuddy(self.auth_combo)
        self.secret_label.setBuddy(self.secret_edit)
        self.form.addRow("", self.remember_check)

        self.storage_box = QFrame(self)
        self.storage_box.setObjectName("SecretStorageNotice")
        self.storage_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.storage_notice = QLabel(self.storage_box)
        self.storage_notice.setWordWrap(True)
        self.storage_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.file_check = QCheckBox(self.storage_box)
        storage_layout = QVBoxLayout(self.storage_box)
        storage_layout.addWidget(self.storage_notice)
        storage_layout.addWidget(self.file_check)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote the server
        self.error_label.setVisible(False)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setVisible(False)

        self.create_button = QPushButton(self)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.sign_in_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addLayout(self.form)
        layout.addWidget(self.storage_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        keep_whole(self)  # an error or a notice appearing makes the window taller

        self.account_combo.currentIndexChanged.connect(self._account_chosen)
        self.forget_button.clicked.connect(self._forget)
        self._server_group.buttonToggled.connect(self._server_kind_changed)
        self.auth_combo.currentIndexChanged.connect(self._auth_changed)
        self.file_check.toggled.connect(vm.set_file_store)
        self.sign_in_button.clicked.connect(self._sign_in)
        self.create_button.clicked.connect(self._create)
        vm.busy_changed.connect(self._busy_changed)
        vm.error_changed.connect(self._show_error)
        vm.accounts_changed.connect(self._fill_accounts)
        vm.storage_changed.connect(self.retranslate)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q), self, self.reject)

        self._fill_accounts()
        preferred = vm.preferred_account()
        if preferred is not None:
            self.select_account(preferred.key)
        else:
            self.set_server(vm.default_server)
        self._draw_logo()
        self.retranslate()

    # -- API for the app ---------------------------------------------------------------------------
    def select_account(self, key: str) -> None:
        """Show a saved account (after a kick, a sign-out or when switching)."""
        index = self.account_combo.findData(key)
        self.account_combo.setCurrentIndex(max(0, index))
        self._account_chosen()

    def set_server(self, server_url: str) -> None:
        local = server_url == LOCAL
        self.local_radio.setChecked(local)
        self.remote_radio.setChecked(not local)
        if not local:
            self.server_edit.setText(server_url)
        self._server_kind_changed()

    def read_form(self) -> SignInForm:
        return SignInForm(
            server_url=LOCAL if self.local_radio.isChecked() else self.server_edit.text().strip(),
            user_id=self.user_edit.text().strip(),
            auth=str(self.auth_combo.currentData()),
            secret=self.secret_edit.text().strip()
            if self.auth_combo.currentData() == "usersig"
            else self.secret_edit.text(),
            remember=self.remember_check.isChecked(),
        )

    # -- commands ----------------------------------------------------------------------------------
    @asyncSlot()  # type: ignore[untyped-decorator]
    async def _sign_in(self) -> None:
        await self.vm.submit(self.read_form())

    @asyncSlot()  # type: ignore[untyped-decorator]
    async def _create(self) -> None:
        await self.vm.submit(self.read_form(), create=True)

    def _forget(self) -> None:
        key = self.account_combo.currentData()
        if key:
            self.vm.forget(str(key))

    # -- reactions ---------------------------------------------------------------------------------
    def _fill_accounts(self) -> None:
        current = self.account_combo.currentData()
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        for account in self.vm.accounts():
            self.account_combo.addItem(self._account_text(account), account.key)
        self.account_combo.addItem("", _NEW)
        self.account_combo.blockSignals(False)
        has_saved = self.account_combo.count() > 1
        self.form.setRowVisible(0, has_saved)  # nothing to choose from: no picker
        index = self.account_combo.findData(current) if current is not None else -1
        self.account_combo.setCurrentIndex(max(0, index))
        self._account_chosen()
        self.retranslate()

    def _account_chosen(self) -> None:
        key = self.account_combo.currentData()
        account = self.vm.account(str(key)) if key else None
        self.forget_button.setEnabled(account is not None)
        if account is None:
            self.user_edit.clear()
            self.secret_edit.clear()
            self._saved_secret = False
        else:
            self.set_server(account.server_url)
            self.user_edit.setText(account.user_id)
            self.auth_combo.setCurrentIndex(max(0, self.auth_combo.findData(account.auth)))
            self.secret_edit.clear()
            self._saved_secret = account.has_secret
        self._update_placeholders()
        (self.secret_edit if account is not None else self.user_edit).setFocus()

    def _server_kind_changed(self, *_: object) -> None:
        self.server_edit.setEnabled(self.remote_radio.isChecked())

    def _auth_changed(self) -> None:
        usersig = self.auth_combo.currentData() == "usersig"
        self.secret_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if usersig else QLineEdit.EchoMode.Password
        )
        self.create_button.setVisible(not usersig)
        self._update_placeholders()
        self.retranslate()

    def _busy_changed(self, busy: bool) -> None:
        for widget in (
            self.account_combo,
            self.forget_button,
            self.local_radio,
            self.remote_radio,
            self.user_edit,
            self.auth_combo,
            self.secret_edit,
            self.remember_check,
            self.file_check,
            self.create_button,
            self.sign_in_button,
        ):
            widget.setEnabled(not busy)
        if not busy:
            self._server_kind_changed()
            self.forget_button.setEnabled(bool(self.account_combo.currentData()))
        self.status_label.setText(self.vm.status if busy else "")
        self.status_label.setVisible(busy)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()  # a window of its own: Esc must not close it (and quit the app)
            return
        super().keyPressEvent(event)

    # -- language and looks ------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._colour_error()
        elif event.type() == QEvent.Type.DevicePixelRatioChange:
            self._draw_logo()
        super().changeEvent(event)

    def _draw_logo(self) -> None:
        self.logo.setPixmap(app_icon().pixmap(QSize(56, 56), self.devicePixelRatioF()))

    def _colour_error(self) -> None:
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(self.palette()))
        self.error_label.setPalette(palette)

    def _account_text(self, account: SavedAccount) -> str:
        server = account.server_url or self.tr("this computer")
        return self.tr("{user} on {server}").format(user=account.user_id, server=server)

    def _update_placeholders(self) -> None:
        usersig = self.auth_combo.currentData() == "usersig"
        if self._saved_secret:
            self.secret_edit.setPlaceholderText(self.tr("Saved. Leave empty to use it."))
        elif usersig:
            self.secret_edit.setPlaceholderText(self.tr("Paste the UserSig"))
        else:
            self.secret_edit.setPlaceholderText("")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in to Messenger"))
        self.title.setText(self.tr("Sign in to Messenger"))
        self.subtitle.setText(
            self.tr("Use an account on this computer's server or on your team's server.")
        )
        self.accounts_label.setText(self.tr("&Account:"))
        self.server_label.setText(self.tr("Server:"))
        self.local_radio.setText(self.tr("&This computer (local server)"))
        self.remote_radio.setText(self.tr("Another ser&ver:"))
        self.user_label.setText(self.tr("&User ID:"))
        self.auth_label.setText(self.tr("Sign in &with:"))
        self.auth_combo.setItemText(0, self.tr("Password"))
        self.auth_combo.setItemText(1, self.tr("UserSig"))
        usersig = self.auth_combo.currentData() == "usersig"
        self.secret_label.setText(self.tr("UserSi&g:") if usersig else self.tr("&Password:"))
        self.forget_button.setText(self.tr("Forget"))
        self.create_button.setText(self.tr("&Create account"))
        self.sign_in_button.setText(self.tr("&Sign in"))
        for index in range(self.account_combo.count()):
            key = self.account_combo.itemData(index)
            account = self.vm.account(str(key)) if key else None
            text = self._account_text(account) if account else self.tr("New account…")
            self.account_combo.setItemText(index, text)
        self._retranslate_storage()
        self._update_placeholders()
        self._colour_error()
        names = (
            (self.account_combo, self.tr("Saved accounts")),
            (self.forget_button, self.tr("Forget this account")),
            (self.local_radio, self.tr("Use the local server on this computer")),
            (self.remote_radio, self.tr("Use a server at an address")),
            (self.server_edit, self.tr("Server address")),
            (self.user_edit, self.tr("User ID")),
            (self.auth_combo, self.tr("Sign in with")),
            (self.secret_edit, self.tr("UserSig") if usersig else self.tr("Password")),
            (self.remember_check, self.tr("Remember me")),
            (self.create_button, self.tr("Create account")),
            (self.sign_in_button, self.tr("Sign in")),
            (self.error_label, self.tr("Error")),
        )
        for widget, name in names:
            widget.setAccessibleName(name)

    def _retranslate_storage(self) -> None:
        storage = self.vm.secret_storage
        self.remember_check.setText(
            self.tr("&Remember me and sign in automatically")
            if storage != "memory"
            else self.tr("&Remember me until Messenger quits")
        )
        self.storage_box.setVisible(storage != "keyring")
        if storage == "memory":
            self.storage_notice.setText(
                self.tr(
                    "No system keyring was found, so your password cannot be saved safely. "
                    "You will be asked for it again next time you start Messenger."
                )
            )
        else:
            self.storage_notice.setText(
                self.tr(
                    "No system keyring was found. Passwords are saved in a file in Messenger's "
                    "data folder that only your user account can read. It is not encrypted."
                )
            )
        self.file_check.blockSignals(True)
        self.file_check.setChecked(storage == "file")
        self.file_check.blockSignals(False)
        self.file_check.setText(self.tr("Save passwords in a private file instead (less safe)"))
        self.file_check.setAccessibleName(self.file_check.text())
        self.storage_box.setAccessibleName(self.tr("Password storage"))
        self.storage_notice.setToolTip(self.vm.keyring_problem)
