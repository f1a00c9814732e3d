"""The settings dialog (U7): account, notifications, appearance, language and local data.

Every control applies at once (no OK / Apply): the view-models save and announce each change,
so the theme and the language switch while the dialog is open. The account part is bound per
session (``bind_account``) and greyed out while nobody is signed in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from messenger.ui.i18n import LANGUAGES
from messenger.viewmodels.settings import (
    MEDIA_CACHE_CHOICES_MB,
    THEMES,
    AccountSettingsViewModel,
    SettingsViewModel,
)


def format_size(size: int, decimals: int = 1) -> str:
    """Bytes for people, in the current language's number format."""
    locale = QLocale()
    return locale.formattedDataSize(max(0, size), decimals, QLocale.DataSizeFormat.DataSizeSIFormat)


class SettingsDialog(QDialog):
    def __init__(self, settings: SettingsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.vm = settings
        self.account: AccountSettingsViewModel | None = None
        self.confirm_box: QMessageBox | None = None
        self.setMinimumWidth(480)

        # Account
        self.account_group = QGroupBox(self)
        self.server_value = QLabel(self)
        self.server_value.setTextFormat(Qt.TextFormat.PlainText)
        self.server_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_server_button = QPushButton(self)
        server_row = QHBoxLayout()
        server_row.addWidget(self.server_value, 1)
        server_row.addWidget(self.change_server_button)
        self.user_value = QLabel(self)
        self.user_value.setTextFormat(Qt.TextFormat.PlainText)
        self.user_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.switch_button = QPushButton(self)
        self.sign_out_button = QPushButton(self)
        account_buttons = QHBoxLayout()
        account_buttons.addStretch(1)
        account_buttons.addWidget(self.switch_button)
        account_buttons.addWidget(self.sign_out_button)
        self.server_label = QLabel(self)
        self.user_label = QLabel(self)
        account_form = QFormLayout(self.account_group)
        account_form.addRow(self.server_label, server_row)
        account_form.addRow(self.user_label, self.user_value)
        account_form.addRow(account_buttons)

        # Notifications
        self.notifications_group = QGroupBox(self)
        self.notify_check = QCheckBox(self)
        self.sound_check = QCheckBox(self)
        self.preview_check = QCheckBox(self)
        notify_layout = QVBoxLayout(self.notifications_group)
        for check in (self.notify_check, self.sound_check, self.preview_check):
            notify_layout.addWidget(check)

        # Appearance and language
        self.appearance_group = QGroupBox(self)
        self.theme_combo = QComboBox(self)
        for theme in THEMES:
            self.theme_combo.addItem("", theme)
        self.language_combo = QComboBox(self)
        self.language_combo.addItem("", "system")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)  # each language in its own words
        self.theme_label = QLabel(self)
        self.theme_label.setBuddy(self.theme_combo)
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language_combo)
        appearance_form = QFormLayout(self.appearance_group)
        appearance_form.addRow(self.theme_label, self.theme_combo)
        appearance_form.addRow(self.language_label, self.language_combo)

        # Local data
        self.storage_group = QGroupBox(self)
        self.cache_value = QLabel(self)
        self.cache_value.setTextFormat(Qt.TextFormat.PlainText)
        self.cache_value.setWordWrap(True)
        self.clear_button = QPushButton(self)
        self.media_value = QLabel(self)  # downloaded pictures, videos and files
        self.media_value.setTextFormat(Qt.TextFormat.PlainText)
        self.media_value.setWordWrap(True)
        self.clear_media_button = QPushButton(self)
        self.clear_media_button.setObjectName("ClearDownloads")
        self.media_limit_label = QLabel(self)
        self.media_limit_combo = QComboBox(self)
        self.media_limit_combo.setObjectName("MediaCacheLimit")
        for megabytes in MEDIA_CACHE_CHOICES_MB:
            self.media_limit_combo.addItem("", megabytes)
        self.media_limit_label.setBuddy(self.media_limit_combo)
        storage = QVBoxLayout(self.storage_group)
        for label, button in (
            (self.cache_value, self.clear_button),
            (self.media_value, self.clear_media_button),
        ):
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(button)
            storage.addLayout(row)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.media_limit_label)
        limit_row.addWidget(self.media_limit_combo)
        limit_row.addStretch(1)
        storage.addLayout(limit_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for group in (
            self.account_group,
            self.notifications_group,
            self.appearance_group,
            self.storage_group,
        ):
            layout.addWidget(group)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._load()
        self.notify_check.toggled.connect(settings.set_notifications)
        self.sound_check.toggled.connect(settings.set_notification_sound)
        self.preview_check.toggled.connect(settings.set_notification_preview)
        self.theme_combo.currentIndexChanged.connect(
            lambda _i: settings.set_theme(str(self.theme_combo.currentData()))
        )
        self.language_combo.currentIndexChanged.connect(
            lambda _i: settings.set_language(str(self.language_combo.currentData()))
        )
        self.media_limit_combo.currentIndexChanged.connect(
            lambda _i: settings.set_media_cache_mb(int(self.media_limit_combo.currentData()))
        )
        settings.changed.connect(self._load)
        self.change_server_button.clicked.connect(self._switch)
        self.switch_button.clicked.connect(self._switch)
        self.sign_out_button.clicked.connect(self._sign_out)
        self.clear_button.clicked.connect(self.confirm_clear_cache)
        self.clear_media_button.clicked.connect(self.confirm_clear_downloads)
        self.bind_account(None)
        self.retranslate()

    # -- binding -----------------------------------------------------------------------------------
    def bind_account(self, account: AccountSettingsViewModel | None) -> None:
        if self.account is not None:
            self.account.cache_size_changed.disconnect(self._show_cache_size)
            self.account.busy_changed.disconnect(self._account_busy)
        self.account = account
        for widget in (self.account_group, self.storage_group):
            widget.setEnabled(account is not None)
        if account is not None:
            account.cache_size_changed.connect(self._show_cache_size)
            account.busy_changed.connect(self._account_busy)
            if self.isVisible():
                self._refresh_cache_size()
        self.retranslate()

    def _load(self) -> None:
        """Show the current settings (without echoing them back as changes)."""
        s = self.vm.settings
        pairs = (
            (self.notify_check, s.notifications),
            (self.sound_check, s.notification_sound),
            (self.preview_check, s.notification_preview),
        )
        for check, value in pairs:
            check.blockSignals(True)
            check.setChecked(value)
            check.blockSignals(False)
        self.sound_check.setEnabled(s.notifications)
        self.preview_check.setEnabled(s.notifications)
        for combo, data in (
            (self.theme_combo, s.theme),
            (self.language_combo, s.language),
            (self.media_limit_combo, s.media_cache_mb),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(data)))
            combo.blockSignals(False)

    # -- account actions ---------------------------------------------------------------------------
    def _switch(self) -> None:
        if self.account is not None:
            self.accept()
            self.account.request_switch_account()

    def _sign_out(self) -> None:
        if self.account is not None:
            self.accept()
            self.account.request_sign_out()

    def confirm_clear_cache(self) -> QMessageBox:
        """Ask first; the answer arrives without blocking the event loop."""
        return self._confirm(
            "ClearCacheConfirmation",
            QMessageBox.Icon.Warning,
            self.tr("Clear cache"),
            self.tr("Delete the messages stored on this computer for this account?"),
            self.tr(
                "They are downloaded again from the server. Messages that were not sent yet "
                "are lost."
            ),
            self._clear_cache,
        )

    def confirm_clear_downloads(self) -> QMessageBox:
        """Ask, then delete the downloaded media only: messages stay."""
        return self._confirm(
            "ClearDownloadsConfirmation",
            QMessageBox.Icon.Question,
            self.tr("Clear downloads"),
            self.tr("Delete the pictures, videos and files downloaded to this computer?"),
            self.tr("Messages are kept; a picture or file is downloaded again when you open it."),
            self._clear_downloads,
        )

    def _confirm(
        self,
        name: str,
        icon: QMessageBox.Icon,
        action: str,
        question: str,
        details: str,
        on_yes: Callable[[], object],
    ) -> QMessageBox:
        """A window-modal question whose Yes button says ``action`` (Cancel is the default)."""
        box = QMessageBox(self)
        box.setObjectName(name)
        box.setIcon(icon)
        box.setWindowTitle(action)
        box.setText(question)
        box.setInformativeText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(action)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(result: int) -> None:
            self.confirm_box = None
            if result == QMessageBox.StandardButton.Yes and self.account is not None:
                on_yes()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()
        return box

    @asyncSlot()  # type: ignore[untyped-decorator]
    async def _clear_downloads(self) -> None:
        if self.account is not None:
            await self.account.clear_media()

    @asyncSlot()  # type: ignore[untyped-decorator]
    async def _clear_cache(self) -> None:
        if self.account is not None:
            await self.account.clear_cache()

    @asyncSlot()  # type: ignore[untyped-decorator]
    async def _refresh_cache_size(self) -> None:
        if self.account is not None:
            await self.account.refresh_cache_size()

    def _show_cache_size(self, _size: int) -> None:
        self.retranslate()

    def _account_busy(self, busy: bool) -> None:
        self.clear_button.setEnabled(not busy)
        self.clear_media_button.setEnabled(not busy)
        self.retranslate()

    # -- Qt ----------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_cache_size()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.account_group.setTitle(self.tr("Account"))
        self.server_label.setText(self.tr("Server:"))
        self.user_label.setText(self.tr("User ID:"))
        account = self.account
        if account is None:
            self.server_value.setText("—")
            self.user_value.setText(self.tr("Not signed in"))
        else:
            self.server_value.setText(account.server or self.tr("This computer (local server)"))
            self.user_value.setText(account.user_id)
        self.change_server_button.setText(self.tr("Change server…"))
        self.switch_button.setText(self.tr("Switch account…"))
        self.sign_out_button.setText(self.tr("Sign out"))
        self.sign_out_button.setToolTip(
            self.tr("Forget the saved password on this computer; your messages stay here.")
        )
        self.notifications_group.setTitle(self.tr("Notifications"))
        self.notify_check.setText(self.tr("Show desktop &notifications"))
        self.sound_check.setText(self.tr("Play a &sound"))
        self.preview_check.setText(self.tr("Show &message text in notifications"))
        self.appearance_group.setTitle(self.tr("Appearance"))
        self.theme_label.setText(self.tr("&Theme:"))
        for index, text in enumerate(
            (self.tr("Same as the system"), self.tr("Light"), self.tr("Dark"))
        ):
            self.theme_combo.setItemText(index, text)
        self.language_label.setText(self.tr("&Language:"))
        self.language_combo.setItemText(0, self.tr("Same as the system"))
        self.storage_group.setTitle(self.tr("Local data"))
        if account is None:
            self.cache_value.setText(self.tr("Sign in to see the messages stored here."))
        elif account.busy:
            self.cache_value.setText(self.tr("Clearing and downloading again…"))
        elif account.cache_size < 0:
            self.cache_value.setText(self.tr("Measuring…"))
        else:
            media = max(0, account.media_size)
            self.cache_value.setText(
                self.tr("Messages stored on this computer for {user}: {size}").format(
                    user=account.user_id, size=format_size(account.cache_size - media)
                )
            )
        if account is None or account.media_size < 0:
            self.media_value.setText(self.tr("Downloaded pictures, videos and files: —"))
        else:
            self.media_value.setText(
                self.tr("Downloaded pictures, videos and files: {size}").format(
                    size=format_size(account.media_size)
                )
            )
        self.clear_button.setText(self.tr("&Clear cache…"))
        self.clear_media_button.setText(self.tr("Clear &downloads…"))
        self.media_limit_label.setText(self.tr("&Keep downloads up to:"))
        for index in range(self.media_limit_combo.count()):
            megabytes = int(self.media_limit_combo.itemData(index))
            self.media_limit_combo.setItemText(index, format_size(megabytes * 1_000_000, 0))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        names = (
            (self.server_value, self.tr("Server")),
            (self.user_value, self.tr("User ID")),
            (self.change_server_button, self.tr("Change server")),
            (self.switch_button, self.tr("Switch account")),
            (self.sign_out_button, self.tr("Sign out")),
            (self.notify_check, self.tr("Show desktop notifications")),
            (self.sound_check, self.tr("Play a sound")),
            (self.preview_check, self.tr("Show message text in notifications")),
            (self.theme_combo, self.tr("Theme")),
            (self.language_combo, self.tr("Language")),
            (self.cache_value, self.tr("Local data size")),
            (self.clear_button, self.tr("Clear cache")),
            (self.media_value, self.tr("Downloads size")),
            (self.clear_media_button, self.tr("Clear downloads")),
            (self.media_limit_combo, self.tr("Keep downloads up to")),
            (close, self.tr("Close")),
        )
        for widget, name in names:
            widget.setAccessibleName(name)
